package io.orderhub.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.orderhub.common.MutableClock;
import org.junit.jupiter.api.Test;

/** The outbox relay runs at once after a commit with events, otherwise once per poll interval. */
class RelayScheduleTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void aCommitMakesTheNextLookARunAndOtherwiseThePollIntervalDoes() {
        RelaySchedule schedule = new RelaySchedule(clock, Duration.ofSeconds(1));
        assertThat(schedule.due()).as("the first look after start").isTrue();
        assertThat(schedule.due()).as("nothing committed, interval not over").isFalse();

        clock.advance(Duration.ofMillis(20));
        schedule.wake();
        assertThat(schedule.due()).as("after a commit").isTrue();
        assertThat(schedule.due()).as("one run per wake-up").isFalse();

        clock.advance(Duration.ofMillis(999));
        assertThat(schedule.due()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(schedule.due()).as("the poll interval since the last run").isTrue();
        assertThat(schedule.due()).isFalse();

        // several commits between two looks: one run takes them all
        schedule.wake();
        schedule.wake();
        assertThat(schedule.due()).isTrue();
        assertThat(schedule.due()).isFalse();
    }
}
