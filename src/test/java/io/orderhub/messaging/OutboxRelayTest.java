package io.orderhub.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Lifecycle events reach the multicast address orders.events through the outbox (routes/outbox-relay.camel.yaml),
 * sealed under the key ring's active key.
 */
class OutboxRelayTest extends HubTestSupport {

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    io.orderhub.crypto.DataCipher cipher;

    @Test
    void createdAndCancelledEventsArePublishedInOrderAndMarked() throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createTopic("orders.events"));
            connection.start();

            String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
            postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, "{\"reason\":\"test\"}");

            List<JsonNode> mine = new ArrayList<>();
            List<Message> raw = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                Message m = consumer.receive(200);
                if (m != null && orderId.equals(m.getStringProperty("orderId"))) {
                    // sealed on the broker (the order's personal data is in it), opened with the hub's key ring
                    String body = ((TextMessage) m).getText();
                    assertThat(body).startsWith("ohe1:" + cipher.activeKeyId() + ":").doesNotContain(orderId);
                    mine.add(json.readTree(cipher.openText(body)));
                    raw.add(m);
                }
                return mine.size() == 2;
            });

            assertThat(mine.get(0).get("type").asText()).isEqualTo("order.created");
            assertThat(mine.get(0).get("status").asText()).isEqualTo("CREATED");
            assertThat(mine.get(0).at("/data/order/orderId").asText()).isEqualTo(orderId);
            assertThat(mine.get(1).get("type").asText()).isEqualTo("order.cancelled");
            assertThat(mine.get(1).get("status").asText()).isEqualTo("CANCELLED");
            assertThat(mine.get(1).at("/data/fromStatus").asText()).isEqualTo("CREATED");
            assertThat(mine.get(1).at("/data/detail").asText()).isEqualTo("test");
            for (JsonNode e : mine) {
                assertThat(e.get("eventId").asText()).hasSize(36);
                assertThat(e.get("at").asText()).endsWith("Z");
            }
            assertThat(raw.get(0).getStringProperty("JMSXGroupID")).isEqualTo(orderId);
            assertThat(raw.get(0).getStringProperty("eventType")).isEqualTo("order.created");
            // the webshop channel sends no partner documents: the broker keeps its events off b2b.outbound
            assertThat(raw.get(0).getObjectProperty(EventPublisher.PARTNER_DOCUMENTS)).isEqualTo(false);
            assertThat(raw.get(0).getStringProperty("_AMQ_DUPL_ID")).isEqualTo(mine.get(0).get("eventId").asText());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                    "select count(*) from outbox where order_id = ? and published_at is null", Integer.class, orderId))
                    .isZero());
        }
    }
}
