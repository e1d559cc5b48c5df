package io.orderhub.common;

import java.time.Instant;

/**
 * The last call a connector made to its partner system and how many failed in a row: what health
 * shows for connectors without a circuit breaker (carrier, ERP, CRM). A refusal (4xx) counts as
 * reached: the partner answered. Thread-safe.
 */
public final class CallRecord {

    private volatile Outcome last;
    private int consecutiveFailures;

    public synchronized void reached(String detail) {
        consecutiveFailures = 0;
        last = new Outcome(Instant.now(), true, detail, 0);
    }

    public synchronized void failed(String detail) {
        consecutiveFailures++;
        last = new Outcome(Instant.now(), false, detail, consecutiveFailures);
    }

    /** The last call, or null before the first. */
    public Outcome last() {
        return last;
    }

    /** One call: when, whether the partner was reached, what it answered or why not, failures in a row. */
    public record Outcome(Instant at, boolean reached, String detail, int consecutiveFailures) {
    }
}
