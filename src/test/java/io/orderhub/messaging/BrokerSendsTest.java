package io.orderhub.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.common.MutableClock;
import org.junit.jupiter.api.Test;

/** The bounded broker sends: a send not done in time is interrupted and reported, and the report ends. */
class BrokerSendsTest {

    final MutableClock clock = new MutableClock();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final BrokerSends sends = new BrokerSends(meters, clock);

    @Test
    void aSendNotDoneInTimeIsInterruptedAndReportedUntilOneSucceeds() {
        BrokerSends.Sender sender = sends.sender("test sender", Duration.ofMillis(300));
        AtomicBoolean interrupted = new AtomicBoolean();
        assertThatThrownBy(() -> sender.call(() -> {
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        })).isInstanceOf(BrokerSends.BrokerBlockedException.class)
                .hasMessage("test sender: the broker has not taken the send within 300 ms");
        await().atMost(Duration.ofSeconds(30)).untilTrue(interrupted);
        assertThat(sends.blocked()).singleElement().satisfies(b -> {
            assertThat(b.sender()).isEqualTo("test sender");
            assertThat(b.attempts()).isEqualTo(1);
        });
        assertThat(meters.get("orderhub.broker.sends.blocked").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("orderhub.broker.send.timeouts").tag("sender", "test sender").counter().count()).isEqualTo(1.0);

        assertThat(sender.call(() -> "sent")).isEqualTo("sent");
        assertThat(sends.blocked()).isEmpty();
    }

    @Test
    void aSenderThatStopsTryingIsNoLongerReported() {
        BrokerSends.Sender sender = sends.sender("idle sender", Duration.ofMillis(200));
        assertThatThrownBy(() -> sender.call(() -> {
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            return null;
        })).isInstanceOf(BrokerSends.BrokerBlockedException.class);
        assertThat(sends.blocked()).hasSize(1);
        // nothing more to send (another instance sent it, or the work went away): not blocked for ever
        clock.advance(Duration.ofMinutes(3));
        assertThat(sends.blocked()).isEmpty();
    }

    @Test
    void aFailureOfTheSendItselfIsThrownAsItIsAndIsNoBlock() {
        BrokerSends.Sender sender = sends.sender("failing sender", Duration.ofSeconds(30));
        assertThatThrownBy(() -> sender.call(() -> {
            throw new IllegalStateException("refused for another reason");
        })).isInstanceOf(IllegalStateException.class).hasMessage("refused for another reason");
        assertThat(sends.blocked()).isEmpty();
    }

    @Test
    void theBackgroundSenderKeepsABoundedBacklogAndReportsASendThatWaitsLong() {
        BrokerSends.Async async = sends.async("background", 1, Duration.ofSeconds(10));
        CountDownLatch broker = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(2);
        assertThat(async.submit(() -> {
            running.countDown();
            try {
                broker.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        })).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> running.getCount() == 0);
        assertThat(async.submit(done::countDown)).as("one may wait").isTrue();
        assertThat(async.submit(done::countDown)).as("the backlog is full").isFalse();
        assertThat(async.waiting()).isEqualTo(2);
        assertThat(sends.blocked()).as("not waiting long yet").isEmpty();

        clock.advance(Duration.ofSeconds(11));
        assertThat(sends.blocked()).singleElement().satisfies(b -> assertThat(b.detail()).contains("1 refused"));

        broker.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> done.getCount() == 0 && async.waiting() == 0);
        assertThat(sends.blocked()).isEmpty();
    }
}
