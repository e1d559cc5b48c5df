package io.orderhub.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay publishes an event in clear whichever instance appended it: this instance keeps the clear payloads of its
 * own appends for its relay, and decrypts the stored payload of an event another instance appended.
 */
class OutboxOtherInstanceTest extends HubTestSupport {

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    NamedParameterJdbcTemplate named;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void anEventAppendedByAnotherInstanceIsPublishedInClear() throws Exception {
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        Outbox otherInstance = new Outbox(named, json, Clock.systemUTC(), cipher, "other-instance", 50,
                new SimpleMeterRegistry());
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createTopic("orders.events"));
            connection.start();

            OutboxEvent appended = new TransactionTemplate(transactions).execute(s -> otherInstance.append(orderId,
                    "order.noted", "CREATED", Map.of("detail", "appended by another instance")));
            String stored = jdbc.queryForObject("select payload from outbox where event_id = ?", String.class,
                    appended.eventId());
            assertThat(stored).doesNotContain("appended by another instance");

            JsonNode[] published = new JsonNode[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Message m = consumer.receive(200);
                if (m != null) {
                    JsonNode event = json.readTree(((TextMessage) m).getText());
                    if (event.path("eventId").asText().equals(appended.eventId())) {
                        published[0] = event;
                    }
                }
                return published[0] != null;
            });
            assertThat(published[0].get("orderId").asText()).isEqualTo(orderId);
            assertThat(published[0].at("/data/detail").asText()).isEqualTo("appended by another instance");
        }
    }
}
