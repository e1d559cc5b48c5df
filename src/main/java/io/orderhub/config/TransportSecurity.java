package io.orderhub.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where {@code orderhub.tls.required} is true (the {@code prod} profile) the hub refuses to start unless every
 * connection it serves or opens for personal data is encrypted:
 * <ul>
 * <li>its own API: HTTPS with Spring Boot's {@code server.ssl.*} (a key store or PEM bundle), unless
 *     {@code ORDERHUB_TLS_TERMINATED_UPSTREAM=true} says a proxy in front terminates TLS;</li>
 * <li>PostgreSQL: {@code sslmode=verify-full} in {@code ORDERHUB_DB_URL} (certificate and host name checked),
 *     unless {@code ORDERHUB_TLS_DB_ALLOW_PLAIN=true};</li>
 * <li>the order mailbox, when mail intake is on: {@code imaps}, unless {@code ORDERHUB_TLS_MAIL_ALLOW_PLAIN=true}.</li>
 * </ul>
 * The broker (BrokerTls, {@code ORDERHUB_BROKER_ALLOW_PLAIN}) and SMTP ({@code ORDERHUB_NOTIFY_SMTP_STARTTLS}) have
 * their own checks. Each opt-out says, in the environment, that a trusted network protects that hop.
 */
@Component
public class TransportSecurity implements InitializingBean {

    private final Environment env;

    public TransportSecurity(Environment env) {
        this.env = env;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> problems = problems(env);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("TLS is required (prod): " + String.join("; ", problems));
        }
    }

    /** What is not encrypted though it must be; empty when TLS is not required or everything is. */
    static List<String> problems(Environment env) {
        List<String> problems = new ArrayList<>();
        if (!env.getProperty("orderhub.tls.required", Boolean.class, false)) {
            return problems;
        }
        boolean https = env.getProperty("server.ssl.enabled", Boolean.class, true)
                && (has(env, "server.ssl.bundle") || has(env, "server.ssl.key-store") || has(env, "server.ssl.certificate"));
        if (!https && !env.getProperty("orderhub.tls.terminated-upstream", Boolean.class, false)) {
            problems.add("the API speaks plain HTTP: set server.ssl.* (SERVER_SSL_KEY_STORE, SERVER_SSL_KEY_STORE_PASSWORD, "
                    + "SERVER_SSL_KEY_STORE_TYPE=PKCS12, or SERVER_SSL_CERTIFICATE and SERVER_SSL_CERTIFICATE_PRIVATE_KEY), "
                    + "or ORDERHUB_TLS_TERMINATED_UPSTREAM=true when a proxy terminates TLS");
        }
        String url = env.getProperty("spring.datasource.url", "");
        if (url.startsWith("jdbc:postgresql:") && !url.toLowerCase(Locale.ROOT).contains("sslmode=verify-full")
                && !env.getProperty("orderhub.tls.db-allow-plain", Boolean.class, false)) {
            problems.add("ORDERHUB_DB_URL must carry sslmode=verify-full (with sslrootcert=...), "
                    + "or ORDERHUB_TLS_DB_ALLOW_PLAIN=true on a trusted network");
        }
        if (env.getProperty("orderhub.mail.enabled", Boolean.class, false)
                && !"imaps".equalsIgnoreCase(env.getProperty("orderhub.mail.imap.protocol", "imap"))
                && !env.getProperty("orderhub.tls.mail-allow-plain", Boolean.class, false)) {
            problems.add("the order mailbox is read over plain IMAP: ORDERHUB_MAIL_IMAP_PROTOCOL=imaps (port 993), "
                    + "or ORDERHUB_TLS_MAIL_ALLOW_PLAIN=true on a trusted network");
        }
        return problems;
    }

    private static boolean has(Environment env, String key) {
        String v = env.getProperty(key);
        return v != null && !v.isBlank();
    }
}
