package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.orderhub.channel.CertificateBinding;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Client certificates (mTLS) bound to B2B channels over real HTTPS: a test CA (made by keytool at test time) issues the
 * partners' certificates; the hub trusts that CA ({@code server.ssl.trust-store}), asks for a certificate
 * ({@code server.ssl.client-auth=want}), and its channels.yaml binds b2b by SHA-256 fingerprint and webshop by subject
 * DN. A bound certificate authenticates as its channel without an API key and only for that channel; a trusted but
 * unbound certificate, a forged header or an untrusted certificate with a bound DN authenticates nobody.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.ssl.enabled=true",
        "server.ssl.key-store=target/mtls-test/hub.p12",
        "server.ssl.key-store-password=test-store-pass",
        "server.ssl.key-store-type=PKCS12",
        "server.ssl.key-alias=hub",
        "server.ssl.client-auth=want",
        "server.ssl.trust-store=target/mtls-test/partners-ca.p12",
        "server.ssl.trust-store-password=test-store-pass",
        "server.ssl.trust-store-type=PKCS12",
        "orderhub.mappings-dir=target/mtls-test/mappings"})
// its own hub (other server settings and channels), closed after the class, as HttpsTest's
@DirtiesContext
class MutualTlsTest {

    static final Path DIR = Path.of("target", "mtls-test");
    static final Path PKI = DIR.resolve("pki.p12");
    static final Path ROGUE = DIR.resolve("rogue.p12");
    static final char[] PASS = "test-store-pass".toCharArray();
    static final String WEBSHOP_DN = "CN=webshop-edi, O=Webshop, C=DE";

