package io.orderhub.messaging;

import java.time.Instant;

/**
 * An event a target did not take: why (the target's answer or the mapping's problem), how often it
 * was tried, and whether it has been replayed since. {@code status}: {@code OPEN}, {@code REPLAYED} or
 * {@code DISCARDED} (an operator decided it needs no delivery; {@code resolution} says why).
 */
public record DeadLetter(long id, String target, String eventId, String orderId, String eventType, String reason,
                         Integer httpStatus, String status, int attempts, Instant createdAt, Instant updatedAt,
                         String resolution) {

    public static final String OPEN = "OPEN";
    public static final String REPLAYED = "REPLAYED";
    public static final String DISCARDED = "DISCARDED";
}
