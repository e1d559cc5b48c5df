package io.orderhub.inventory;

/** What an inventory stage did with an order. */
public record StageResult(String orderId, Outcome outcome, String detail) {

    public enum Outcome {
        CONFIRMED, BACKORDERED, CANCELLED, ALLOCATED,
        /** stock still short: a backordered order stays backordered, a paid order stays paid */
        SHORT,
        /** an unknown SKU under the "hold" policy: the order is left as it is */
        HELD,
        /** the order is not in the state the stage acts on (any more) */
        SKIPPED,
        /** the event was handled before */
        DUPLICATE
    }
}
