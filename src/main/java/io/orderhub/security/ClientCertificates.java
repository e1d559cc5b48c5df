package io.orderhub.security;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.orderhub.channel.CertificateBinding;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * TLS client certificates (mTLS) bound to B2B channels ({@code clientCertificates} in {@code channels.yaml}): a request
 * whose verified client certificate is bound to a channel authenticates as that channel, exactly like the channel's
 * API key. The hub asks for a certificate only where {@code server.ssl.client-auth} is {@code want} (or {@code need})
 * and trusts those its trust store ({@code server.ssl.trust-store}) vouches for, or takes the certificate a configured
 * TLS-terminating proxy verified ({@link ForwardedClientCertificates}); with a channel binding a certificate and the
 * hub neither asking for one nor having such a proxy, the start is refused (the binding would silently never apply).
 */
@Component
public class ClientCertificates implements InitializingBean {

    private final ChannelRegistry channels;
    private final Environment env;
    private final ForwardedClientCertificates forwarded;

    public ClientCertificates(ChannelRegistry channels, Environment env, ForwardedClientCertificates forwarded) {
        this.channels = channels;
        this.env = env;
        this.forwarded = forwarded;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> binding = channels.all().stream().filter(c -> !c.clientCertificates().isEmpty()).map(Channel::id).toList();
        String clientAuth = env.getProperty("server.ssl.client-auth", "none").trim().toLowerCase(Locale.ROOT);
        boolean asks = env.getProperty("server.ssl.enabled", Boolean.class, true)
                && (has("server.ssl.bundle") || has("server.ssl.key-store") || has("server.ssl.certificate"))
                && (clientAuth.equals("want") || clientAuth.equals("need"));
        if (!binding.isEmpty() && !asks && !forwarded.enabled()) {
            throw new IllegalStateException("channels " + binding + " bind client certificates in channels.yaml, but the hub "
                    + "does not ask for one: serve HTTPS (server.ssl.*) with SERVER_SSL_CLIENT_AUTH=want and a trust store "
                    + "(SERVER_SSL_TRUST_STORE) holding the partners' CA, or name the TLS-terminating proxy that verifies "
                    + "them (ORDERHUB_TLS_CLIENT_CERT_PROXIES)");
        }
    }

    /** The channel the certificate chain's leaf (the client's own certificate) is bound to, if any. */
    public Optional<String> channelOf(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        X509Certificate leaf = chain[0];
        for (Channel c : channels.all()) {
            for (String entry : c.clientCertificates()) {
                if (CertificateBinding.parse(entry).matches(leaf)) {
                    return Optional.of(c.id());
                }
            }
        }
        return Optional.empty();
    }

    private boolean has(String key) {
        String v = env.getProperty(key);
        return v != null && !v.isBlank();
    }
}
