package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.orderhub.crypto.DataCipher;
import io.orderhub.crypto.KeyRing;
import io.orderhub.support.StandaloneArtemis;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SealedInboundOrders} on an external Artemis, installed as README (Security) tells an operator: the jar
 * {@code target/orderhub-<version>-broker-plugin.jar} (built by Maven right after compiling) in the broker instance's
 * {@code lib/}, a {@code <broker-plugins>} entry in {@code broker.xml} naming the hub's key ring file. A channel's
 * text and bytes orders to {@code orders.inbound}, and what lands on {@code orders.inbound.DLQ}, are then in no file of
 * the broker's data directory in clear (scanned after a kill -9, the journal as it is on disk) and open under the
 * hub's ring to what was sent; a large message is refused with the reason. Runs the standalone Artemis 2.44.0
 * ({@link StandaloneArtemis}): {@code ./mvnw -B test -Dtest=ExternalBrokerSealingIT -Dsurefire.failIfNoSpecifiedTests=false}
 * (also in .ci/run).
 */
class ExternalBrokerSealingIT {

    static final String EMAIL = "external.sealed.9173@example.org";
    static StandaloneArtemis broker;
    static DataCipher cipher;

    @BeforeAll
    static void startBroker() throws Exception {
        Path work = Path.of("target", "it-artemis-sealing-" + UUID.randomUUID()).toAbsolutePath();
        broker = StandaloneArtemis.create(work);
        Path ring = work.resolve("keyring.properties");
        KeyRing.create(ring, "k1");
        cipher = new DataCipher(KeyRing.load(ring, null));
        Path jar = pluginJar();
        Files.copy(jar, broker.instance().resolve("lib").resolve(jar.getFileName()));
        Path brokerXml = broker.instance().resolve("etc/broker.xml");
        String xml = Files.readString(brokerXml);
        // as README (Security) shows it
        Files.writeString(brokerXml, xml.replaceFirst("</name>", "</name>\n"
                + "      <broker-plugins>\n"
                + "        <broker-plugin class-name=\"io.orderhub.config.SealedInboundOrders\">\n"
                + "          <property key=\"key-ring-file\" value=\"" + ring + "\"/>\n"
                + "        </broker-plugin>\n"
                + "      </broker-plugins>"));
        broker.start().awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void ordersInTheExternalBrokersJournalAreSealedAndOpenUnderTheHubsRing() throws Exception {
        String order = "{\"customer\":{\"email\":\"" + EMAIL + "\",\"name\":\"External Person\"},\"lines\":[]}";
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url(), StandaloneArtemis.USER,
                StandaloneArtemis.PASSWORD);
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("orders.inbound")).send(s.createTextMessage(order));
            BytesMessage bytes = s.createBytesMessage();
            bytes.writeBytes(order.getBytes(StandardCharsets.UTF_8));
            s.createProducer(s.createQueue("orders.inbound")).send(bytes);
            s.createProducer(s.createQueue("orders.inbound.DLQ")).send(s.createTextMessage(order));
        }
        ActiveMQConnectionFactory small = new ActiveMQConnectionFactory(broker.url(), StandaloneArtemis.USER,
                StandaloneArtemis.PASSWORD);
        small.setMinLargeMessageSize(1024);
        try (Connection c = small.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            String big = order + "x".repeat(8 * 1024);
            assertThatThrownBy(() -> s.createProducer(s.createQueue("orders.inbound")).send(s.createTextMessage(big)))
                    .isInstanceOf(JMSException.class).hasMessageContaining("orders.inbound takes no large message");
        }

        // browsed (left on the queues): sealed, and the hub's ring opens them to what was sent
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<Message> inbound = java.util.Collections.list(
                    s.createBrowser(s.createQueue("orders.inbound")).getEnumeration());
            assertThat(inbound).hasSize(2);
            assertThat(opened(inbound.get(0))).isEqualTo(order);
            assertThat(opened(inbound.get(1))).isEqualTo(order);
            List<Message> dlq = java.util.Collections.list(
                    s.createBrowser(s.createQueue("orders.inbound.DLQ")).getEnumeration());
            assertThat(dlq).hasSize(1);
            assertThat(opened(dlq.get(0))).isEqualTo(order);
        }

        broker.kill();
        Path data = broker.instance().resolve("data");
        assertThat(data.resolve("journal")).isDirectory();
        assertThat(clearIn(data)).as("files of the broker's data directory holding " + EMAIL + " in clear").isEmpty();
        try (DirectoryStream<Path> journal = Files.newDirectoryStream(data.resolve("journal"), "*.amq")) {
            assertThat(journal.iterator().hasNext()).isTrue();
        }
    }

    private static String opened(Message m) throws JMSException {
        assertThat(m.getStringProperty(SealedInboundOrders.PROPERTY)).isEqualTo("ring");
        if (m instanceof TextMessage t) {
            assertThat(t.getText()).startsWith("ohe1:k1:");
            return cipher.openText(t.getText());
        }
        byte[] body = m.getBody(byte[].class);
        assertThat(DataCipher.sealed(body)).isTrue();
        return new String(cipher.open(body), StandardCharsets.UTF_8);
    }

    private static Path pluginJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("orderhub-.*-broker-plugin\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("target/orderhub-<version>-broker-plugin.jar is missing "
                            + "(built by Maven's process-classes phase)"));
        }
    }

    private static List<String> clearIn(Path dir) throws IOException {
        String utf16 = new String(EMAIL.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1);
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (content.contains(EMAIL) || content.contains(utf16)) {
                    leaks.add(f.toString());
                }
            }
        }
        return leaks;
    }
}
