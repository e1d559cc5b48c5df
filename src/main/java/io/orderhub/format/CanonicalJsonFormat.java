package io.orderhub.format;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import org.springframework.stereotype.Component;

/** The hub's own canonical JSON order (DESIGN §4): read as it is, one order per document. */
@Component
public class CanonicalJsonFormat implements DocumentFormat {

    public static final String ID = "canonical";

    private final ObjectMapper json;

    public CanonicalJsonFormat(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int recognise(DocumentHead head) {
        if (!head.startsWith("{")) {
            return 0;
        }
        // canonical field names at the top level; channel formats use their own (line_items, order_number, ...)
        JsonShape shape = head.json();
        return shape.envelope() == null && (shape.hasOrderKey("externalId") || shape.hasOrderKey("lines")) ? 50 : 5;
    }

    @Override
    public FormatResult read(byte[] document, MappingContext context) {
        JsonNode node;
        try {
            node = parse(json, document);
        } catch (FormatException e) {
            return FormatResult.rejected(e.errors());
        }
        if (!node.isObject()) {
            return FormatResult.rejected(List.of(FieldError.of("", "must be a JSON object holding one order")));
        }
        JsonNode externalId = node.path("externalId");
        return FormatResult.of(List.of(MappedOrder.of(node, externalId.isTextual() ? externalId.asText() : null, 1)));
    }

    /**
     * Parses a JSON order document: duplicate keys and numbers out of bounds are refused before any value
     * is used, a syntax error is described by line and column (never quoting the document); see {@link StrictJson}.
     */
    public static JsonNode parse(ObjectMapper json, byte[] document) {
        return StrictJson.read(json, document);
    }
}
