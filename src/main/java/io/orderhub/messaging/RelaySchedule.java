package io.orderhub.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When the outbox relay (routes/outbox-relay.camel.yaml) runs: right after a transaction that appended events
 * commits ({@link #wake}, from the outbox's after-commit), and at least once per poll interval, for the events other
 * hub instances committed and those a crashed run left. The relay's thread ({@link io.orderhub.messaging.camel.RelayTrigger}) waits in
 * {@link #awaitDue} without ticking, so an idle hub runs the relay once per poll interval and nothing in between,
 * and an event committed here goes out as soon as its transaction has committed.
 */
@Component("relaySchedule")
public class RelaySchedule {

    private final Clock clock;
    private final Duration pollInterval;
    private final Object lock = new Object();
    private volatile boolean woken = true;
    private Instant lastRun = Instant.EPOCH;

    @Autowired
    public RelaySchedule(Outbox outbox, Clock clock, @Value("${orderhub.outbox.poll-interval-ms}") long pollIntervalMs) {
        this(clock, Duration.ofMillis(pollIntervalMs));
        outbox.onCommit(this::wake);
    }

    /** A schedule not tied to an outbox (tests): woken only by {@link #wake}, due at least every poll interval. */
    public RelaySchedule(Clock clock, Duration pollInterval) {
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    /** Events were committed: the relay runs now, or right after the run in progress. Returns at once. */
    public void wake() {
        if (woken) {
            // already due: the committing threads need not meet on the lock
            return;
        }
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    /** Whether the relay runs now; a true answer counts as the run. */
    public boolean due() {
        synchronized (lock) {
            Instant now = clock.instant();
            if (woken || !now.isBefore(lastRun.plus(pollInterval))) {
                woken = false;
                lastRun = now;
                return true;
            }
            return false;
        }
    }

    /**
     * Waits until the relay is due ({@link #due}): woken by a commit, or the poll interval since the last run is
     * over. One thread waits (the relay's).
     */
    public void awaitDue() throws InterruptedException {
        synchronized (lock) {
            while (!due()) {
                long waitMs = Math.max(1, Duration.between(clock.instant(), lastRun.plus(pollInterval)).toMillis());
                lock.wait(waitMs);
            }
        }
    }
}
