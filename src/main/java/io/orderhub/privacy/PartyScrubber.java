package io.orderhub.privacy;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import static io.orderhub.privacy.PersonalData.ERASED;

/** Erases the parties' personal fields in a stored order document, and their values wherever the document repeats them. */
final class PartyScrubber {

    private static final List<String> CUSTOMER_FIELDS = List.of("externalId", "name", "email", "phone", "company", "vatId");
    private static final List<String> ADDRESS_FIELDS = List.of("name", "company", "line1", "line2", "city", "region",
            "postalCode", "phone", "email");

    private PartyScrubber() {
    }

    /** Replaces, in place, customer, billTo, shipTo and notes by {@value PersonalData#ERASED}, and any text holding their values. */
    static void scrub(JsonNode doc) {
        Set<String> values = new LinkedHashSet<>();
        eraseFields(doc.get("customer"), CUSTOMER_FIELDS, values);
        eraseFields(doc.get("billTo"), ADDRESS_FIELDS, values);
        eraseFields(doc.get("shipTo"), ADDRESS_FIELDS, values);
        if (doc instanceof ObjectNode o && o.hasNonNull("notes")) {
            values.add(o.get("notes").asText());
            o.put("notes", ERASED);
        }
        // the same values wherever else the document repeats them (provenance, line descriptions)
        values.removeIf(v -> v.isBlank() || v.equals(ERASED) || v.length() < 3);
        replaceEverywhere(doc, values);
    }

    private static void eraseFields(JsonNode party, List<String> fields, Set<String> values) {
        if (party instanceof ObjectNode o) {
            for (String f : fields) {
                if (o.hasNonNull(f)) {
                    values.add(o.get(f).asText());
                    o.put(f, ERASED);
                }
            }
        }
    }

    private static void replaceEverywhere(JsonNode node, Set<String> values) {
        if (values.isEmpty()) {
            return;
        }
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual() && contains(e.getValue().asText(), values)) {
                    e.setValue(TextNode.valueOf(ERASED));
                } else {
                    replaceEverywhere(e.getValue(), values);
                }
            }
        } else if (node != null && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isTextual() && contains(node.get(i).asText(), values)) {
                    ((ArrayNode) node).set(i, TextNode.valueOf(ERASED));
                } else {
                    replaceEverywhere(node.get(i), values);
                }
            }
        }
    }

    private static boolean contains(String text, Set<String> values) {
        for (String v : values) {
            if (text.contains(v)) {
                return true;
            }
        }
        return false;
    }
}
