package io.orderhub.ingest;

import io.orderhub.format.MappedOrder;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.DocumentPurpose;

/**
 * One mapped order after the validate step: its purpose and either the refusal ({@code refused}), the valid
 * order ({@code order}: an original or a replacement), or what it refers to (a cancellation or copy by its
 * externalId, a change by {@code change}).
 */
record PreparedOrder(MappedOrder mapped, DocumentPurpose purpose, OrderResult refused, CanonicalOrder order,
                     ChangeRequest change) {

    static PreparedOrder refused(MappedOrder mapped, DocumentPurpose purpose, java.util.List<io.orderhub.common.FieldError> errors) {
        return new PreparedOrder(mapped, purpose, new OrderResult(mapped.position(), mapped.documentId(),
                OrderResult.Outcome.REJECTED, null, null, errors), null, null);
    }
}