    static {
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> old = Files.walk(DIR)) {
                    for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(DIR);
            keytool(PKI, "-genkeypair", "-alias", "ca", "-dname", "CN=OrderHub Test Partner CA", "-ext", "bc:c");
            keytool(DIR.resolve("hub.p12"), "-genkeypair", "-alias", "hub", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1");
            keytool(PKI, "-genkeypair", "-alias", "b2b", "-dname", "CN=b2b-edi, O=Acme Buyer", "-signer", "ca");
            keytool(PKI, "-genkeypair", "-alias", "webshop", "-dname", "cn=webshop-edi,o=Webshop,c=DE", "-signer", "ca");
            keytool(PKI, "-genkeypair", "-alias", "stranger", "-dname", "CN=stranger, O=Nobody", "-signer", "ca");
            // self-signed, not from the trusted CA, though it carries webshop's bound DN
            keytool(ROGUE, "-genkeypair", "-alias", "rogue", "-dname", WEBSHOP_DN);

            KeyStore pki = load(PKI);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("partners-ca", pki.getCertificate("ca"));
            try (OutputStream out = Files.newOutputStream(DIR.resolve("partners-ca.p12"))) {
                trust.store(out, PASS);
            }

            copy(Path.of("mappings"), DIR.resolve("mappings"));
            Path channels = DIR.resolve("mappings").resolve("channels.yaml");
            String fingerprint = CertificateBinding.fingerprintOf((X509Certificate) pki.getCertificate("b2b"));
            String yaml = Files.readString(channels, StandardCharsets.UTF_8)
                    .replace("    apiKeys: [demo-b2b]\n", "    apiKeys: [demo-b2b]\n    clientCertificates: [\"SHA256:"
                            + fingerprint.toUpperCase(java.util.Locale.ROOT).replaceAll("(..)(?!$)", "$1:") + "\"]\n")
                    .replace("    apiKeys: [demo-webshop]\n", "    apiKeys: [demo-webshop]\n    clientCertificates: [\""
                            + WEBSHOP_DN + "\"]\n");
            assertThat(yaml).contains("clientCertificates: [\"SHA256:", "clientCertificates: [\"CN=webshop-edi");
            Files.writeString(channels, yaml, StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    int port;

    @Test
    void aBoundCertificateAuthenticatesAsItsChannelOnly() throws Exception {
        HttpClient b2b = client(PKI, "b2b");
        HttpResponse<String> created = send(b2b, post("/api/channels/b2b/orders", order()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"channel\":\"b2b\"");
        String orderId = created.body().replaceAll("(?s).*\"orderId\":\"([^\"]+)\".*", "$1");
        assertThat(send(b2b, get("/api/orders/" + orderId)).statusCode()).isEqualTo(200);

        // another channel's path, an operator's endpoint: refused as for b2b's API key
        HttpResponse<String> foreign = send(b2b, post("/api/channels/webshop/orders", order()));
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
        assertThat(foreign.body()).contains("b2b");
        assertThat(send(b2b, get("/api/ops/dead-letters")).statusCode()).isEqualTo(403);
        // b2b's certificate with webshop's key: refused, neither wins
        HttpResponse<String> mixed = send(b2b, post("/api/channels/webshop/orders", order()).header("X-API-Key",
                "test-webshop-secret"));
        assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(403);
        assertThat(mixed.body()).contains("client certificate is bound to channel 'b2b'");

        // webshop is bound by its subject DN (written differently in channels.yaml than in the certificate)
        HttpClient webshop = client(PKI, "webshop");
        HttpResponse<String> own = send(webshop, post("/api/channels/webshop/orders", order()));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        assertThat(own.body()).contains("\"channel\":\"webshop\"");
        assertThat(send(webshop, get("/api/orders/" + orderId)).statusCode()).isEqualTo(404);
    }

    @Test
    void noBoundCertificateNoChannel() throws Exception {
        // trusted by the hub but bound to no channel: no caller without a key, an API key still works
        HttpClient stranger = client(PKI, "stranger");
        assertThat(send(stranger, post("/api/channels/b2b/orders", order())).statusCode()).isEqualTo(401);
        assertThat(send(stranger, get("/api/orders?size=1").header("X-API-Key", "test-ops-secret")).statusCode())
                .isEqualTo(200);

        // no certificate at all (the hub only wants one), and the header the hub sets itself forged by the client
        HttpClient none = HttpClient.newBuilder().sslContext(context(null, null)).build();
        HttpResponse<String> forged = send(none, post("/api/channels/b2b/orders", order())
                .header("X-OrderHub-Certificate-Channel", "b2b"));
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
        assertThat(send(none, post("/api/channels/b2b/orders", order()).header("X-API-Key", "test-b2b-secret")).statusCode())
                .isEqualTo(201);

        // webshop's DN on a certificate the trusted CA did not issue: the handshake refuses it
        HttpClient rogue = client(ROGUE, "rogue");
        assertThatThrownBy(() -> send(rogue, post("/api/channels/webshop/orders", order()))).isInstanceOf(IOException.class);
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).GET();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String order() throws IOException {
        return Files.readString(Path.of("examples", "order-canonical.json"), StandardCharsets.UTF_8)
                .replace("WEB-10001", "MTLS-" + UUID.randomUUID());
    }

    /** A client presenting the one key entry {@code alias} of the store, trusting exactly the hub's certificate. */
    private static HttpClient client(Path store, String alias) throws Exception {
        return HttpClient.newBuilder().sslContext(context(store, alias)).build();
    }

    private static SSLContext context(Path store, String alias) throws Exception {
        KeyStore hub = load(DIR.resolve("hub.p12"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("hub", hub.getCertificate("hub"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.KeyManager[] keyManagers = null;
        if (store != null) {
            KeyStore all = load(store);
            Key key = all.getKey(alias, PASS);
            Certificate[] chain = all.getCertificateChain(alias);
            KeyStore one = KeyStore.getInstance("PKCS12");
            one.load(null, null);
            one.setKeyEntry(alias, key, PASS, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(one, PASS);
            javax.net.ssl.X509ExtendedKeyManager km = (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0];
            // presents its certificate whatever issuers the hub names (a forger would too)
            keyManagers = new javax.net.ssl.KeyManager[] {new javax.net.ssl.X509ExtendedKeyManager() {
                @Override
                public String[] getClientAliases(String type, java.security.Principal[] issuers) {
                    return new String[] {alias};
                }

                @Override
                public String chooseClientAlias(String[] types, java.security.Principal[] issuers, java.net.Socket socket) {
                    return alias;
                }

                @Override
                public String chooseEngineClientAlias(String[] types, java.security.Principal[] issuers,
                                                      javax.net.ssl.SSLEngine engine) {
                    return alias;
                }

                @Override
                public String[] getServerAliases(String type, java.security.Principal[] issuers) {
                    return null;
                }

                @Override
                public String chooseServerAlias(String type, java.security.Principal[] issuers, java.net.Socket socket) {
                    return null;
                }

                @Override
                public X509Certificate[] getCertificateChain(String name) {
                    return km.getCertificateChain(name);
                }

                @Override
                public java.security.PrivateKey getPrivateKey(String name) {
                    return km.getPrivateKey(name);
                }
            }};
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASS);
        }
        return store;
    }

    private static void keytool(Path store, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(java.util.List.of(args));
        command.addAll(java.util.List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASS)));
        Process keytool = new ProcessBuilder(command).inheritIO().start();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed");
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : all.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }
}
