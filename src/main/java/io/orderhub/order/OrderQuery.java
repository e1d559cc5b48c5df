package io.orderhub.order;

import java.time.Instant;

/**
 * Filters of the order list; null means "any". {@code from}/{@code to} bound receivedAt (to exclusive);
 * {@code trackingNumber} finds the order a carrier's tracking code belongs to; {@code customerEmail} the orders of a
 * customer's e-mail address (compared by its keyed hash, case-insensitively).
 */
public record OrderQuery(OrderStatus status, String channel, String externalId, String trackingNumber, Instant from,
                         Instant to, int page, int size, String customerEmail) {

    public OrderQuery(OrderStatus status, String channel, String externalId, String trackingNumber, Instant from,
                      Instant to, int page, int size) {
        this(status, channel, externalId, trackingNumber, from, to, page, size, null);
    }
}
