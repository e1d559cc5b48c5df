package io.orderhub.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.orderhub.common.FieldError;
import io.orderhub.order.CanonicalOrder;

/**
 * What became of one order of a document: CREATED (new order), DUPLICATE (the channel sent this
 * externalId before, or the document is a copy; the stored order is returned), CANCELLED or REPLACED (a
 * cancellation or replacement document acted on the stored order, which is returned) or REJECTED (every
 * problem listed; for a cancellation or replacement refused by the stored order's state, that order).
 */
public record OrderResult(int position, String documentId, Outcome status, String orderId,
                          @JsonIgnore CanonicalOrder order, List<FieldError> errors) {

    public enum Outcome { CREATED, DUPLICATE, CANCELLED, REPLACED, REJECTED }

    public OrderResult {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
