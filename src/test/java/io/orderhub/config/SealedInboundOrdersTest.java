package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.orderhub.crypto.DataCipher;
import io.orderhub.crypto.KeyRing;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SealedInboundOrders} on a broker of the test's own with its journal on disk: orders sent by core JMS and by
 * AMQP 1.0 (text and bytes) are stored sealed and open to what was sent; a large message is refused with the reason
 * and nothing of it stays; the broker's dead-letter copy stays sealed, and so does what lands on the intake's dead
 * letter queue; a body already sealed under the ring (a replayed dead letter) is not sealed twice, a forged one is.
 * No file of the broker's data directory holds the distinctive e-mail.
 */
class SealedInboundOrdersTest {

    static final String INBOUND = "orders.inbound";
    static final String INTAKE_DLQ = "orders.inbound.DLQ";
    static final String EMAIL = "sealed.orders.4711@example.org";

    @TempDir
    Path data;

    EmbeddedActiveMQ broker;
    DataCipher cipher;
    int amqpPort;

    @BeforeEach
    void start() throws Exception {
        cipher = new DataCipher(new KeyRing(Map.of("k1", bytes(32, 1)), "k1", bytes(32, 2)));
        try (ServerSocket s = new ServerSocket(0)) {
            amqpPort = s.getLocalPort();
        }
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("sealing-test");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(data.resolve("journal").toString());
        config.setBindingsDirectory(data.resolve("bindings").toString());
        config.setPagingDirectory(data.resolve("paging").toString());
        config.setLargeMessagesDirectory(data.resolve("large-messages").toString());
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("invm", "vm://471");
        config.addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + amqpPort + "?protocols=AMQP;amqpMinLargeMessageSize=4096");
        config.addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of("DLQ"))
                .setMaxDeliveryAttempts(1).setAutoCreateDeadLetterResources(false));
        config.registerBrokerPlugin(new SealedInboundOrders(List.of(INBOUND, INTAKE_DLQ), cipher));
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        for (String q : List.of(INBOUND, INTAKE_DLQ, "DLQ")) {
            broker.getActiveMQServer().createQueue(QueueConfiguration.of(q).setAddress(q)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
    }

    @AfterEach
    void stop() throws Exception {
        broker.stop();
    }

    @Test
    void coreTextAndBytesOrdersAreStoredSealedAndOpenToWhatWasSent() throws Exception {
        String order = order();
        send(core(), INBOUND, s -> s.createTextMessage(order));
        send(core(), INBOUND, s -> bytesMessage(s, order.getBytes(StandardCharsets.UTF_8)));

        List<Message> got = receiveAll(INBOUND, 2);
        assertSealedTo(got.get(0), order);
        assertSealedTo(got.get(1), order);
        assertThat(clearInDataDirectory()).isEmpty();
    }

    @Test
    void amqpTextAndBytesOrdersAreStoredSealedWithTheirPropertiesAndOpenToWhatWasSent() throws Exception {
        String order = order();
        ConnectionFactory amqp = new JmsConnectionFactory("amqp://127.0.0.1:" + amqpPort);
        send(amqp, INBOUND, s -> {
            TextMessage m = s.createTextMessage(order);
            m.setStringProperty("channel", "webshop");
            m.setStringProperty(SealedInboundOrders.PROPERTY, "forged");
            m.setJMSCorrelationID("corr-1");
            return m;
        });
        send(amqp, INBOUND, s -> {
            BytesMessage m = bytesMessage(s, order.getBytes(StandardCharsets.UTF_8));
            m.setStringProperty("channel", "b2b");
            return m;
        });
        assertThat(clearInDataDirectory()).isEmpty();

        // read as the hub does (core JMS): the AMQP body converted, the properties all there
        List<Message> got = receiveAll(INBOUND, 2);
        assertSealedTo(got.get(0), order);
        assertThat(got.get(0).getStringProperty("channel")).isEqualTo("webshop");
        assertThat(got.get(0).getJMSCorrelationID()).isEqualTo("corr-1");
        assertSealedTo(got.get(1), order);
        assertThat(got.get(1).getStringProperty("channel")).isEqualTo("b2b");
        // an AMQP consumer gets the sealed order too
        send(amqp, INBOUND, s -> s.createTextMessage(order));
        try (Connection c = amqp.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertSealedTo(s.createConsumer(s.createQueue(INBOUND)).receive(10_000), order);
        }
    }

    @Test
    void aLargeMessageIsRefusedWithTheReasonAndNothingOfItStays() throws Exception {
        ActiveMQConnectionFactory small = new ActiveMQConnectionFactory("vm://471");
        small.setMinLargeMessageSize(1024);
        String big = order() + "x".repeat(8 * 1024);

        assertThatThrownBy(() -> send(small, INBOUND, s -> s.createTextMessage(big)))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("orders.inbound takes no large message")
                .hasMessageContaining("minLargeMessageSize")
                .hasMessageContaining("the order was not queued");

        assertThat(broker.getActiveMQServer().locateQueue(SimpleString.of(INBOUND)).getMessageCount()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> files(data.resolve("large-messages")).isEmpty());
        assertThat(clearInDataDirectory()).isEmpty();
        // over AMQP 1.0 from the acceptor's amqpMinLargeMessageSize (4 KiB here): refused the same way
        ConnectionFactory amqp = new JmsConnectionFactory("amqp://127.0.0.1:" + amqpPort);
        assertThatThrownBy(() -> send(amqp, INBOUND, s -> s.createTextMessage(big))).isInstanceOf(JMSException.class)
                .hasMessageContaining("orders.inbound takes no large message");
        assertThat(broker.getActiveMQServer().locateQueue(SimpleString.of(INBOUND)).getMessageCount()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> files(data.resolve("large-messages")).isEmpty());
        assertThat(clearInDataDirectory()).isEmpty();
        // below the sender's limit the same order is taken, sealed
        send(core(), INBOUND, s -> s.createTextMessage(big));
        assertSealedTo(receiveAll(INBOUND, 1).get(0), big);
    }

    @Test
    void theBrokersDeadLetterCopyAndTheIntakesDeadLettersStaySealed() throws Exception {
        String order = order();
        send(core(), INBOUND, s -> s.createTextMessage(order));
        // one delivery rolled back: the broker moves its copy to DLQ (max delivery attempts 1)
        try (Connection c = core().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(s.createConsumer(s.createQueue(INBOUND)).receive(10_000)).isNotNull();
            s.rollback();
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                broker.getActiveMQServer().locateQueue(SimpleString.of("DLQ")).getMessageCount() == 1);
        assertSealedTo(receiveAll("DLQ", 1).get(0), order);

        // the intake moves a poison order to its own dead letter queue in clear: the broker seals it there
        send(core(), INTAKE_DLQ, s -> s.createTextMessage(order));
        // the operators' list of dead letters opens it for its masked preview
        io.orderhub.ops.BrokerDeadLetters dlqs = new io.orderhub.ops.BrokerDeadLetters(core(), INTAKE_DLQ, "erp.DLQ",
                "crm.DLQ", "DLQ", new io.orderhub.messaging.BrokerSends(
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), java.time.Clock.systemUTC()), 2000);
        dlqs.setCipher(cipher);
        List<Map<String, Object>> listed = dlqs.list(INTAKE_DLQ, 10);
        assertThat(listed).hasSize(1);
        assertThat((String) listed.get(0).get("preview")).contains("Sealed Person").contains("s***@example.org")
                .doesNotContain(EMAIL).doesNotContain("ohe1:");
        assertSealedTo(receiveAll(INTAKE_DLQ, 1).get(0), order);
        assertThat(clearInDataDirectory()).isEmpty();
    }

    @Test
    void aBodyAlreadySealedUnderTheRingIsKeptAndAForgedOneOrAForgedPropertyIsSealed() throws Exception {
        String order = order();
        String sealed = cipher.sealText(order);
        // a replayed dead letter: the sealed body without the property (the replay copies no OrderHub* property)
        send(core(), INBOUND, s -> s.createTextMessage(sealed));
        Message replayed = receiveAll(INBOUND, 1).get(0);
        assertThat(((TextMessage) replayed).getText()).isEqualTo(sealed);
        assertSealedTo(replayed, order);

        // a sender's own "ohe1:" text that does not pass the ring's check, and a sender's OrderHubSealed: sealed anyway
        String forged = "ohe1:k1:" + java.util.Base64.getEncoder().encodeToString(new byte[40]);
        send(core(), INBOUND, s -> s.createTextMessage(forged));
        send(core(), INBOUND, s -> {
            TextMessage m = s.createTextMessage(order);
            m.setStringProperty(SealedInboundOrders.PROPERTY, "ring");
            return m;
        });
        List<Message> got = receiveAll(INBOUND, 2);
        assertSealedTo(got.get(0), forged);
        assertSealedTo(got.get(1), order);
    }

    @Test
    void configuredFromBrokerXmlPropertiesItReadsTheKeyRingFile() throws Exception {
        Path ring = data.resolve("keyring.properties");
        KeyRing.create(ring, "k7");
        SealedInboundOrders plugin = new SealedInboundOrders();
        plugin.init(Map.of(SealedInboundOrders.KEY_RING_FILE, ring.toString()));
        assertThat(plugin.addresses()).extracting(SimpleString::toString)
                .containsExactlyInAnyOrder("orders.inbound", "orders.inbound.DLQ");
        assertThat(plugin.cipher().activeKeyId()).isEqualTo("k7");

        assertThatThrownBy(() -> new SealedInboundOrders().init(Map.of()))
                .hasMessageContaining("the property key-ring-file");
        assertThatThrownBy(() -> new SealedInboundOrders().init(Map.of(SealedInboundOrders.KEY_RING_FILE,
                data.resolve("missing").toString()))).hasMessageContaining("cannot read the key ring");
        SealedInboundOrders custom = new SealedInboundOrders();
        custom.init(Map.of(SealedInboundOrders.KEY_RING_FILE, ring.toString(), SealedInboundOrders.ADDRESSES,
                " shop.orders , shop.orders.DLQ "));
        assertThat(custom.addresses()).extracting(SimpleString::toString)
                .containsExactlyInAnyOrder("shop.orders", "shop.orders.DLQ");
    }

    // ---------------------------------------------------------------------------------------------------------

    private void assertSealedTo(Message m, String expected) throws JMSException {
        assertThat(m).isNotNull();
        assertThat(m.getStringProperty(SealedInboundOrders.PROPERTY)).isEqualTo("ring");
        if (m instanceof TextMessage t) {
            assertThat(t.getText()).startsWith("ohe1:k1:").doesNotContain(EMAIL);
            assertThat(cipher.openText(t.getText())).isEqualTo(expected);
        } else {
            byte[] body = m.getBody(byte[].class);
            assertThat(DataCipher.sealed(body)).isTrue();
            assertThat(new String(cipher.open(body), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    private static String order() {
        return "{\"customer\":{\"email\":\"" + EMAIL + "\",\"name\":\"Sealed Person\"},\"lines\":[]}";
    }

    private static ConnectionFactory core() {
        return new ActiveMQConnectionFactory("vm://471");
    }

    interface Make {
        Message make(Session s) throws JMSException;
    }

    private static void send(ConnectionFactory f, String queue, Make make) throws JMSException {
        try (Connection c = f.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.send(make.make(s));
        }
    }

    private static BytesMessage bytesMessage(Session s, byte[] bytes) throws JMSException {
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(bytes);
        return m;
    }

    private static List<Message> receiveAll(String queue, int n) throws JMSException {
        List<Message> got = new ArrayList<>();
        try (Connection c = core().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (int i = 0; i < n; i++) {
                Message m = consumer.receive(10_000);
                assertThat(m).as("message " + (i + 1) + " of " + n + " on " + queue).isNotNull();
                if (m instanceof BytesMessage b) {
                    b.getBody(byte[].class);
                }
                got.add(m);
            }
        }
        return got;
    }

    /** The files of the broker's data directory holding the e-mail in clear (UTF-8 or Artemis' 16-bit strings). */
    private List<String> clearInDataDirectory() throws IOException {
        List<String> leaks = new ArrayList<>();
        String utf16 = new String(EMAIL.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1);
        String utf16be = new String(EMAIL.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1);
        for (Path f : files(data)) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            if (content.contains(EMAIL) || content.contains(utf16) || content.contains(utf16be)) {
                leaks.add(f.toString());
            }
        }
        return leaks;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
