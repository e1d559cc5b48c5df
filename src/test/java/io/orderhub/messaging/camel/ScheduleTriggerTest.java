package io.orderhub.messaging.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderhub.messaging.RelaySchedule;
import org.junit.jupiter.api.Test;

/**
 * A route's scheduler from a schedule (ScheduleTrigger, here the relay's): one thread that runs the poll when a commit
 * wakes it or the interval is over, and nothing in between; stopping ends it, starting again resumes.
 */
class ScheduleTriggerTest {

    @Test
    void aWakeUpRunsTheRelayAtOnceWithoutWaitingForThePollInterval() {
        RelaySchedule schedule = new RelaySchedule(Clock.fixed(Instant.now(), ZoneOffset.UTC), Duration.ofHours(1));
        ScheduleTrigger trigger = new ScheduleTrigger("orderhub-outbox-relay", schedule);
        AtomicInteger runs = new AtomicInteger();
        trigger.scheduleTask(runs::incrementAndGet);
        trigger.startScheduler();
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(runs).as("the first run at start").hasValue(1));

            schedule.wake();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(runs).as("woken by a commit").hasValue(2));

            trigger.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> !trigger.isSchedulerStarted());
            trigger.startScheduler();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(runs).as("started again").hasValue(3));
        } finally {
            trigger.shutdown();
        }
    }

    @Test
    void withoutWakeUpsTheRelayRunsOncePerPollInterval() {
        RelaySchedule schedule = new RelaySchedule(Clock.systemUTC(), Duration.ofMillis(50));
        ScheduleTrigger trigger = new ScheduleTrigger("orderhub-outbox-relay", schedule);
        AtomicInteger runs = new AtomicInteger();
        trigger.scheduleTask(runs::incrementAndGet);
        trigger.startScheduler();
        try {
            // other instances' events and those a crashed run left are found by the poll
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(runs.get()).isGreaterThanOrEqualTo(3));
        } finally {
            trigger.shutdown();
        }
    }
}
