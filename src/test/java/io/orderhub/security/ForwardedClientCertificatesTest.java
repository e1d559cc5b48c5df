package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.orderhub.api.ClientCertificateFilter;
import io.orderhub.channel.CertificateBinding;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A client certificate passed on by a TLS-terminating proxy ({@link ForwardedClientCertificates}): read from Envoy's
 * {@code X-Forwarded-Client-Cert}, a URL-encoded PEM (nginx {@code $ssl_client_escaped_cert}), a PEM with its line
 * breaks as spaces, or bare base64; believed only on a connection from a configured proxy address; through
 * {@link ClientCertificateFilter} it authenticates the channel it is bound to, and from any other address nobody.
 * The certificate is made by keytool at test time.
 */
class ForwardedClientCertificatesTest {

    static X509Certificate partner;
    static X509Certificate other;

    @BeforeAll
    static void certificates() throws Exception {
        Path dir = Path.of("target", "forwarded-cert-test-" + UUID.randomUUID());
        Files.createDirectories(dir);
        partner = selfSigned(dir, "partner", "CN=acme-edi,O=Acme,C=DE");
        other = selfSigned(dir, "other", "CN=someone-else,O=Else,C=DE");
    }

    @Test
    void theProxysHeaderIsReadInEachCommonForm() throws Exception {
        ForwardedClientCertificates f = new ForwardedClientCertificates("10.0.0.5", "X-Forwarded-Client-Cert");
        String pem = pem(partner);
        String escaped = URLEncoder.encode(pem, StandardCharsets.UTF_8);

        assertThat(f.certificate("10.0.0.5", escaped)).contains(partner);
        assertThat(f.certificate("10.0.0.5", "By=spiffe://hub/orderhub;Hash=" + "ab".repeat(32) + ";Cert=\"" + escaped
                + "\";Subject=\"CN=acme-edi,O=Acme,C=DE\";URI=")).contains(partner);
        assertThat(f.certificate("10.0.0.5", pem.replace("\n", " "))).contains(partner);
        assertThat(f.certificate("10.0.0.5", pem.replace("\n", "\t"))).contains(partner);
        assertThat(f.certificate("10.0.0.5", Base64.getEncoder().encodeToString(partner.getEncoded()))).contains(partner);
        // what holds no certificate is none (and no failure)
        assertThat(f.certificate("10.0.0.5", "Hash=abc;Subject=\"CN=x\"")).isEmpty();
        assertThat(f.certificate("10.0.0.5", "-----BEGIN CERTIFICATE-----bm90IGEgY2VydA==-----END CERTIFICATE-----")).isEmpty();
        assertThat(f.certificate("10.0.0.5", "%zz")).isEmpty();
        assertThat(f.certificate("10.0.0.5", "")).isEmpty();
    }

    @Test
    void theHeaderIsBelievedOnlyFromAConfiguredProxy() throws Exception {
        String escaped = URLEncoder.encode(pem(partner), StandardCharsets.UTF_8);
        ForwardedClientCertificates f = new ForwardedClientCertificates(" 10.0.0.5 , ::1 ", "ssl-client-cert");
        assertThat(f.enabled()).isTrue();
        assertThat(f.header()).isEqualTo("ssl-client-cert");
        assertThat(f.certificate("10.0.0.6", escaped)).isEmpty();
        assertThat(f.certificate("127.0.0.1", escaped)).isEmpty();
        assertThat(f.certificate("0:0:0:0:0:0:0:1", escaped)).contains(partner);
        assertThat(f.certificate("[::1]", escaped)).contains(partner);
        assertThat(f.certificate(null, escaped)).isEmpty();
        assertThat(f.certificate("proxy.example", escaped)).isEmpty();

        ForwardedClientCertificates none = new ForwardedClientCertificates("", "X-Forwarded-Client-Cert");
        assertThat(none.enabled()).isFalse();
        assertThat(none.certificate("10.0.0.5", escaped)).isEmpty();

        assertThatThrownBy(() -> new ForwardedClientCertificates("proxy.example", "X-Forwarded-Client-Cert"))
                .hasMessageContaining("ORDERHUB_TLS_CLIENT_CERT_PROXIES").hasMessageContaining("'proxy.example' is not an IP address");
        assertThatThrownBy(() -> new ForwardedClientCertificates("10.0.0.5", " "))
                .hasMessageContaining("ORDERHUB_TLS_CLIENT_CERT_HEADER");
    }

    @Test
    void throughTheFilterABoundCertificateFromTheProxyAuthenticatesItsChannelAndFromElsewhereNobody() throws Exception {
        ForwardedClientCertificates f = new ForwardedClientCertificates("10.0.0.5", "X-Forwarded-Client-Cert");
        Channel b2b = Mockito.mock(Channel.class);
        Mockito.when(b2b.id()).thenReturn("b2b");
        Mockito.when(b2b.clientCertificates()).thenReturn(List.of("sha256:" + CertificateBinding.fingerprintOf(partner)));
        ChannelRegistry registry = Mockito.mock(ChannelRegistry.class);
        Mockito.when(registry.all()).thenReturn(List.of(b2b));
        ClientCertificates certificates = new ClientCertificates(registry, new MockEnvironment(), f);
        // a binding and no TLS of the hub's own: the proxy is what asks for certificates, so the start goes on
        certificates.afterPropertiesSet();
        ClientCertificateFilter filter = new ClientCertificateFilter(certificates, f);

        assertThat(channelSeen(filter, "10.0.0.5", pem(partner), null)).isEqualTo("b2b");
        assertThat(channelSeen(filter, "10.0.0.9", pem(partner), null)).as("not the proxy").isNull();
        assertThat(channelSeen(filter, "10.0.0.5", pem(other), null)).as("bound to no channel").isNull();
        assertThat(channelSeen(filter, "10.0.0.9", pem(partner), "b2b")).as("a forged channel header").isNull();

        // without a proxy, a binding with no TLS of the hub's own is refused at start, naming both ways
        ClientCertificates alone = new ClientCertificates(registry, new MockEnvironment(),
                new ForwardedClientCertificates("", "X-Forwarded-Client-Cert"));
        assertThatThrownBy(alone::afterPropertiesSet).hasMessageContaining("ORDERHUB_TLS_CLIENT_CERT_PROXIES");
    }

    private static String channelSeen(ClientCertificateFilter filter, String remote, String pem, String forgedChannel)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/orders");
        request.setRemoteAddr(remote);
        request.addHeader("X-Forwarded-Client-Cert", URLEncoder.encode(pem, StandardCharsets.UTF_8));
        if (forgedChannel != null) {
            request.addHeader(ClientCertificateFilter.HEADER, forgedChannel);
        }
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        return ((HttpServletRequest) chain.getRequest()).getHeader(ClientCertificateFilter.HEADER);
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    private static X509Certificate selfSigned(Path dir, String alias, String dn) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dn, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "test-store-pass")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "test-store-pass".toCharArray());
        }
        return (X509Certificate) ks.getCertificate(alias);
    }
}
