package io.orderhub.format;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;

/**
 * Reads a JSON order document so that it has one meaning and bounded numbers, before any value in it is
 * converted or computed with: a first pass over the tokens refuses a key that repeats in its object
 * (Jackson would let the last one win while the stored receipt holds both) and a number with more than
 * {@link #MAX_DIGITS} digits before or after the decimal point once its exponent is applied
 * ({@code 1e10000000} is eleven characters but ten million digits). Only the number's text is looked at;
 * no BigDecimal is made of it. Each problem names its JSON pointer; syntax errors give line and column
 * and say what is wrong in plain words, never the parser's class names.
 */
public final class StrictJson {

    /** Digits a JSON number may have before, and after, the decimal point (written out in full). */
    public static final int MAX_DIGITS = 40;

    /** At most this many problems are reported for one document. */
    static final int MAX_ERRORS = 20;

    private StrictJson() {
    }

    /**
     * The document as a tree, or a {@link FormatException} with the syntax error, or with every duplicate
     * key and oversized number found.
     */
    public static JsonNode read(ObjectMapper json, byte[] document) {
        List<FieldError> errors = scan(json, document);
        if (!errors.isEmpty()) {
            throw new FormatException(errors);
        }
        try {
            JsonNode node = json.readTree(document);
            if (node == null || node.isMissingNode()) {
                throw new FormatException(FieldError.of("body", "is empty"));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new FormatException(FieldError.of("body", syntax(e)));
        } catch (IOException e) {
            throw new FormatException(FieldError.of("body", "cannot be read"));
        }
    }

    /** Duplicate keys and oversized numbers, each with its pointer; a syntax error ends the scan. */
    static List<FieldError> scan(ObjectMapper json, byte[] document) {
        List<FieldError> errors = new ArrayList<>();
        Deque<Set<String>> objects = new ArrayDeque<>();
        try (JsonParser p = json.getFactory().createParser(document)) {
            JsonToken t;
            while ((t = p.nextToken()) != null && errors.size() < MAX_ERRORS) {
                switch (t) {
                    case START_OBJECT -> objects.push(new HashSet<>());
                    case END_OBJECT -> objects.pop();
                    case FIELD_NAME -> {
                        if (!objects.peek().add(p.currentName())) {
                            errors.add(FieldError.of(pointer(p), "repeats the key '" + p.currentName()
                                    + "' of its object; a key may appear only once"));
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        String problem = numberProblem(p.getText());
                        if (problem != null) {
                            errors.add(FieldError.of(pointer(p), problem));
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (StreamConstraintsException e) {
            // a number or text longer than the parser's limits: reported where it is
            errors.add(FieldError.of("body", syntax(e)));
        } catch (JsonProcessingException e) {
            // a syntax error: reported by the real read, with its line and column
            return errors;
        } catch (IOException e) {
            errors.add(FieldError.of("body", "cannot be read"));
        }
        return errors;
    }

    /**
     * Why a JSON number's text is out of bounds, or null. The number is
     * {@code -? int (. frac)? ([eE] [+-]? exp)?}; written out, it has {@code int + exp} digits before the
     * point and {@code frac - exp} after it (leading zeros of the integer part not counted).
     */
    static String numberProblem(String text) {
        int i = text.startsWith("-") ? 1 : 0;
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        String mantissa = text.substring(i, e < 0 ? text.length() : e);
        int dot = mantissa.indexOf('.');
        String integer = (dot < 0 ? mantissa : mantissa.substring(0, dot)).replaceFirst("^0+", "");
        String fraction = dot < 0 ? "" : mantissa.substring(dot + 1).replaceFirst("0+$", "");
        boolean zero = integer.isEmpty() && fraction.isEmpty();
        long exponent = 0;
        if (e >= 0 && !zero) {
            String exp = text.substring(e + 1);
            boolean negative = exp.startsWith("-");
            String digits = exp.replaceFirst("^[+-]", "").replaceFirst("^0+", "");
            if (digits.length() > 6) {
                return "is a number with an exponent of " + digits.length() + " digits; at most " + MAX_DIGITS
                        + " digits before and after the decimal point are accepted";
            }
            exponent = digits.isEmpty() ? 0 : Long.parseLong(digits) * (negative ? -1 : 1);
        }
        long before = zero ? 0 : integer.length() + exponent;
        long after = zero ? 0 : fraction.length() - exponent;
        if (before > MAX_DIGITS) {
            return "is a number with " + before + " digits before the decimal point; at most " + MAX_DIGITS
                    + " are accepted";
        }
        if (after > MAX_DIGITS) {
            return "is a number with " + after + " digits after the decimal point; at most " + MAX_DIGITS
                    + " are accepted";
        }
        return null;
    }

    /** A syntax or limit error in plain words, with line and column, without the parser's internals. */
    public static String syntax(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getOriginalMessage());
            java.util.regex.Matcher sizes = java.util.regex.Pattern
                    .compile("\\((\\d+)\\) exceeds the maximum allowed \\((\\d+)").matcher(m);
            String figures = sizes.find() ? " (" + sizes.group(1) + "; the limit is " + sizes.group(2) + ")" : "";
            String what = m.startsWith("Number") ? "a number longer than accepted"
                    : m.startsWith("String") ? "a text value longer than accepted"
                    : m.startsWith("Document nesting depth") ? "a nesting depth of objects and arrays beyond the limit"
                    : m.startsWith("Name") ? "a key longer than accepted"
                    : "a value beyond the parser's limits";
            return "has " + what + figures + where;
        }
        return "is not valid JSON" + where + ": " + plain(e.getOriginalMessage());
    }

    /** The parser's message without class and method names (quoted in backticks) or character codes. */
    static String plain(String message) {
        if (message == null) {
            return "unreadable";
        }
        String m = message.replaceAll("\\s*\\([^()]*`[^`]*`[^()]*\\)", "")
                .replaceAll("`[^`]*`", "a value")
                .replaceAll(" \\(code \\d+\\)", "");
        return FieldError.cut(m.strip(), 200);
    }

    /** The JSON pointer of the parser's current token. */
    private static String pointer(JsonParser p) {
        return p.getParsingContext().pathAsPointer().toString();
    }
}
