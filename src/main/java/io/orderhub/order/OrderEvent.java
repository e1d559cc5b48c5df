package io.orderhub.order;

import java.time.Instant;

/** One entry of an order's timeline. */
public record OrderEvent(Instant at, String type, OrderStatus fromStatus, OrderStatus toStatus, String detail) {
}
