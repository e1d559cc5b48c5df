package io.orderhub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The outbox relay runs at once after a commit with events, otherwise once per poll interval. */
class RelayScheduleTest {

    private Instant now = Instant.parse("2026-12-06T08:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aCommitMakesTheNextLookARunAndOtherwiseThePollIntervalDoes() {
        RelaySchedule schedule = new RelaySchedule(clock, Duration.ofSeconds(1));
        assertThat(schedule.due()).as("the first look after start").isTrue();
        assertThat(schedule.due()).as("nothing committed, interval not over").isFalse();

        now = now.plusMillis(20);
        schedule.wake();
        assertThat(schedule.due()).as("after a commit").isTrue();
        assertThat(schedule.due()).as("one run per wake-up").isFalse();

        now = now.plusMillis(999);
        assertThat(schedule.due()).isFalse();
        now = now.plusMillis(1);
        assertThat(schedule.due()).as("the poll interval since the last run").isTrue();
        assertThat(schedule.due()).isFalse();

        // several commits between two looks: one run takes them all
        schedule.wake();
        schedule.wake();
        assertThat(schedule.due()).isTrue();
        assertThat(schedule.due()).isFalse();
    }
}
