package io.orderhub.payment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker per gateway: after {@code threshold} consecutive failed calls (timeouts, 5xx,
 * 429) it opens and calls fail at once without reaching the gateway; after {@code openFor} it lets
 * calls through again (half open): one success closes it, one failure opens it for another period.
 * Orders whose charge could not be sent stay CONFIRMED with a PENDING payment and are charged by the
 * pending-payments job (same idempotency key) once the breaker lets calls through.
 */
public class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private State state = State.CLOSED;
    private int failures;
    private Instant openedAt;

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = Math.max(1, threshold);
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Whether a call may go to the gateway now. */
    public synchronized boolean allow() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
            state = State.HALF_OPEN;
        }
        return state != State.OPEN;
    }

    public synchronized void success() {
        failures = 0;
        state = State.CLOSED;
    }

    public synchronized void failure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAt = clock.instant();
        }
    }

    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
