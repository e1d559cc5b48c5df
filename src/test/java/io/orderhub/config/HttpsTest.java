package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The hub on HTTPS with Spring Boot's standard {@code server.ssl.*} settings (a PKCS12 key store made by keytool for
 * localhost): a client that trusts the hub's certificate gets its answers, with the certificate and host name
 * checked; a client that does not trust it is refused in the handshake; plain HTTP gets no answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.ssl.enabled=true",
        "server.ssl.key-store=target/https-test/hub.p12",
        "server.ssl.key-store-password=test-store-pass",
        "server.ssl.key-store-type=PKCS12",
        "server.ssl.key-alias=hub"})
// its own context (other server settings) is closed after the class: on PostgreSQL every context shares the suite's
// database, and a second hub left running took events, mails and partner calls meant for the suite's hub
@org.springframework.test.annotation.DirtiesContext
class HttpsTest {

    static final Path STORE = Path.of("target", "https-test", "hub.p12");

    static {
        try {
            Files.createDirectories(STORE.getParent());
            Files.deleteIfExists(STORE);
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", STORE.toString(), "-storepass", "test-store-pass").inheritIO().start();
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool could not create " + STORE);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    int port;

    @Test
    void theApiAnswersOverHttpsWithItsCertificateChecked() throws Exception {
        HttpClient trusting = HttpClient.newBuilder().sslContext(trustingTheHub()).build();
        HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/orders?size=1"))
                .header("X-API-Key", "test-ops-secret").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.sslSession()).get().satisfies(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));

        // the JDK's default trust: the hub's certificate is not from a known authority, the handshake fails
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + port + "/api/orders")).GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
        // the certificate is for localhost: another host name for the same address is refused
        assertThatThrownBy(() -> trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.2:" + port + "/api/orders"))
                .GET().build(), HttpResponse.BodyHandlers.ofString())).isInstanceOfAny(SSLHandshakeException.class,
                java.net.ConnectException.class, java.io.IOException.class);
    }

    /** Trusts exactly the hub's certificate, as a client given the hub's CA certificate would. */
    private static SSLContext trustingTheHub() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(STORE)) {
            store.load(in, "test-store-pass".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("hub", store.getCertificate("hub"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

}
