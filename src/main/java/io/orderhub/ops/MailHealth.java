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
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code mail} in {@code /actuator/health} while e-mail intake is on: connects to the IMAP and SMTP
 * servers (TLS for imaps/smtps) and reads their greeting ({@code * OK}, {@code 220}); nothing is sent.
 * Unreachable mail is OUT_OF_SERVICE, not DOWN: orders still come by REST and JMS, and mails wait on
 * the server until it is back.
 */
@Component("mailHealthIndicator")
@ConditionalOnProperty(name = "orderhub.mail.enabled", havingValue = "true")
public class MailHealth implements HealthIndicator {

    private static final int TIMEOUT_MS = 2000;

    private final Environment env;

    public MailHealth(Environment env) {
        this.env = env;
    }

    @Override
    public Health health() {
        String imap = greet("imap", "* OK");
        String smtp = greet("smtp", "220");
        Health.Builder h = imap == null && smtp == null ? Health.up() : Health.outOfService();
        return h.withDetail("imap", imap == null ? "reachable" : imap)
                .withDetail("smtp", smtp == null ? "reachable" : smtp).build();
    }

    /** Null when the server greeted as expected, else what went wrong. */
    private String greet(String which, String expected) {
        String protocol = env.getProperty("orderhub.mail." + which + ".protocol", which);
        String host = env.getProperty("orderhub.mail." + which + ".host");
        int port = env.getProperty("orderhub.mail." + which + ".port", Integer.class, -1);
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
