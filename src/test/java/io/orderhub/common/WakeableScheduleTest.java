package io.orderhub.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * A job's schedule: a wake-up makes the next look a run; otherwise the interval does, and while the job finds nothing
 * (after the threshold of idle runs) only every (multiplier + 1)th interval, until it finds work or is woken.
 */
class WakeableScheduleTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void anIdleJobLooksOnlyEveryFifthIntervalUntilItFindsWorkAgain() {
        WakeableSchedule schedule = new WakeableSchedule(clock, Duration.ofSeconds(1), 3, 4);
        assertThat(schedule.due()).as("the first look after start").isTrue();
        // the first two runs that found nothing: the next one an interval later
        for (int i = 0; i < 2; i++) {
            schedule.ran(false);
            clock.advance(Duration.ofMillis(999));
            assertThat(schedule.due()).as("after idle run %d, interval not over", i + 1).isFalse();
            clock.advance(Duration.ofMillis(1));
            assertThat(schedule.due()).as("after idle run %d, interval over", i + 1).isTrue();
        }
        // the third in a row
        schedule.ran(false);
        // backed off: every fifth interval, and it stays so while the runs find nothing
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMillis(4999));
            assertThat(schedule.due()).as("backed off, look %d not yet", i + 1).isFalse();
            clock.advance(Duration.ofMillis(1));
            assertThat(schedule.due()).as("backed off, look %d", i + 1).isTrue();
            schedule.ran(false);
        }

        // a run that found work: back to every interval
        clock.advance(Duration.ofSeconds(5));
        assertThat(schedule.due()).isTrue();
        schedule.ran(true);
        clock.advance(Duration.ofSeconds(1));
        assertThat(schedule.due()).as("work found: the interval again").isTrue();
    }

    @Test
    void aWakeUpRunsTheJobAtOnceEvenWhileBackedOff() {
        WakeableSchedule schedule = new WakeableSchedule(clock, Duration.ofSeconds(1), 1, 4);
        assertThat(schedule.due()).isTrue();
        schedule.ran(false);
        clock.advance(Duration.ofSeconds(1));
        assertThat(schedule.due()).as("backed off after one idle run").isFalse();

        schedule.wake();
        schedule.wake();
        assertThat(schedule.due()).as("woken: work was committed").isTrue();
        assertThat(schedule.due()).as("one run for several wake-ups").isFalse();
    }

    @Test
    void withoutAMultiplierTheJobNeverBacksOff() {
        WakeableSchedule schedule = new WakeableSchedule(clock, Duration.ofSeconds(1), 2, 0);
        assertThat(schedule.due()).isTrue();
        for (int i = 0; i < 5; i++) {
            schedule.ran(false);
            clock.advance(Duration.ofSeconds(1));
            assertThat(schedule.due()).as("idle run %d", i + 1).isTrue();
        }
    }

    @Test
    void aScheduleNeedsAPositiveIntervalAndNoNegativeBackoff() {
        assertThatThrownBy(() -> new WakeableSchedule(clock, Duration.ZERO)).hasMessageContaining("interval must be positive");
        assertThatThrownBy(() -> new WakeableSchedule(clock, Duration.ofSeconds(1), -1, 4))
                .hasMessageContaining("must not be negative");
    }
}
