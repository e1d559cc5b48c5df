package io.orderhub.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocketFactory;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code mail} in {@code /actuator/health}: connects to the IMAP server (while e-mail intake is on) and
 * the SMTP server (intake answers or customer notifications), TLS for imaps/smtps, and reads their
 * greeting ({@code * OK}, {@code 220}); nothing is sent. With both off it is UP with {@code mail: off}
 * (it always exists, so the {@code partners} health group is valid in every configuration).
 * Unreachable mail is OUT_OF_SERVICE, not DOWN: orders still come by REST and JMS, and mails wait on
 * the server until it is back.
 */
@Component("mailHealthIndicator")
class MailHealth implements HealthIndicator {

    private static final int TIMEOUT_MS = 2000;

    private final Environment env;

    public MailHealth(Environment env) {
        this.env = env;
    }

    @Override
    public Health health() {
        boolean intake = env.getProperty("orderhub.mail.enabled", Boolean.class, false);
        boolean notify = env.getProperty("orderhub.notify.enabled", Boolean.class, false);
        if (!intake && !notify) {
            return Health.up().withDetail("mail", "off").build();
        }
        String imap = intake ? greet("orderhub.mail.imap", "imap", "* OK") : null;
        String smtp = greet(notify ? "orderhub.notify.smtp" : "orderhub.mail.smtp", "smtp", "220");
        Health.Builder h = imap == null && smtp == null ? Health.up() : Health.outOfService();
        return h.withDetail("imap", !intake ? "intake off" : imap == null ? "reachable" : imap)
                .withDetail("smtp", smtp == null ? "reachable" : smtp).build();
    }

    /** Null when the server greeted as expected, else what went wrong. */
    private String greet(String prefix, String which, String expected) {
        String protocol = env.getProperty(prefix + ".protocol", which);
        String host = env.getProperty(prefix + ".host");
        int port = env.getProperty(prefix + ".port", Integer.class, -1);
        if (host == null || port <= 0) {
            return "not configured";
        }
        try (Socket socket = protocol.endsWith("s") ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String greeting = in.readLine();
            if (greeting == null || !greeting.startsWith(expected)) {
                return "unexpected greeting from " + protocol + " server";
            }
            return null;
        } catch (IOException e) {
            return protocol + " server not reachable: " + e.getClass().getSimpleName();
        }
    }
}
