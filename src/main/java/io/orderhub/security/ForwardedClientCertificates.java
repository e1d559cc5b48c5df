package io.orderhub.security;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The client certificate a TLS-terminating proxy verified and passed on in a header
 * ({@code orderhub.tls.client-cert-header}, {@code X-Forwarded-Client-Cert} by default), believed only on a connection
 * from one of the proxies' addresses ({@code orderhub.tls.client-cert-proxies}, IP addresses as the hub sees the TCP
 * peer); from anywhere else the header is ignored. The proxy must verify the certificate against the partners' CA and
 * overwrite the header a client sends. The value may be:
 * <ul>
 * <li>Envoy's {@code X-Forwarded-Client-Cert}: elements such as {@code Hash=...;Cert="<URL-encoded PEM>";Subject=...}
 *     (the first element's {@code Cert}, the client's own when the proxy appends);</li>
 * <li>a URL-encoded PEM (nginx {@code $ssl_client_escaped_cert}, HAProxy, Traefik);</li>
 * <li>a PEM whose line breaks became spaces or tabs (nginx {@code $ssl_client_cert}), or the bare base64 DER.</li>
 * </ul>
 * A value that is none of these is logged (WARN, without the value) and counts as no certificate.
 */
@Component
public class ForwardedClientCertificates {

    private static final Logger log = LoggerFactory.getLogger(ForwardedClientCertificates.class);
    private static final Pattern XFCC_CERT = Pattern.compile("(?:^|[;,])\\s*Cert=(\"[^\"]*\"|[^;,]*)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PEM = Pattern.compile("-----BEGIN[ +]CERTIFICATE-----(.*?)-----END[ +]CERTIFICATE-----",
            Pattern.DOTALL);

    private final Set<InetAddress> proxies;
    private final String header;

    public ForwardedClientCertificates(@Value("${orderhub.tls.client-cert-proxies:}") String proxies,
                                       @Value("${orderhub.tls.client-cert-header:X-Forwarded-Client-Cert}") String header) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String p : proxies == null ? new String[0] : proxies.split(",")) {
            String a = p.trim();
            if (a.isEmpty()) {
                continue;
            }
            if (!a.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalStateException("ORDERHUB_TLS_CLIENT_CERT_PROXIES: '" + a
                        + "' is not an IP address (name each proxy by its address, comma-separated)");
            }
            try {
                addresses.add(InetAddress.getByName(a));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("ORDERHUB_TLS_CLIENT_CERT_PROXIES: '" + a + "' is not an IP address", e);
            }
        }
        if (header == null || header.isBlank()) {
            throw new IllegalStateException("ORDERHUB_TLS_CLIENT_CERT_HEADER must name a header");
        }
        this.proxies = Set.copyOf(addresses);
        this.header = header.trim();
    }

    /** True when a proxy is configured. */
    public boolean enabled() {
        return !proxies.isEmpty();
    }

    public String header() {
        return header;
    }

    /** True when the connection comes from a configured proxy. */
    public boolean trusts(String remoteAddress) {
        if (proxies.isEmpty() || remoteAddress == null || remoteAddress.isBlank()) {
            return false;
        }
        String a = remoteAddress.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (!a.matches("[0-9.]+|[0-9A-Fa-f:.%a-z]*:[0-9A-Fa-f:.%a-z]*")) {
            return false; // never a name lookup
        }
        try {
            return proxies.contains(InetAddress.getByName(a));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The certificate the header names, when the connection is a configured proxy's; else empty. */
    public Optional<X509Certificate> certificate(String remoteAddress, String headerValue) {
        if (headerValue == null || headerValue.isBlank() || !trusts(remoteAddress)) {
            return Optional.empty();
        }
        Optional<X509Certificate> certificate = parse(headerValue);
        if (certificate.isEmpty()) {
            log.warn("the proxy {} sent a {} header that holds no readable certificate: the request has no client "
                    + "certificate", remoteAddress, header);
        }
        return certificate;
    }

    /** The certificate of a header value in one of the forms above; empty when it holds none. */
    static Optional<X509Certificate> parse(String value) {
        String v = value.trim();
        Matcher xfcc = XFCC_CERT.matcher(v);
        if (xfcc.find()) {
            v = xfcc.group(1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
        }
        if (v.contains("%")) {
            try {
                v = URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String base64 = v;
        if (v.contains("-----BEGIN")) {
            // "+" for the space where a proxy's URL encoding wrote one (kept as "+" above: base64 has "+" too)
            Matcher pem = PEM.matcher(v);
            if (!pem.find()) {
                return Optional.empty();
            }
            base64 = pem.group(1);
        }
        base64 = base64.replaceAll("\\s+", "");
        if (base64.isEmpty() || !base64.matches("[A-Za-z0-9+/=]+")) {
            return Optional.empty();
        }
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der)));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "proxies " + proxies + ", header " + header.toLowerCase(Locale.ROOT);
    }
}
