package io.orderhub.order;

import java.text.Normalizer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.FieldError;

/**
 * One meaning per text in a canonical order. Identifiers (externalId, channel, customer externalId, SKUs)
 * are trimmed and NFC-normalised, so a decomposed "é" or a trailing space names the same order; names and
 * addresses are NFC-normalised. Refused: in identifiers, characters a reader cannot see or that make the
 * id look like another (controls, zero-width and other format characters, bidi controls, non-ASCII spaces,
 * private-use and unassigned code points, compatibility forms such as full-width letters, Cyrillic or Greek
 * letters mixed with Latin ones or standing in for Latin ones); in every text, NUL and other control
 * characters (tab and line breaks allowed) and bidi controls.
 */
final class TextRules {

    /** Identifier fields, as JSON pointers ("*" for every element of an array). */
    static final List<String> IDS = List.of("/externalId", "/channel", "/customer/externalId", "/lines/*/sku",
            "/lines/*/buyerSku");

    /** Name and address fields: NFC-normalised. */
    static final List<String> NAMES = List.of("/customer/name", "/customer/company", "/billTo/name", "/billTo/company",
            "/billTo/line1", "/billTo/line2", "/billTo/city", "/billTo/region", "/shipTo/name", "/shipTo/company",
            "/shipTo/line1", "/shipTo/line2", "/shipTo/city", "/shipTo/region", "/lines/*/description", "/notes");

    /**
     * Cyrillic and Greek letters drawn like Latin ones: an id made only of these (and digits, punctuation,
     * Latin letters) reads as a Latin id it is not.
     */
    private static final String LATIN_LOOKALIKES = "АВЕЅІЈКМНОРСТХУаеіјорсуххѕԁԛԝһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧοινρτυχϲ";

    private TextRules() {
    }

    /** The order with its ids trimmed and NFC-normalised and its names NFC-normalised (a copy). */
    static JsonNode normalize(JsonNode order) {
        if (order == null || !order.isObject()) {
            return order;
        }
        ObjectNode copy = order.deepCopy();
        for (String id : IDS) {
            apply(copy, id, s -> Normalizer.normalize(s.strip(), Normalizer.Form.NFC));
        }
        for (String name : NAMES) {
            apply(copy, name, s -> Normalizer.normalize(s, Normalizer.Form.NFC));
        }
        return copy;
    }

    /** Problems with the texts of an (already normalised) order, each with its pointer. */
    static void check(JsonNode order, List<FieldError> errors) {
        controls(order, "", errors);
        for (String id : IDS) {
            each(order, id, (pointer, text) -> {
                String problem = idProblem(text);
                if (problem != null) {
                    errors.add(FieldError.of(pointer, problem));
                }
            });
        }
    }

    /** Why an identifier is ambiguous, or null. */
    static String idProblem(String id) {
        boolean latin = false;
        boolean otherScript = false;
        boolean allLookalikes = true;
        boolean lookalike = false;
        for (int i = 0; i < id.length(); ) {
            int c = id.codePointAt(i);
            i += Character.charCount(c);
            String invisible = invisible(c);
            if (invisible != null) {
                return "holds " + invisible + " (" + codePoint(c) + "); identifiers must be plain visible text";
            }
            if (c > 0x7f && Character.isLetter(c)) {
                Character.UnicodeScript script = Character.UnicodeScript.of(c);
                if (script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.GREEK) {
                    otherScript = true;
                    if (LATIN_LOOKALIKES.indexOf(c) >= 0) {
                        lookalike = true;
                    } else {
                        allLookalikes = false;
                    }
                } else if (script == Character.UnicodeScript.LATIN) {
                    latin = true;
                } else {
                    allLookalikes = false;
                }
            } else if (c < 0x80 && Character.isLetter(c)) {
                latin = true;
            }
        }
        if (!Normalizer.normalize(id, Normalizer.Form.NFKC).equals(id)) {
            return "holds compatibility characters (such as full-width letters or digits, ligatures or superscripts); "
                    + "send '" + FieldError.cut(Normalizer.normalize(id, Normalizer.Form.NFKC), 60) + "' instead";
        }
        if (otherScript && latin) {
            return "mixes Latin letters with Cyrillic or Greek ones, which look alike; use one script";
        }
        if (lookalike && allLookalikes) {
            return "is written with Cyrillic or Greek letters that look like Latin ones; use Latin letters";
        }
        return null;
    }

