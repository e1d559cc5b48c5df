package io.orderhub.ingest;

import io.orderhub.order.CanonicalOrder;

/**
 * A step another part of the hub adds to intake that rewrites a valid canonical order before the intake
 * checks run (e.g. the inventory's item cross-reference: a partner's item number becomes our SKU). Runs in
 * submissions and previews alike; it never refuses an order (the checks after it do).
 */
public interface LineTranslation {

    CanonicalOrder translate(CanonicalOrder order, String channel);
}
