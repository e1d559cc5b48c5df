package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * Channels whose systems are not Java (issue 20, section 3): a STOMP 1.2 client on a socket and an AMQP 1.0 client
 * (Apache Qpid JMS, {@code org.apache.qpid:qpid-jms-client}) send orders to {@code orders.inbound} over the broker's
 * TCP acceptor and get their answers on a queue they name plainly, matched by correlation id; an answer that cannot
 * be delivered leaves the accepted order accepted and nothing on a dead letter queue.
 *
 * <p>Like {@link BrokerSecurityTest}, this class opens an acceptor of its own on the shared broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NonJavaClientsTest extends HubTestSupport {

    private static final String ACCEPTOR = "non-java-clients-test";

    @Autowired
    EmbeddedActiveMQ broker;
    @Autowired
    jakarta.jms.ConnectionFactory connectionFactory;

    int brokerPort;

    @BeforeAll
    void openAcceptor() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            brokerPort = s.getLocalPort();
        }
        broker.getActiveMQServer().getRemotingService()
                .createAcceptor(ACCEPTOR, "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE,AMQP,STOMP").start();
    }

    @AfterAll
    void closeAcceptor() throws Exception {
        broker.getActiveMQServer().getRemotingService().destroyAcceptor(ACCEPTOR);
    }

    // --- STOMP ---

    @Test
    void aStompClientGetsItsAnswerOnTheQueueItNamesInReplyTo() throws Exception {
        String replies = "replies." + UUID.randomUUID();
        String marker = "application/json; test=" + UUID.randomUUID();
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(brokerPort)) {
            assertThat(stomp.connect(BrokerSecurityTest.WEBSHOP_USER, BrokerSecurityTest.WEBSHOP_PASSWORD).command())
                    .isEqualTo("CONNECTED");
            BrokerSecurityTest.Stomp.Frame subscribed = stomp.subscribe(replies, Map.of());
            assertThat(subscribed.command()).as(subscribed.toString()).isEqualTo("RECEIPT");
            BrokerSecurityTest.Stomp.Frame sent = stomp.send("orders.inbound", Map.of("channel", "webshop",
                    "contentType", marker, "reply-to", replies, "correlation-id", "stomp-17"), order().toString());
            assertThat(sent.command()).as(sent.toString()).isEqualTo("RECEIPT");

            BrokerSecurityTest.Stomp.Frame answer = stomp.receive();
            assertThat(answer.command()).as(answer.toString()).isEqualTo("MESSAGE");
            assertThat(answer.headers()).containsEntry("correlation-id", "stomp-17");
            JsonNode body = json.readTree(answer.body());
            assertThat(body.get("status").asText()).as(body.toString()).isEqualTo("ACCEPTED");
            assertThat(body.get("orderIds")).hasSize(1);
        }
        assertThat(receiptStatus(marker)).isEqualTo("ACCEPTED");
        assertThat(deadLetters(marker)).isZero();
    }

    @Test
    void anAnswerThatCannotBeDeliveredLeavesTheOrderAcceptedAndNothingOnADeadLetterQueue() throws Exception {
        String marker = "application/json; test=" + UUID.randomUUID();
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(brokerPort)) {
            assertThat(stomp.connect(BrokerSecurityTest.WEBSHOP_USER, BrokerSecurityTest.WEBSHOP_PASSWORD).command())
                    .isEqualTo("CONNECTED");
            // the hub's own events address: the hub does not publish a channel's answer there
            assertThat(stomp.send("orders.inbound", Map.of("channel", "webshop", "contentType", marker,
                    "reply-to", "orders.events"), order().toString()).command()).isEqualTo("RECEIPT");
        }
        assertThat(receiptStatus(marker)).isEqualTo("ACCEPTED");
        String receiptId = jdbc.queryForObject("select receipt_id from receipts where content_type = ?", String.class, marker);
        // recorded, and the message was taken once: no redelivery, no dead letter
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList(
                "select answer_failure from receipts where receipt_id = ? and answer_failure is not null", String.class, receiptId), l -> l.size() == 1);
        assertThat(jdbc.queryForObject("select answer_failure from receipts where receipt_id = ? and answer_failure is not null", String.class,
                receiptId)).contains("orders.events").contains("hub's own");
        assertThat(deadLetters(marker)).isZero();
    }

    @Test
    void aReplyToTheBrokerRefusesIsRecordedAndTheOrderStaysAccepted() throws Exception {
        // an address that takes only multicast (a topic): the hub answers a plain name as a queue, which the broker
        // refuses; the refusal is the broker's own, not a rule of the hub
        String topic = "answers-topic-" + UUID.randomUUID();
        broker.getActiveMQServer().addAddressInfo(new org.apache.activemq.artemis.core.server.impl.AddressInfo(
                org.apache.activemq.artemis.api.core.SimpleString.of(topic))
                .addRoutingType(org.apache.activemq.artemis.api.core.RoutingType.MULTICAST));
        String marker = "application/json; test=" + UUID.randomUUID();
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(brokerPort)) {
            assertThat(stomp.connect(BrokerSecurityTest.WEBSHOP_USER, BrokerSecurityTest.WEBSHOP_PASSWORD).command())
                    .isEqualTo("CONNECTED");
            assertThat(stomp.send("orders.inbound", Map.of("channel", "webshop", "contentType", marker,
                    "reply-to", topic), order().toString()).command()).isEqualTo("RECEIPT");
        }
        assertThat(receiptStatus(marker)).isEqualTo("ACCEPTED");
        String receiptId = jdbc.queryForObject("select receipt_id from receipts where content_type = ?", String.class, marker);
        String failure = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList(
                "select answer_failure from receipts where receipt_id = ? and answer_failure is not null", String.class,
                receiptId), l -> l.size() == 1).get(0);
        assertThat(failure).contains(topic).contains("ANYCAST");
        assertThat(deadLetters(marker)).isZero();
        // taken once: the receipt was not stored again by a redelivery
        assertThat(jdbc.queryForObject("select count(*) from receipts where content_type = ?", Integer.class, marker))
                .isEqualTo(1);
    }

    // --- AMQP 1.0 (Qpid JMS) ---

    @Test
    void anAmqpClientWithoutCorrelationIdGetsItsMessageIdAsTheAnswersCorrelationId() throws Exception {
        try (Connection c = amqp().createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer answers = session.createConsumer(replies);
            c.start();
            TextMessage m = session.createTextMessage(order().toString());
            m.setStringProperty("channel", "webshop");
            m.setJMSReplyTo(replies);
            session.createProducer(session.createQueue("orders.inbound")).send(m);

            Message answer = answers.receive(20_000);
            assertThat(answer).as("an answer").isNotNull();
            assertThat(answer.getJMSCorrelationID()).isEqualTo(m.getJMSMessageID());
            assertThat(json.readTree(((TextMessage) answer).getText()).get("status").asText()).as(((TextMessage) answer).getText()).isEqualTo("ACCEPTED");

            // with a correlation id of its own, that one comes back
            TextMessage second = session.createTextMessage(order().toString());
            second.setStringProperty("channel", "webshop");
            second.setJMSCorrelationID("amqp-erp-17");
            second.setJMSReplyTo(replies);
            session.createProducer(session.createQueue("orders.inbound")).send(second);
            Message secondAnswer = answers.receive(20_000);
            assertThat(secondAnswer).isNotNull();
            assertThat(secondAnswer.getJMSCorrelationID()).isEqualTo("amqp-erp-17");
        }
    }

    @Test
    void anAmqpSenderIsKnownByItsLoginNotByTheUserItClaims() throws Exception {
        try (Connection c = amqp().createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer answers = session.createConsumer(replies);
            c.start();
            TextMessage m = session.createTextMessage(order().toString());
            m.setStringProperty("channel", "b2b");
            // the AMQP user-id and the broker's own property, both claiming the hub's user
            m.setStringProperty("JMSXUserID", "orderhub");
            m.setStringProperty("_AMQ_VALIDATED_USER", "orderhub");
            m.setJMSReplyTo(replies);
            session.createProducer(session.createQueue("orders.inbound")).send(m);
            Message answer = answers.receive(20_000);
            assertThat(answer).as("an answer").isNotNull();
            JsonNode body = json.readTree(((TextMessage) answer).getText());
            assertThat(body.get("status").asText()).isEqualTo("REJECTED");
            assertThat(body.get("errors").get(0).get("message").asText())
                    .isEqualTo("broker user test-webshop is bound to channel webshop and may not send orders for channel b2b");
        }
    }

    @Test
    void anAmqpClientGetsItsAnswerOnAQueueNamedPlainly() throws Exception {
        String replies = "replies." + UUID.randomUUID();
        try (Connection c = amqp().createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(replies);
            MessageConsumer answers = session.createConsumer(queue);
            c.start();
            TextMessage m = session.createTextMessage(order().toString());
            m.setStringProperty("channel", "webshop");
            m.setJMSCorrelationID("amqp-plain-1");
            m.setJMSReplyTo(queue);
            session.createProducer(session.createQueue("orders.inbound")).send(m);
            Message answer = answers.receive(20_000);
            assertThat(answer).as("an answer on " + replies).isNotNull();
            assertThat(answer.getJMSCorrelationID()).isEqualTo("amqp-plain-1");
            assertThat(json.readTree(((TextMessage) answer).getText()).get("status").asText()).as(((TextMessage) answer).getText()).isEqualTo("ACCEPTED");
        }
    }

    private JmsConnectionFactory amqp() {
        return new JmsConnectionFactory(BrokerSecurityTest.WEBSHOP_USER, BrokerSecurityTest.WEBSHOP_PASSWORD,
                "amqp://127.0.0.1:" + brokerPort);
    }

    private String receiptStatus(String contentType) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList(
                "select status from receipts where content_type = ?", String.class, contentType),
                l -> l.size() == 1 && !"RECEIVED".equals(l.get(0))).get(0);
    }

    /** Messages of this request on the broker's and the intake's dead letter queues. */
    private int deadLetters(String contentType) {
        int n = 0;
        for (String queue : new String[] {"DLQ", "orders.inbound.DLQ"}) {
            try {
                n += new JmsTemplate(connectionFactory).browseSelected(queue, "contentType = '" + contentType + "'",
                        (s, browser) -> java.util.Collections.list(browser.getEnumeration()).size());
            } catch (org.springframework.jms.InvalidDestinationException e) {
                // the broker makes a dead letter queue with its first message: none yet, so none of this request
            }
        }
        return n;
    }
}
