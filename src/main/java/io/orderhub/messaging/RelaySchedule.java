package io.orderhub.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When the outbox relay (routes/outbox-relay.camel.yaml) runs: right after a transaction that appended events
 * commits (the relay's timer looks every check interval, in memory), and at least once per poll interval, for the
 * events other hub instances committed. An idle hub thus touches the database once per poll interval, and an event
 * waits at most one check interval for its publication instead of a poll interval.
 */
@Component("relaySchedule")
public class RelaySchedule {

    private final Clock clock;
    private final Duration pollInterval;
    private final AtomicBoolean woken = new AtomicBoolean(true);
    private volatile Instant lastRun = Instant.EPOCH;

    @Autowired
    public RelaySchedule(Outbox outbox, Clock clock, @Value("${orderhub.outbox.poll-interval-ms}") long pollIntervalMs) {
        this(clock, Duration.ofMillis(pollIntervalMs));
        outbox.onCommit(this::wake);
    }

    RelaySchedule(Clock clock, Duration pollInterval) {
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    /** Events were committed: the relay runs at its next look. */
    public void wake() {
        woken.set(true);
    }

    /** Whether the relay runs now; a true answer counts as the run. Called from the relay's timer, one thread. */
    public boolean due() {
        Instant now = clock.instant();
        if (woken.getAndSet(false) || !now.isBefore(lastRun.plus(pollInterval))) {
            lastRun = now;
            return true;
        }
        return false;
    }
}
