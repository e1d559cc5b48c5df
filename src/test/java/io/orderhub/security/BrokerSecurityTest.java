package io.orderhub.security;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.DeadLetterHeaders;
import io.orderhub.support.HubTestSupport;
import io.orderhub.sync.SyncTargetsServer;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * The broker as an attacker finds it (issue 25, finding 1), over its TCP acceptor with raw protocol clients: a
 * STOMP client on a plain socket and the Artemis core JMS client. Without a login, or with a wrong one, nobody gets
 * in; a channel's user cannot read events or take messages off stage queues, and cannot send orders for another
 * channel; an event not signed by the hub reaches neither a stage nor the ERP, the CRM or the customer.
 *
 * <p>The suite's broker has no TCP acceptor (application-test.yaml); this class opens one on a free port on the
 * shared broker for its own clients and closes it afterwards. Nothing else of the shared context changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerSecurityTest extends HubTestSupport {

    private static final String ACCEPTOR = "broker-security-test";
    static final String WEBSHOP_USER = "test-webshop";
    static final String WEBSHOP_PASSWORD = "test-webshop-broker-secret";

    @Autowired
    EmbeddedActiveMQ broker;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    EventSignatures signatures;

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

    // --- STOMP on a plain socket ---

    @Test
    void stompConnectWithoutLoginIsRefused() throws IOException {
        try (Stomp stomp = new Stomp(brokerPort)) {
            Stomp.Frame answer = stomp.connect(null, null);
            assertThat(answer.command()).isEqualTo("ERROR");
        }
    }

    @Test
    void stompConnectWithAWrongLoginIsRefused() throws IOException {
        try (Stomp stomp = new Stomp(brokerPort)) {
            assertThat(stomp.connect(WEBSHOP_USER, "not-the-password").command()).isEqualTo("ERROR");
        }
        try (Stomp stomp = new Stomp(brokerPort)) {
            assertThat(stomp.connect("nobody", "test-webshop-broker-secret").command()).isEqualTo("ERROR");
        }
        // Artemis' cluster user with its well-known default password would pass every security check
        try (Stomp stomp = new Stomp(brokerPort)) {
            assertThat(stomp.connect("ACTIVEMQ.CLUSTER.ADMIN.USER", "CHANGE ME!!").command()).isEqualTo("ERROR");
        }
    }

    @Test
    void aChannelUserConnectsButCannotReadEventsNorTakeStageMessagesNorPublishEvents() throws IOException {
        try (Stomp stomp = new Stomp(brokerPort)) {
            assertThat(stomp.connect(WEBSHOP_USER, WEBSHOP_PASSWORD).command()).isEqualTo("CONNECTED");
        }
        for (String destination : List.of("orders.events", "DLQ", "orders.inbound", "orders.inbound.DLQ")) {
            try (Stomp stomp = new Stomp(brokerPort)) {
                assertThat(stomp.connect(WEBSHOP_USER, WEBSHOP_PASSWORD).command()).isEqualTo("CONNECTED");
                Stomp.Frame answer = stomp.subscribe(destination);
                assertThat(answer.command()).as("SUBSCRIBE to " + destination).isEqualTo("ERROR");
            }
        }
        // a stage queue by its fully qualified name: refused, or (STOMP takes the name as a new address of its own)
        // a subscription somewhere else, never a consumer on the hub's queue
        for (String destination : List.of("orders.events::payment.charge", "orders.events::inventory.reserve",
                "orders.events::erp.sync")) {
            try (Stomp stomp = new Stomp(brokerPort)) {
                assertThat(stomp.connect(WEBSHOP_USER, WEBSHOP_PASSWORD).command()).isEqualTo("CONNECTED");
                Stomp.Frame answer = stomp.subscribe(destination);
                assertThat(answer.command()).as("SUBSCRIBE to " + destination).isIn("ERROR", "RECEIPT");
                assertThat(consumersOnHubAddresses(WEBSHOP_USER)).as("SUBSCRIBE to " + destination).isEmpty();
            }
        }
        try (Stomp stomp = new Stomp(brokerPort)) {
            assertThat(stomp.connect(WEBSHOP_USER, WEBSHOP_PASSWORD).command()).isEqualTo("CONNECTED");
            Stomp.Frame answer = stomp.send("orders.events", Map.of("eventType", "order.paid", "orderId", "ORD-X"),
                    "{\"type\":\"order.paid\"}");
            assertThat(answer.command()).as("SEND to orders.events").isEqualTo("ERROR");
        }
    }

    @Test
    void aChannelUserSendingForAnotherChannelGetsARejectedReceipt() throws IOException {
        String marker = "application/json; test=" + UUID.randomUUID();
        String spoofed = "application/json; test=" + UUID.randomUUID();
        try (Stomp stomp = new Stomp(brokerPort)) {
            assertThat(stomp.connect(WEBSHOP_USER, WEBSHOP_PASSWORD).command()).isEqualTo("CONNECTED");
            assertThat(stomp.send("orders.inbound", Map.of("channel", "b2b", "contentType", marker),
                    order().toString()).command()).isEqualTo("RECEIPT");
            // the validated user is the broker's, not the sender's: claiming the hub's user changes nothing
            assertThat(stomp.send("orders.inbound", Map.of("channel", "b2b", "contentType", spoofed,
                    "_AMQ_VALIDATED_USER", "orderhub", "JMSXUserID", "orderhub"), order().toString()).command())
                    .isEqualTo("RECEIPT");
        }
        for (String contentType : List.of(marker, spoofed)) {
            Map<String, Object> receipt = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList(
                    "select status, errors, order_ids from receipts where content_type = ?", contentType),
                    rows -> rows.size() == 1 && !"RECEIVED".equals(rows.get(0).get("status"))).get(0);
            assertThat(receipt.get("status")).isEqualTo("REJECTED");
            assertThat(String.valueOf(receipt.get("errors")))
                    .contains("broker user test-webshop is bound to channel webshop and may not send orders for channel b2b");
            assertThat(receipt.get("order_ids")).as("no order").satisfiesAnyOf(
                    ids -> assertThat(ids).isNull(), ids -> assertThat(String.valueOf(ids)).isIn("", "[]"));
        }
    }

    // --- AMQP 1.0 with the proton-j engine on a socket ---

    @Test
    void amqpWithoutOrWithAWrongLoginIsRefused() throws IOException {
        try (Amqp amqp = new Amqp(brokerPort, null, null)) {
            assertThat(amqp.opened()).as("SASL ANONYMOUS").isFalse();
        }
        try (Amqp amqp = new Amqp(brokerPort, WEBSHOP_USER, "not-the-password")) {
            assertThat(amqp.saslOutcome()).as("SASL PLAIN, wrong password")
                    .isNotEqualTo(org.apache.qpid.proton.engine.Sasl.SaslOutcome.PN_SASL_OK);
            assertThat(amqp.opened()).isFalse();
        }
        try (Amqp amqp = new Amqp(brokerPort, WEBSHOP_USER, WEBSHOP_PASSWORD)) {
            assertThat(amqp.opened()).as("the channel's own login").isTrue();
        }
    }

    @Test
    void anAmqpChannelUserMaySendOrdersButNotReadEventsStageQueuesNorPublishEvents() throws IOException {
        try (Amqp amqp = new Amqp(brokerPort, WEBSHOP_USER, WEBSHOP_PASSWORD)) {
            assertThat(amqp.saslOutcome()).isEqualTo(org.apache.qpid.proton.engine.Sasl.SaslOutcome.PN_SASL_OK);
            assertThat(amqp.sendTo("orders.inbound")).as("sender on orders.inbound").isTrue();
            assertThat(amqp.receiveFrom("orders.events")).as("receiver on orders.events").isFalse();
        }
        for (String address : List.of("orders.events::payment.charge", "orders.events::erp.sync", "orders.inbound")) {
            try (Amqp amqp = new Amqp(brokerPort, WEBSHOP_USER, WEBSHOP_PASSWORD)) {
                assertThat(amqp.receiveFrom(address)).as("receiver on " + address).isFalse();
            }
        }
        try (Amqp amqp = new Amqp(brokerPort, WEBSHOP_USER, WEBSHOP_PASSWORD)) {
            assertThat(amqp.sendTo("orders.events")).as("sender on orders.events").isFalse();
        }
        assertThat(consumersOnHubAddresses(WEBSHOP_USER)).isEmpty();
    }

    // --- the Artemis core JMS client, as a channel's system connects ---

    @Test
    void aChannelUserSendsItsOwnOrdersAndGetsItsAnswersButNothingForAnotherChannel() throws Exception {
        try (Connection c = channelFactory().createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            var answers = session.createConsumer(replies);
            c.start();
            MessageProducer producer = session.createProducer(session.createQueue("orders.inbound"));

            producer.send(order(session, "webshop", replies));
            JsonNode own = answer(answers.receive(20_000));
            assertThat(own.get("status").asText()).as(own.toString()).isEqualTo("ACCEPTED");

            producer.send(order(session, "b2b", replies));
            JsonNode other = answer(answers.receive(20_000));
            assertThat(other.get("status").asText()).isEqualTo("REJECTED");
            assertThat(other.get("errors").get(0).get("field").asText()).isEqualTo("channel");
            assertThat(other.get("errors").get(0).get("message").asText())
                    .isEqualTo("broker user test-webshop is bound to channel webshop and may not send orders for channel b2b");
            assertThat(other.get("orderIds")).isEmpty();
        }
    }

    @Test
    void aChannelUserCannotSubscribeToEventsNorTakeOrBrowseStageQueues() throws Exception {
        try (Connection c = channelFactory().createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createConsumer(session.createTopic("orders.events")))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("orders.events::payment.charge")))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createBrowser(session.createQueue("orders.events::notify.customer"))
                    .getEnumeration()).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createProducer(session.createTopic("orders.events"))
                    .send(session.createTextMessage("{}"))).isInstanceOf(JMSSecurityException.class);
        }
    }

    @Test
    void theCoreClientWithoutOrWithAWrongLoginIsRefused() {
        String url = "tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=0";
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(url).createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(url, WEBSHOP_USER, "wrong").createConnection().close())
                .isInstanceOf(JMSSecurityException.class);
    }

    // --- forged events ---

    @Test
    void aForgedOrderPaidIsDeadLetteredAndReachesNoStageNoErpNoCrmNoCustomer() throws Exception {
        ObjectNode order = order();
        Response created = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(created.status()).isEqualTo(201);
        String orderId = created.body().get("orderId").asText();
        String createdEvent = jdbc.queryForObject("select event_id from outbox where order_id = ? and type = 'order.created'",
                String.class, orderId);
        // the real event has gone to the ERP and the CRM (the calls counted below are all there will be)
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from sync_processed_events where event_id = ?", Integer.class, createdEvent) == 2);
        int erpCalls = calls("/erp/.*", orderId);
        int crmCalls = calls("/crm/.*", orderId);
        String statusBefore = jdbc.queryForObject("select status from orders where order_id = ?", String.class, orderId);

        // an attacker with a way onto the address (a leaked login, an external broker) forges order.paid twice:
        // unsigned, and signed with a key of its own
        List<String> forged = new ArrayList<>();
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setPubSubDomain(true);
        for (String signature : new String[] {null, "bm90LXRoZS1odWJzLXNpZ25hdHVyZS1ub3QtdGhlLWh1YnM="}) {
            String eventId = UUID.randomUUID().toString();
            forged.add(eventId);
            ObjectNode event = json.createObjectNode().put("eventId", eventId).put("orderId", orderId)
                    .put("type", "order.paid").put("status", "PAID").put("at", Instant.now().toString());
            event.putObject("data").set("order", ((ObjectNode) created.body().deepCopy()).put("status", "PAID"));
            String body = event.toString();
            jms.send("orders.events", session -> {
                TextMessage m = session.createTextMessage(body);
                m.setStringProperty("JMSXGroupID", orderId);
                m.setStringProperty("orderId", orderId);
                m.setStringProperty("eventType", "order.paid");
                if (signature != null) {
                    m.setStringProperty(EventSignatures.PROPERTY, signature);
                }
                return m;
            });
        }

        // each copy (allocation stage, ERP, CRM, notifications) is on the dead letter queue with the reason
        List<Map<String, String>> dead = await().atMost(Duration.ofSeconds(20))
                .until(() -> deadLetters(orderId), l -> l.size() == 8);
        assertThat(dead).extracting(d -> d.get("queue")).containsOnly("orders.events::inventory.allocate",
                "orders.events::erp.sync", "orders.events::crm.sync", "orders.events::notify.customer");
        assertThat(dead).filteredOn(d -> d.get("reason").contains("carries no hubSignature")).hasSize(4);
        assertThat(dead).filteredOn(d -> d.get("reason").contains("hubSignature does not match")).hasSize(4);
        assertThat(dead).allSatisfy(d -> assertThat(d.get("reason")).contains("sent by broker user orderhub"));

        assertThat(calls("/erp/.*", orderId)).as("ERP calls").isEqualTo(erpCalls);
        assertThat(calls("/crm/.*", orderId)).as("CRM calls").isEqualTo(crmCalls);
        for (String eventId : forged) {
            assertThat(jdbc.queryForObject("select count(*) from sync_processed_events where event_id = ?", Integer.class,
                    eventId)).as("ERP/CRM deliveries of the forged event").isZero();
            assertThat(jdbc.queryForObject("select count(*) from notifications where event_id = ?", Integer.class,
                    eventId)).as("mail for the forged event").isZero();
        }
        assertThat(jdbc.queryForObject("select status from orders where order_id = ?", String.class, orderId))
                .isEqualTo(statusBefore);
    }

    @Test
    void anEventSignedByTheHubIsTakenAndOneAlteredAfterSigningIsNot() {
        String body = "{\"eventId\":\"e1\",\"orderId\":\"ORD-1\",\"type\":\"order.paid\"}";
        String signature = signatures.sign("order.paid", "ORD-1", body);
        signatures.verify("order.paid", "ORD-1", body, signature);
        assertThatThrownBy(() -> signatures.verify("order.cancelled", "ORD-1", body, signature))
                .isInstanceOf(EventSignatures.ForgedEventException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> signatures.verify("order.paid", "ORD-2", body, signature))
                .isInstanceOf(EventSignatures.ForgedEventException.class);
        assertThatThrownBy(() -> signatures.verify("order.paid", "ORD-1", body.replace("e1", "e2"), signature))
                .isInstanceOf(EventSignatures.ForgedEventException.class);
        assertThatThrownBy(() -> signatures.verify("order.paid", "ORD-1", body, "not base64!"))
                .isInstanceOf(EventSignatures.ForgedEventException.class);
    }

    /** The broker's consumers of this user on the hub's own addresses (events, dead letters, inbound). */
    private List<String> consumersOnHubAddresses(String user) {
        List<String> found = new ArrayList<>();
        broker.getActiveMQServer().getSessions().stream().filter(x -> user.equals(x.getUsername()))
                .forEach(x -> x.getServerConsumers().forEach(c -> {
                    String address = c.getQueueAddress().toString();
                    if (List.of("orders.events", "DLQ", "orders.inbound", "orders.inbound.DLQ").contains(address)) {
                        found.add(address + "::" + c.getQueueName());
                    }
                }));
        return found;
    }

    private ActiveMQConnectionFactory channelFactory() {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=0", WEBSHOP_USER,
                WEBSHOP_PASSWORD);
    }

    private Message order(Session session, String channel, TemporaryQueue replies) throws Exception {
        TextMessage m = session.createTextMessage(order().toString());
        m.setStringProperty("channel", channel);
        m.setJMSReplyTo(replies);
        return m;
    }

    private JsonNode answer(Message m) throws Exception {
        assertThat(m).as("an answer").isNotNull();
        return json.readTree(((TextMessage) m).getText());
    }

    private static int calls(String path, String orderId) {
        return (int) SyncTargetsServer.server().findAll(anyRequestedFor(urlPathMatching(path))).stream()
                .filter(r -> r.getBodyAsString().contains(orderId) || r.getUrl().contains(orderId)).count();
    }

    /** The broker DLQ's messages of this order: the queue each came from and the reason. */
    private List<Map<String, String>> deadLetters(String orderId) {
        return new JmsTemplate(connectionFactory).browseSelected("DLQ", "orderId = '" + orderId + "'", (session, browser) -> {
            List<Map<String, String>> found = new ArrayList<>();
            for (var e = browser.getEnumeration(); e.hasMoreElements(); ) {
                Message m = (Message) e.nextElement();
                found.add(Map.of("queue", String.valueOf(m.getStringProperty(DeadLetterHeaders.ORIGINAL_QUEUE)),
                        "reason", String.valueOf(m.getStringProperty(DeadLetterHeaders.FAILURE_REASON))));
            }
            return found;
        });
    }

    /** A STOMP 1.2 client on a plain socket: frames as text, each ended by NUL. */
    static final class Stomp implements AutoCloseable {

        record Frame(String command, Map<String, String> headers, String body) {
        }

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Stomp(int port) throws IOException {
            this(new Socket("127.0.0.1", port));
        }

        /** On a socket of the caller's: an SSLSocket for the TLS acceptor (BrokerTlsTest). */
        Stomp(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        Frame connect(String login, String passcode) throws IOException {
            StringBuilder f = new StringBuilder("CONNECT\naccept-version:1.2\nhost:localhost\n");
            if (login != null) {
                f.append("login:").append(login).append('\n').append("passcode:").append(passcode).append('\n');
            }
            write(f.append('\n').toString());
            return read();
        }

        /** SUBSCRIBE with a receipt: RECEIPT when the broker took it, ERROR when it refused. */
        Frame subscribe(String destination) throws IOException {
            write("SUBSCRIBE\nid:1\ndestination:" + destination + "\nack:client\nreceipt:sub-1\n\n");
            return read();
        }

        /** SEND with a receipt: RECEIPT when the broker took it, ERROR when it refused. */
        Frame send(String destination, Map<String, String> headers, String body) throws IOException {
            StringBuilder f = new StringBuilder("SEND\ndestination:").append(destination).append('\n');
            headers.forEach((k, v) -> f.append(k).append(':').append(v).append('\n'));
            f.append("receipt:send-1\n\n").append(body);
            write(f.toString());
            return read();
        }

        /** SUBSCRIBE with headers of the caller's (e.g. {@code subscription-type: ANYCAST}) and a receipt. */
        Frame subscribe(String destination, Map<String, String> headers) throws IOException {
            StringBuilder f = new StringBuilder("SUBSCRIBE\nid:1\ndestination:").append(destination).append('\n');
            headers.forEach((k, v) -> f.append(k).append(':').append(v).append('\n'));
            write(f.append("ack:auto\nreceipt:sub-1\n\n").toString());
            return read();
        }

        /** The next frame from the broker (a MESSAGE on a subscription), or CLOSED. */
        Frame receive() throws IOException {
            return read();
        }

        private void write(String frame) throws IOException {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.flush();
        }

        private Frame read() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int b;
            // heart-beat newlines between frames
            while ((b = in.read()) == '\n' || b == '\r') {
                // skip
            }
            while (b > 0) {
                buffer.write(b);
                b = in.read();
            }
            if (b < 0 && buffer.size() == 0) {
                return new Frame("CLOSED", Map.of(), "");
            }
            String text = buffer.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\n\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 2);
            String[] lines = head.split("\n");
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 1));
                }
            }
            return new Frame(lines[0].trim(), headers, body);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
