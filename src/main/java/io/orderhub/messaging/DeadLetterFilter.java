package io.orderhub.messaging;

import java.time.Instant;
import java.util.List;

/**
 * Which dead letters an operator means: each criterion narrows the set when given. {@code reason}
 * matches a part of the reason (case-insensitive); {@code olderThan}/{@code newerThan} bound when the
 * letter was created; {@code ids} names letters one by one.
 */
public record DeadLetterFilter(String status, String target, String orderId, String reason, Instant olderThan,
                               Instant newerThan, List<Long> ids) {

    public static DeadLetterFilter status(String status) {
        return new DeadLetterFilter(status, null, null, null, null, null, null);
    }

    /** True when nothing but the status narrows the set. */
    public boolean unbounded() {
        return target == null && orderId == null && reason == null && olderThan == null && newerThan == null
                && (ids == null || ids.isEmpty());
    }

    public DeadLetterFilter withStatus(String newStatus) {
        return new DeadLetterFilter(newStatus, target, orderId, reason, olderThan, newerThan, ids);
    }
}
