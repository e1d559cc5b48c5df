package io.orderhub.order;

import java.time.Instant;

/** Filters of the order list; null means "any". {@code from}/{@code to} bound receivedAt (to exclusive). */
public record OrderQuery(OrderStatus status, String channel, String externalId, Instant from, Instant to,
                         int page, int size) {
}
