package io.orderhub.ingest;

import java.util.List;

import io.orderhub.common.FieldError;
import io.orderhub.order.CanonicalOrder;

/**
 * A rule another part of the hub adds to intake (e.g. the inventory's "every SKU is in the
 * catalogue"). Runs on a valid canonical order before it is stored; any problem refuses the order
 * like a validation error (422 naming the field), and the receipt keeps the document and the errors.
 */
public interface IntakeCheck {

    List<FieldError> check(CanonicalOrder order, String channel);
}
