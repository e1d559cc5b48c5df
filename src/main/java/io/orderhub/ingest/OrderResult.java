package io.orderhub.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.orderhub.common.FieldError;
import io.orderhub.order.CanonicalOrder;

/**
 * What became of one order of a document: CREATED (new order), DUPLICATE (the channel sent this
 * externalId before; the stored order is returned) or REJECTED (every problem listed).
 */
public record OrderResult(int position, String documentId, Outcome status, String orderId,
                          @JsonIgnore CanonicalOrder order, List<FieldError> errors) {

    public enum Outcome { CREATED, DUPLICATE, REJECTED }

    public OrderResult {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
