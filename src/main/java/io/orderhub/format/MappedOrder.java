package io.orderhub.format;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;

/**
 * One order read from a document: the canonical order candidate (to be validated by the hub), the
 * document's own id for it (PO number, Shopify id, ...), its position in the document (1-based: the
 * transaction set or message number in an interchange, the order's rank in a CSV or batch), and the
 * problems the mapping itself found (an unreadable segment, a missing element), each naming its
 * place in the source document. An order with mapping errors is rejected; {@code order} may then be null.
 */
public record MappedOrder(JsonNode order, String documentId, int position, List<FieldError> errors) {

    public MappedOrder {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static MappedOrder of(JsonNode order, String documentId, int position) {
        return new MappedOrder(order, documentId, position, List.of());
    }
}
