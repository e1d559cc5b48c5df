package io.orderhub.order;

/**
 * Undoes what a stage did for an order when it is cancelled (release stock, refund, void a label).
 * Every implementation runs inside the cancellation's transaction, so the state change and its
 * compensation commit together or not at all.
 */
public interface OrderCompensation {

    void compensate(CanonicalOrder order, OrderStatus cancelledFrom, String reason);
}
