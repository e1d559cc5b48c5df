package io.orderhub.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.support.BlockingBroker;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay publishes inside its database transaction, which holds the relay lock. A broker that blocks
 * producers (its disk beyond the limit, or the address full under BLOCK) gives the send no credit: before the fix
 * the send, and with it the relay's transaction, its database connection and the lock, waited for as long as the
 * broker blocked. Now a batch the broker has not taken within the send timeout is interrupted and rolled back
 * (nothing of it is on the broker), counts as not published, and goes once the broker has room.
 */
class EventPublisherBlockedTest {

    @Test
    void aBatchTheBrokerBlocksIsRolledBackInTimeAndGoesOnceTheBrokerHasRoom() throws Exception {
        try (BlockingBroker broker = new BlockingBroker("BLOCK", "8KiB")) {
            broker.multicastQueue("orders.events", "erp.sync");
            broker.fill("orders.events", true);
            long before = broker.count("erp.sync");
            BrokerSends sends = new BrokerSends(new SimpleMeterRegistry(), Clock.systemUTC());
            EventPublisher publisher = new EventPublisher(broker.connectionFactory(), "orders.events", sends, 2000,
                    new io.orderhub.security.EventSignatures("test-event-signing-secret", new org.springframework.mock.env.MockEnvironment()));
            List<Outbox.PendingEvent> batch = events(3);

            List<Long> published = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> publisher.publish(batch),
                    "a batch the broker blocks must come back (before the fix the relay waited as long as the broker blocked, "
                            + "in its database transaction, holding the relay lock)");

            assertThat(published).as("a batch the broker did not take is not published").isEmpty();
            assertThat(sends.blocked()).extracting(BrokerSends.Blockage::sender).containsExactly("outbox relay");
            assertThat(broker.count("erp.sync")).as("nothing of the rolled-back batch is on the broker").isEqualTo(before);

            broker.drain("erp.sync");
            await().atMost(Duration.ofSeconds(60)).until(() -> publisher.publish(batch).size() == 3);
            assertThat(broker.count("erp.sync")).as("the batch, once").isEqualTo(3);
            assertThat(sends.blocked()).isEmpty();
        }
    }

    @Test
    void aBatchTheBrokerRefusesForWantOfRoomIsNotPublishedAndSaysWhy() throws Exception {
        try (BlockingBroker broker = new BlockingBroker("FAIL", "8KiB")) {
            broker.multicastQueue("orders.events", "erp.sync");
            broker.fill("orders.events", true);
            BrokerSends sends = new BrokerSends(new SimpleMeterRegistry(), Clock.systemUTC());
            EventPublisher publisher = new EventPublisher(broker.connectionFactory(), "orders.events", sends, 2000,
                    new io.orderhub.security.EventSignatures("test-event-signing-secret", new org.springframework.mock.env.MockEnvironment()));
            List<Outbox.PendingEvent> batch = events(2);

            // FAIL: the broker refuses at once (AMQ219058), where BLOCK makes the producer wait; the relay treats it
            // alike (nothing published, one warning, the health says why) instead of an error on every poll
            assertThat(publisher.publish(batch)).isEmpty();
            assertThat(sends.blocked()).singleElement().satisfies(b -> {
                assertThat(b.sender()).isEqualTo("outbox relay");
                assertThat(b.detail()).contains("AMQ219058").contains("is full");
            });

            broker.drain("erp.sync");
            assertThat(publisher.publish(batch)).hasSize(2);
            assertThat(sends.blocked()).isEmpty();
        }
    }

    private static List<Outbox.PendingEvent> events(int n) {
        List<Outbox.PendingEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String eventId = UUID.randomUUID().toString();
            events.add(new Outbox.PendingEvent(i + 1, eventId, "ORD-BLOCKED-" + i, "order.noted",
                    "{\"eventId\":\"" + eventId + "\",\"type\":\"order.noted\"}"));
        }
        return events;
    }
}
