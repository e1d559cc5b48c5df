package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Orders by JMS on the embedded Artemis broker (routes/jms-intake.camel.yaml), as a channel's ERP sends them. */
class JmsIntakeTest extends HubTestSupport {

    static final long WAIT_MS = 20_000;

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    EmbeddedActiveMQ broker;

    Connection connection;
    Session session;
    MessageProducer producer;
    TemporaryQueue replies;
    MessageConsumer replyConsumer;

    @BeforeEach
    void connect() throws Exception {
        connection = connectionFactory.createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue("orders.inbound"));
        replies = session.createTemporaryQueue();
        replyConsumer = session.createConsumer(replies);
        connection.start();
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    @Test
    void anOrderBecomesAnOrderAndTheAnswerCarriesTheRequestsCorrelationId() throws Exception {
        ObjectNode order = order();
        TextMessage m = text(order, "webshop");
        m.setJMSCorrelationID("erp-request-17");
        producer.send(m);

        Message reply = replyConsumer.receive(WAIT_MS);
        assertThat(reply).as("answer on JMSReplyTo").isNotNull();
        assertThat(reply.getJMSCorrelationID()).isEqualTo("erp-request-17");
        JsonNode answer = json.readTree(((TextMessage) reply).getText());
        assertThat(answer.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(answer.get("errors")).isEmpty();
        String orderId = answer.get("orderIds").get(0).asText();
        String receiptId = answer.get("receiptId").asText();

        JsonNode stored = get("/api/orders/" + orderId, WEBSHOP_KEY).body();
        assertThat(stored.get("externalId").asText()).isEqualTo(order.get("externalId").asText());
        assertThat(stored.at("/source/via").asText()).isEqualTo("jms");
        assertThat(stored.at("/source/receiptId").asText()).isEqualTo(receiptId);
        assertThat(jdbc.queryForObject("select via || ' ' || channel || ' ' || status from receipts where receipt_id = ?",
                String.class, receiptId)).isEqualTo("jms webshop ACCEPTED");
    }

    @Test
    void withoutCorrelationIdTheAnswerCarriesTheRequestsMessageId() throws Exception {
        TextMessage m = text(order(), "b2b");
        m.setStringProperty("format", "canonical");
        producer.send(m);

        Message reply = replyConsumer.receive(WAIT_MS);
        assertThat(reply).isNotNull();
        assertThat(reply.getJMSCorrelationID()).isEqualTo(m.getJMSMessageID());
        assertThat(json.readTree(((TextMessage) reply).getText()).get("status").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void aMessageWithoutChannelOrWithAnInvalidOrderIsRejectedWithEveryReasonAndKept() throws Exception {
        producer.send(text(order(), null));
        JsonNode noChannel = json.readTree(((TextMessage) replyConsumer.receive(WAIT_MS)).getText());
        assertThat(noChannel.get("status").asText()).isEqualTo("REJECTED");
        assertThat(noChannel.at("/errors/0/field").asText()).isEqualTo("channel");
        assertThat(noChannel.at("/errors/0/message").asText()).contains("'channel' is required");
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class,
                noChannel.get("receiptId").asText())).isEqualTo("REJECTED");

        ObjectNode invalid = order();
        invalid.remove("currency");
        ((ObjectNode) invalid.get("lines").get(0)).put("quantity", 0);
        producer.send(text(invalid, "webshop"));
        JsonNode rejected = json.readTree(((TextMessage) replyConsumer.receive(WAIT_MS)).getText());
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("orderIds")).isEmpty();
        assertThat(rejected.get("errors").findValuesAsText("field")).contains("/currency", "/lines/0/quantity");
        assertThat(get("/api/receipts/" + rejected.get("receiptId").asText(), OPS_KEY).body().get("status").asText())
                .isEqualTo("REJECTED");
    }

