package io.orderhub.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.support.BlockingBroker;
import io.orderhub.messaging.BrokerSends;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;

/**
 * The reorder check sends its suggestions inside the database transaction that holds the {@code reorder-check} lock
 * row. Before the fix a broker that blocks producers (disk or address full) held that transaction, its connection
 * and the lock for as long as it blocked; now the send fails after its timeout (the check rolls back and runs again
 * at its next interval), and a suggestion sent twice across such a rollback reaches the queue once.
 */
class ReorderSenderBlockedTest {

    static final String QUEUE = "erp.reorder-suggestions";

    @Test
    void aSuggestionTheBrokerBlocksFailsInTimeAndGoesOnceWhenThereIsRoom() throws Exception {
        try (BlockingBroker broker = new BlockingBroker("BLOCK", "8KiB")) {
            broker.queue(QUEUE);
            broker.fill(QUEUE, false);
            long before = broker.count(QUEUE);
            BrokerSends sends = new BrokerSends(new SimpleMeterRegistry(), Clock.systemUTC());
            ReorderSender sender = new ReorderSender(broker.connectionFactory(), new ObjectMapper().findAndRegisterModules()
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS),
                    sends, QUEUE, 2000);
            ReorderSuggestion suggestion = new ReorderSuggestion(UUID.randomUUID().toString(), "SKU-R1", "eu-central", 3,
                    new BigDecimal("90"), 216L, null, Instant.parse("2026-12-01T10:00:00Z"), null);

            assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(BrokerSends.BrokerBlockedException.class, () -> sender.send(suggestion)),
                    "the reorder check waited for a broker that blocks producers, in its transaction, holding its lock");
            assertThat(sends.blocked()).extracting(BrokerSends.Blockage::sender).containsExactly("reorder suggestions");
            assertThat(broker.count(QUEUE)).isEqualTo(before);

            broker.drain(QUEUE);
            sender.send(suggestion);
            // the next run after a rollback that came too late sends the same crossing again: the broker keeps one
            sender.send(suggestion);
            assertThat(broker.count(QUEUE)).isEqualTo(1);
            try (Connection c = broker.connectionFactory().createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                c.start();
                TextMessage m = (TextMessage) s.createConsumer(s.createQueue(QUEUE)).receive(10_000);
                assertThat(m.getStringProperty("sku")).isEqualTo("SKU-R1");
                assertThat(m.getStringProperty("warehouse")).isEqualTo("eu-central");
                assertThat(m.getStringProperty("suggestionId")).isEqualTo(suggestion.suggestionId());
                assertThat(m.getStringProperty("eventType")).isEqualTo("inventory.reorder-suggested");
                assertThat(m.getText()).contains("\"type\":\"inventory.reorder-suggested\"").contains("\"quantity\":216")
                        .contains("\"crossedAt\":\"2026-12-01T10:00:00Z\"");
            }
            assertThat(sends.blocked()).isEmpty();
        }
    }
}
