package io.orderhub.messaging;

import java.time.Clock;
import java.time.Duration;

import io.orderhub.common.WakeableSchedule;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When the outbox relay (routes/outbox-relay.camel.yaml) runs: right after a transaction that appended events
 * commits ({@link #wake}, from the outbox's after-commit), and at least once per poll interval, for the events other
 * hub instances committed and those a crashed run left. The relay's thread (the {@code relayTrigger} of
 * {@link io.orderhub.messaging.camel.ScheduleTriggers}) waits in {@link #awaitDue} without ticking, so an idle hub
 * runs the relay once per poll interval and nothing in between, and an event committed here goes out as soon as its
 * transaction has committed.
 */
@Component("relaySchedule")
public class RelaySchedule extends WakeableSchedule {

    @Autowired
    public RelaySchedule(Outbox outbox, Clock clock, @Value("${orderhub.outbox.poll-interval-ms}") long pollIntervalMs) {
        this(clock, Duration.ofMillis(pollIntervalMs));
        outbox.onCommit(this::wake);
    }

    /** A schedule not tied to an outbox (tests): woken only by {@link #wake}, due at least every poll interval. */
    public RelaySchedule(Clock clock, Duration pollInterval) {
        super(clock, pollInterval);
    }
}