    @Test
    void aChannelLongerThan64CharactersIsRejectedByNameWithItsReceiptStoredAndNoSqlInTheAnswer() throws Exception {
        String channel = "c".repeat(65) + "\u00e9\u4e2d";
        producer.send(text(order(), channel));

        Message reply = replyConsumer.receive(WAIT_MS);
        assertThat(reply).as("an answer, not a dead letter").isNotNull();
        String text = ((TextMessage) reply).getText();
        JsonNode answer = json.readTree(text);
        assertThat(answer.get("status").asText()).isEqualTo("REJECTED");
        assertThat(answer.at("/errors/0/field").asText()).isEqualTo("channel");
        assertThat(answer.at("/errors/0/message").asText()).contains("67 characters long", "at most 64");
        assertThat(text).doesNotContainIgnoringCase("insert into").doesNotContainIgnoringCase("sql")
                .doesNotContain("Exception");
        // the receipt is stored and decided, without the channel it could not keep
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class,
                answer.get("receiptId").asText())).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("select channel from receipts where receipt_id = ?", String.class,
                answer.get("receiptId").asText())).isNull();
    }

    @Test
    void aCancellationIsAnsweredWithTheOrderItCancelledAndARefusalWithTheOrderThatRefused() throws Exception {
        ObjectNode order = order();
        producer.send(text(order, "webshop"));
        JsonNode created = json.readTree(((TextMessage) replyConsumer.receive(WAIT_MS)).getText());
        String orderId = created.get("orderIds").get(0).asText();
        assertThat(created.at("/results/0/status").asText()).isEqualTo("CREATED");

        ObjectNode cancel = json.createObjectNode().put("externalId", order.get("externalId").asText()).put("purpose", "CANCEL");
        producer.send(text(cancel, "webshop"));
        JsonNode cancelled = json.readTree(((TextMessage) replyConsumer.receive(WAIT_MS)).getText());
        assertThat(cancelled.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(cancelled.get("results")).hasSize(1);
        assertThat(cancelled.at("/results/0/status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.at("/results/0/orderId").asText()).isEqualTo(orderId);

        ObjectNode replacement = order.deepCopy();
        replacement.put("purpose", "REPLACE").put("notes", "too late");
        producer.send(text(replacement, "webshop"));
        JsonNode refused = json.readTree(((TextMessage) replyConsumer.receive(WAIT_MS)).getText());
        assertThat(refused.get("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.at("/results/0/status").asText()).isEqualTo("REJECTED");
        assertThat(refused.at("/results/0/orderId").asText()).isEqualTo(orderId);
        assertThat(refused.at("/errors/0/field").asText()).isEqualTo("/purpose");
        assertThat(refused.at("/errors/0/message").asText()).contains(orderId + " is CANCELLED");
    }

    @Test
    void theSameExternalIdSentTwiceIsOneOrder() throws Exception {
        ObjectNode order = order();
        producer.send(text(order, "webshop"));
        producer.send(text(order, "webshop"));
        JsonNode a = json.readTree(((TextMessage) replyConsumer.receive(WAIT_MS)).getText());
        JsonNode b = json.readTree(((TextMessage) replyConsumer.receive(WAIT_MS)).getText());

        assertThat(a.get("orderIds")).isEqualTo(b.get("orderIds"));
        assertThat(java.util.List.of(a.get("status").asText(), b.get("status").asText()))
                .containsExactlyInAnyOrder("ACCEPTED", "DUPLICATE");
        assertThat(jdbc.queryForObject("select count(*) from orders where channel = 'webshop' and external_id = ?",
                Integer.class, order.get("externalId").asText())).isEqualTo(1);
    }

    @Test
    void aResendWithTheSameDuplicateIdIsDroppedByTheBroker() throws Exception {
        String duplicateId = UUID.randomUUID().toString();
        var queue = broker.getActiveMQServer().locateQueue(SimpleString.of("orders.inbound"));
        long before = queue.getMessagesAdded();

        TextMessage first = text(order(), "webshop");
        first.setStringProperty("_AMQ_DUPL_ID", duplicateId);
        producer.send(first);
        ObjectNode other = order();
        TextMessage resend = text(other, "webshop");
        resend.setStringProperty("_AMQ_DUPL_ID", duplicateId);
        producer.send(resend);

        assertThat(queue.getMessagesAdded() - before).isEqualTo(1);
        JsonNode answer = json.readTree(((TextMessage) replyConsumer.receive(WAIT_MS)).getText());
        assertThat(answer.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                other.get("externalId").asText())).isZero();
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterQueueWithTheReasonAfterTheRedeliveries() throws Exception {
        Queue dlq = session.createQueue("orders.inbound.DLQ");
        try (MessageConsumer dead = session.createConsumer(dlq, "marker = '" + UUID.randomUUID() + "'")) {
            String marker = ((String) dead.getMessageSelector()).replaceAll(".*'(.*)'", "$1");
            MapMessage poison = session.createMapMessage();
            poison.setString("not", "a document");
            poison.setStringProperty("channel", "webshop");
            poison.setStringProperty("marker", marker);
            // a header that would redirect the dead letter if it were let in (any letter case reaches Camel's lookup)
            poison.setStringProperty("CAMELJMSDESTINATIONNAME", "orders.hijacked");
            poison.setJMSReplyTo(replies);
            poison.setJMSCorrelationID("poison-1");
            producer.send(poison);

            Message dead1 = dead.receive(WAIT_MS);
            assertThat(dead1).as("message on orders.inbound.DLQ").isInstanceOf(MapMessage.class);
            assertThat(((MapMessage) dead1).getString("not")).isEqualTo("a document");
            assertThat(dead1.getStringProperty("OrderHubFailureReason")).contains("MapMessage", "TextMessage or BytesMessage");
            assertThat(dead1.getStringProperty("OrderHubOriginalQueue")).isEqualTo("orders.inbound");
            assertThat(dead1.getIntProperty("OrderHubDeliveryCount")).isEqualTo(3);
            assertThat(dead1.getStringProperty("OrderHubFailedAt")).endsWith("Z");
            assertThat(dead1.getStringProperty("channel")).isEqualTo("webshop");

            Message reply = replyConsumer.receive(WAIT_MS);
            assertThat(reply.getJMSCorrelationID()).isEqualTo("poison-1");
            JsonNode answer = json.readTree(((TextMessage) reply).getText());
            assertThat(answer.get("status").asText()).isEqualTo("REJECTED");
            assertThat(answer.at("/errors/0/message").asText()).contains("dead letter queue");
            assertThat(broker.getActiveMQServer().locateQueue(SimpleString.of("orders.hijacked"))).isNull();
        }
    }

    @Test
    void headersStartingWithCamelInAnyCaseAreDroppedOnEntry() throws Exception {
        TextMessage m = text(order(), "webshop");
        m.setStringProperty("cAmElSmuggled", "x");
        m.setStringProperty("CAMELJMSDESTINATIONNAME", "orders.hijacked");
        m.setStringProperty("partnerReference", "PO-1");
        producer.send(m);

        Message reply = replyConsumer.receive(WAIT_MS);
        assertThat(reply).isNotNull();
        assertThat(reply.propertyExists("cAmElSmuggled")).isFalse();
        assertThat(reply.propertyExists("CAMELJMSDESTINATIONNAME")).isFalse();
        assertThat(json.readTree(((TextMessage) reply).getText()).get("status").asText()).isEqualTo("ACCEPTED");
    }

    private TextMessage text(ObjectNode order, String channel) throws Exception {
        TextMessage m = session.createTextMessage(json.writeValueAsString(order));
        if (channel != null) {
            m.setStringProperty("channel", channel);
        }
        m.setJMSReplyTo(replies);
        return m;
    }
}
