package io.orderhub.order;

/**
 * Undoes what a stage did for an order when it is cancelled (release stock, refund, void a label).
 * Every implementation runs inside the cancellation's transaction, so the state change and its
 * compensation commit together or not at all.
 */
public interface OrderCompensation {

    void compensate(CanonicalOrder order, OrderStatus cancelledFrom, String reason);

    /**
     * What this compensation will give back, for the {@code data} of the order.cancelled event (e.g.
     * {@code refund}: amount, currency, method), read before {@link #compensate} runs. Default: nothing.
     */
    default java.util.Map<String, Object> cancellationData(CanonicalOrder order, OrderStatus cancelledFrom) {
        return java.util.Map.of();
    }
}