    /** A description of a character that may not appear in an identifier, or null. */
    private static String invisible(int c) {
        String control = control(c);
        if (control != null) {
            return control;
        }
        int type = Character.getType(c);
        if (type == Character.FORMAT) {
            return "an invisible formatting character";
        }
        if (type == Character.SPACE_SEPARATOR && c != ' ' || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR) {
            return "a space or separator other than the plain space";
        }
        if (type == Character.PRIVATE_USE || type == Character.UNASSIGNED || type == Character.SURROGATE) {
            return "a private-use or unassigned character";
        }
        if (c >= 0xfe00 && c <= 0xfe0f || c >= 0xe0100 && c <= 0xe01ef || c == 0x034f || c == 0x115f || c == 0x1160
                || c == 0x3164 || c == 0xffa0 || c == 0x2800) {
            return "an invisible character";
        }
        return null;
    }

    /** A description of a character that may appear in no text at all, or null. */
    private static String control(int c) {
        if (c == 0) {
            return "a NUL character";
        }
        if (c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f || c == 0x061c) {
            return "a bidirectional text control";
        }
        if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r') {
            return "a control character";
        }
        return null;
    }

    /** NUL, control characters and bidi controls in every text of the document, and in its keys. */
    private static void controls(JsonNode node, String pointer, List<FieldError> errors) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = pointer + "/" + escape(e.getKey());
                String inKey = firstControl(e.getKey());
                if (inKey != null) {
                    errors.add(FieldError.of(pointer.isEmpty() ? "/" : pointer, "has a key holding " + inKey));
                }
                controls(e.getValue(), child, errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                controls(node.get(i), pointer + "/" + i, errors);
            }
        } else if (node.isTextual()) {
            String found = firstControl(node.textValue());
            if (found != null) {
                errors.add(FieldError.of(pointer, "holds " + found + "; remove it"));
            }
        }
    }

    private static String firstControl(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            String control = control(c);
            if (control != null) {
                return control + " (" + codePoint(c) + ")";
            }
        }
        return null;
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private interface TextVisitor {
        void visit(String pointer, String text);
    }

    private static void each(JsonNode order, String path, TextVisitor visitor) {
        walk(order, path.substring(1).split("/"), 0, "", (parent, key, pointer) -> {
            JsonNode value = parent.get(key);
            if (value != null && value.isTextual()) {
                visitor.visit(pointer, value.textValue());
            }
        });
    }

    private static void apply(ObjectNode order, String path, java.util.function.UnaryOperator<String> change) {
        walk(order, path.substring(1).split("/"), 0, "", (parent, key, pointer) -> {
            JsonNode value = parent.get(key);
            if (value != null && value.isTextual()) {
                String changed = change.apply(value.textValue());
                if (!changed.equals(value.textValue())) {
                    ((ObjectNode) parent).put(key, changed);
                }
            }
        });
    }

    private interface FieldVisitor {
        void visit(JsonNode parent, String key, String pointer);
    }

    private static void walk(JsonNode node, String[] steps, int at, String pointer, FieldVisitor visitor) {
        String step = steps[at];
        if (at == steps.length - 1) {
            if (node.isObject()) {
                visitor.visit(node, step, pointer + "/" + step);
            }
            return;
        }
        if ("*".equals(step)) {
            if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    walk(array.get(i), steps, at + 1, pointer + "/" + i, visitor);
                }
            }
            return;
        }
        JsonNode next = node.get(step);
        if (next != null) {
            walk(next, steps, at + 1, pointer + "/" + step, visitor);
        }
    }

}
