package io.orderhub.messaging;

import java.time.Instant;

/**
 * A lifecycle event as published on {@code orders.events} (DESIGN §6):
 * {@code {eventId, orderId, type, status, at, data}}.
 */
public record OutboxEvent(String eventId, String orderId, String type, String status, Instant at, Object data) {
}
