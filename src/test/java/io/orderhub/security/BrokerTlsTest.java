package io.orderhub.security;

import static io.orderhub.security.BrokerSecurityTest.WEBSHOP_PASSWORD;
import static io.orderhub.security.BrokerSecurityTest.WEBSHOP_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.config.BrokerQueues;
import io.orderhub.config.BrokerTls;
import io.orderhub.config.ExternalBrokerQueues;
import io.orderhub.support.HubTestSupport;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The broker over TLS (issue 25, "TLS acceptors"): the embedded broker's TLS acceptor as {@link BrokerTls} configures
 * it (ORDERHUB_BROKER_TLS_*), and the client URL an external Artemis' TLS acceptor takes (ORDERHUB_ARTEMIS_URL with
 * {@code sslEnabled=true;trustStorePath=...}). A self-signed key pair for the broker and one for a client are made
 * for this class with the JDK's keytool; each side's trust store holds the other's certificate.
 *
 * <p>Like {@link BrokerSecurityTest}, this class opens its acceptors (TLS, and TLS with client certificates
 * required) on free ports on the shared broker and removes them afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerTlsTest extends HubTestSupport {

    private static final String TLS_ACCEPTOR = "broker-tls-test";
    private static final String MTLS_ACCEPTOR = "broker-mtls-test";
    private static final String STORE_PASSWORD = "test-store-secret";

    @Autowired
    EmbeddedActiveMQ broker;
    @Autowired
    BrokerUsers brokerUsers;
    @Autowired
    BrokerQueues brokerQueues;

    Path dir;
    Path brokerKeyStore;
    Path brokerTrustStore;
    Path clientKeyStore;
    Path clientTrustStore;
    int tlsPort;
    int mtlsPort;

    @BeforeAll
    void keysAndAcceptors() throws Exception {
        dir = Files.createTempDirectory("orderhub-broker-tls");
        brokerKeyStore = dir.resolve("broker.p12");
        clientKeyStore = dir.resolve("client.p12");
        keyPair(brokerKeyStore, "broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
        keyPair(clientKeyStore, "client", "CN=test-webshop", null);
        clientTrustStore = trustStoreOf(brokerKeyStore, "broker", dir.resolve("client-trust.p12"));
        brokerTrustStore = trustStoreOf(clientKeyStore, "client", dir.resolve("broker-trust.p12"));

        tlsPort = freePort();
        mtlsPort = freePort();
        var remoting = broker.getActiveMQServer().getRemotingService();
        remoting.createAcceptor(new BrokerTls("127.0.0.1", tlsPort, brokerKeyStore.toString(), STORE_PASSWORD, "PKCS12",
                null, null, null, false).acceptor(TLS_ACCEPTOR)).start();
        remoting.createAcceptor(new BrokerTls("127.0.0.1", mtlsPort, brokerKeyStore.toString(), STORE_PASSWORD, "PKCS12",
                brokerTrustStore.toString(), STORE_PASSWORD, "PKCS12", true).acceptor(MTLS_ACCEPTOR)).start();
    }

    @AfterAll
    void closeAcceptors() throws Exception {
        broker.getActiveMQServer().getRemotingService().destroyAcceptor(TLS_ACCEPTOR);
        broker.getActiveMQServer().getRemotingService().destroyAcceptor(MTLS_ACCEPTOR);
    }

    // --- STOMP over TLS ---

    @Test
    void stompOverTlsWithTheChannelsUserOrTheHubsUserIsConnectedAndWithoutALoginIsNot() throws Exception {
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(tlsSocket(tlsPort))) {
            assertThat(stomp.connect(WEBSHOP_USER, WEBSHOP_PASSWORD).command()).isEqualTo("CONNECTED");
        }
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(tlsSocket(tlsPort))) {
            assertThat(stomp.connect(brokerUsers.hubUser(), brokerUsers.hubPassword()).command()).isEqualTo("CONNECTED");
        }
        // the same security as the plain acceptor: no login, no entry
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(tlsSocket(tlsPort))) {
            assertThat(stomp.connect(null, null).command()).isEqualTo("ERROR");
        }
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(tlsSocket(tlsPort))) {
            assertThat(stomp.connect(WEBSHOP_USER, "not-the-password").command()).isEqualTo("ERROR");
        }
    }

    @Test
    void stompInClearTextOnTheTlsPortIsNotConnected() throws Exception {
        String answer;
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(tlsPort)) {
            answer = stomp.connect(WEBSHOP_USER, WEBSHOP_PASSWORD).command();
        } catch (IOException e) {
            answer = e.toString();
        }
        assertThat(answer).isNotEqualTo("CONNECTED").doesNotContain("CONNECTED");
    }

    @Test
    void aClientThatDoesNotTrustTheBrokersCertificateGetsNoConnection() throws Exception {
        SSLContext defaults = SSLContext.getInstance("TLS");
        defaults.init(null, null, null);
        try (SSLSocket socket = (SSLSocket) defaults.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            socket.setSoTimeout(20_000);
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    // --- the core JMS client with an sslEnabled URL ---

    @Test
    void aChannelSendsAnOrderOverTlsAndGetsItsAnswer() throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(tlsUrl(tlsPort, ""), WEBSHOP_USER, WEBSHOP_PASSWORD)
                .createConnection()) {
            assertThat(sendOrder(c, "webshop").get("status").asText()).isEqualTo("ACCEPTED");
        }
    }

    @Test
    void theHubsOwnConnectionFactoryWorksWithAnSslEnabledBrokerUrl() throws Exception {
        // what the hub does with spring.artemis.broker-url (ORDERHUB_ARTEMIS_URL) in native mode: an Artemis
        // connection factory from the URL with the hub's user; it sends for any channel and uses its own queues
        try (Connection c = new ActiveMQConnectionFactory(tlsUrl(tlsPort, ""), brokerUsers.hubUser(),
                brokerUsers.hubPassword()).createConnection()) {
            assertThat(sendOrder(c, "b2b").get("status").asText()).isEqualTo("ACCEPTED");
            // and what the channels' users may not: browse a stage queue
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var browser = session.createBrowser(session.createQueue("orders.events::notify.customer"));
            browser.getEnumeration();
            browser.close();
        }
    }

    @Test
    void theHubsStartUpQueueDeclarationOnAnExternalBrokerWorksOverTls() throws Exception {
        // ExternalBrokerQueues, as the hub runs it against spring.artemis.broker-url at start-up (the queues exist here)
        ExternalBrokerQueues.Report report = ExternalBrokerQueues.declare(brokerQueues, tlsUrl(tlsPort, ""),
                brokerUsers.hubUser(), brokerUsers.hubPassword(), Duration.ofSeconds(10));
        assertThat(report.existing()).hasSize(brokerQueues.subscriptions().size());
        assertThat(report.created()).isEmpty();
        assertThat(report.mismatched()).isEmpty();
        // a URL without sslEnabled to the TLS-only port: the start would fail, saying so without the trust store's password
        assertThatThrownBy(() -> ExternalBrokerQueues.declare(brokerQueues, "tcp://127.0.0.1:" + tlsPort
                + "?callTimeout=5000;trustStorePassword=" + STORE_PASSWORD, brokerUsers.hubUser(), brokerUsers.hubPassword(),
                Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("did not answer")
                .hasMessageNotContaining(STORE_PASSWORD);
    }

    @Test
    void theCoreClientWithoutSslOnTheTlsPortOrWithoutTrustIsRefused() {
        String plain = "tcp://127.0.0.1:" + tlsPort + "?reconnectAttempts=0;callTimeout=5000";
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(plain, WEBSHOP_USER, WEBSHOP_PASSWORD).createConnection()
                .close()).isInstanceOf(JMSException.class);
        String untrusting = "tcp://127.0.0.1:" + tlsPort + "?sslEnabled=true;reconnectAttempts=0";
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(untrusting, WEBSHOP_USER, WEBSHOP_PASSWORD)
                .createConnection().close()).isInstanceOf(JMSException.class);
    }

    // --- mutual TLS (need-client-auth) ---

    @Test
    void withClientCertificatesRequiredAClientWithOneIsServedAndOneWithoutIsRefused() throws Exception {
        String withCertificate = ";keyStorePath=" + clientKeyStore + ";keyStorePassword=" + STORE_PASSWORD
                + ";keyStoreType=PKCS12";
        try (Connection c = new ActiveMQConnectionFactory(tlsUrl(mtlsPort, withCertificate), WEBSHOP_USER,
                WEBSHOP_PASSWORD).createConnection()) {
            assertThat(sendOrder(c, "webshop").get("status").asText()).isEqualTo("ACCEPTED");
        }
        // a certificate is not a login: the broker still wants the user's password
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(tlsUrl(mtlsPort, withCertificate)).createConnection()
                .close()).isInstanceOf(JMSSecurityException.class);
        // without a certificate the handshake fails (the broker logs "Empty client certificate chain"); the client
        // learns it when its call is not answered
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(tlsUrl(mtlsPort, ";callTimeout=5000"), WEBSHOP_USER,
                WEBSHOP_PASSWORD).createConnection().close()).isInstanceOf(JMSException.class)
                .isNotInstanceOf(JMSSecurityException.class);
        String refused;
        try (BrokerSecurityTest.Stomp stomp = new BrokerSecurityTest.Stomp(tlsSocket(mtlsPort))) {
            refused = stomp.connect(WEBSHOP_USER, WEBSHOP_PASSWORD).command();
        } catch (IOException e) {
            refused = e.toString();
        }
        assertThat(refused).as("STOMP over TLS without a client certificate").doesNotContain("CONNECTED");
    }

    private JsonNode sendOrder(Connection c, String channel) throws Exception {
        Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = session.createTemporaryQueue();
        var answers = session.createConsumer(replies);
        c.start();
        TextMessage m = session.createTextMessage(order().toString());
        m.setStringProperty("channel", channel);
        m.setJMSReplyTo(replies);
        session.createProducer(session.createQueue("orders.inbound")).send(m);
        TextMessage answer = (TextMessage) answers.receive(20_000);
        assertThat(answer).as("an answer").isNotNull();
        JsonNode body = json.readTree(answer.getText());
        assertThat(body.get("status")).as(body.toString()).isNotNull();
        return body;
    }

    /** The client URL of a TLS acceptor: CORE URL parameters, as in ORDERHUB_ARTEMIS_URL. */
    private String tlsUrl(int port, String more) {
        return "tcp://127.0.0.1:" + port + "?sslEnabled=true;verifyHost=true;trustStorePath=" + clientTrustStore
                + ";trustStorePassword=" + STORE_PASSWORD + ";trustStoreType=PKCS12;reconnectAttempts=0" + more;
    }

    /** A TLS socket trusting the broker's certificate alone, handshake done. */
    private SSLSocket tlsSocket(int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clientTrustStore)) {
            trust.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void keyPair(Path store, String alias, String dname, String extension) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", dname, "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
                "-keypass", STORE_PASSWORD));
        if (extension != null) {
            command.addAll(List.of("-ext", extension));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    private static Path trustStoreOf(Path keyStore, String alias, Path trustStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        Certificate certificate = keys.getCertificate(alias);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(alias, certificate);
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, STORE_PASSWORD.toCharArray());
        }
        return trustStore;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
