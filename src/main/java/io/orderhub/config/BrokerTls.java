package io.orderhub.config;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.springframework.util.StringUtils;

/**
 * The embedded broker's TLS acceptor ({@code orderhub.broker.tls.*}, docs/transports.md "TLS"): the same protocols
 * (CORE, AMQP, OpenWire, STOMP) and the same logins as the plain acceptor, over TLS with the key store's key pair;
 * with {@code need-client-auth} a client must also show a certificate the trust store trusts (mutual TLS).
 * {@code port} -1: no TLS acceptor.
 *
 * <p>{@link #refusePlain} is the rule for the plain acceptor: on an interface other hosts can reach it is refused
 * where {@code orderhub.broker.allow-plain} is false (the {@code prod} profile), as demo secrets are, unless an
 * operator says a trusted network or a TLS-terminating proxy protects it.
 */
public record BrokerTls(String host, int port, String keyStorePath, String keyStorePassword, String keyStoreType,
                        String trustStorePath, String trustStorePassword, String trustStoreType,
                        boolean needClientAuth) {

    public static final String PROTOCOLS = "CORE,AMQP,OPENWIRE,STOMP";

    public boolean enabled() {
        return port >= 0;
    }

    /**
     * The acceptor's transport configuration; refused with the setting to fix when the key store is missing, or
     * when client certificates are required without a trust store to check them by.
     */
    public TransportConfiguration acceptor(String name) {
        if (!StringUtils.hasText(keyStorePath)) {
            throw new IllegalStateException("the broker's TLS acceptor (orderhub.broker.tls.port / ORDERHUB_BROKER_TLS_PORT "
                    + port + ") needs a key store: set orderhub.broker.tls.keystore (ORDERHUB_BROKER_TLS_KEYSTORE)");
        }
        requireReadable("orderhub.broker.tls.keystore (ORDERHUB_BROKER_TLS_KEYSTORE)", keyStorePath);
        if (needClientAuth && !StringUtils.hasText(trustStorePath)) {
            throw new IllegalStateException("orderhub.broker.tls.need-client-auth (ORDERHUB_BROKER_TLS_NEED_CLIENT_AUTH) "
                    + "needs a trust store for the clients' certificates: set orderhub.broker.tls.truststore "
                    + "(ORDERHUB_BROKER_TLS_TRUSTSTORE)");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, host);
        params.put(TransportConstants.PORT_PROP_NAME, port);
        params.put(TransportConstants.PROTOCOLS_PROP_NAME, PROTOCOLS);
        params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
        params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, keyStorePath);
        params.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, typeOr(keyStoreType));
        if (keyStorePassword != null && !keyStorePassword.isEmpty()) {
            params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, keyStorePassword);
        }
        if (StringUtils.hasText(trustStorePath)) {
            requireReadable("orderhub.broker.tls.truststore (ORDERHUB_BROKER_TLS_TRUSTSTORE)", trustStorePath);
            params.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, trustStorePath);
            params.put(TransportConstants.TRUSTSTORE_TYPE_PROP_NAME, typeOr(trustStoreType));
            if (trustStorePassword != null && !trustStorePassword.isEmpty()) {
                params.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, trustStorePassword);
            }
        }
        params.put(TransportConstants.NEED_CLIENT_AUTH_PROP_NAME, needClientAuth);
        return new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, name);
    }

    /**
     * Refuses the plain acceptor on {@code host} (port {@code port}, -1: none) when other hosts could reach it and
     * {@code allowPlain} is false: logins and orders would cross the network in clear text.
     */
    public static void refusePlain(String host, int port, boolean allowPlain) {
        if (port < 0 || allowPlain || isLoopback(host)) {
            return;
        }
        throw new IllegalStateException("the broker's plain (non-TLS) acceptor would listen on " + host + ":" + port
                + ", where logins and orders cross the network in clear text; orderhub.broker.allow-plain "
                + "(ORDERHUB_BROKER_ALLOW_PLAIN) is false in this profile. Keep it on 127.0.0.1 (ORDERHUB_BROKER_HOST) or "
                + "turn it off (ORDERHUB_BROKER_PORT=-1) and give clients the TLS acceptor (ORDERHUB_BROKER_TLS_PORT, "
                + "ORDERHUB_BROKER_TLS_HOST), or set ORDERHUB_BROKER_ALLOW_PLAIN=true where a trusted network or a "
                + "TLS-terminating proxy protects it");
    }

    static boolean isLoopback(String host) {
        if (!StringUtils.hasText(host)) {
            return false;
        }
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    private static String typeOr(String type) {
        return StringUtils.hasText(type) ? type.trim() : "PKCS12";
    }

    private static void requireReadable(String setting, String path) {
        if (!Files.isReadable(Path.of(path))) {
            throw new IllegalStateException(setting + ": cannot read " + path);
        }
    }

    @Override
    public String toString() {
        return "BrokerTls[host=" + host + ", port=" + port + ", keyStore=" + keyStorePath + ", trustStore=" + trustStorePath
                + ", needClientAuth=" + needClientAuth + "]";
    }
}
