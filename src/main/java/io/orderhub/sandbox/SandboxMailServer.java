package io.orderhub.sandbox;

import java.util.HashMap;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The sandbox mail server of the embedded default (DESIGN §8): GreenMail with SMTP on
 * ORDERHUB_SANDBOX_MAIL_SMTP_PORT and IMAP on ORDERHUB_SANDBOX_MAIL_IMAP_PORT. The orders mailbox is
 * {@code orders@orderhub.local} / {@code orders}; any other address gets a mailbox when mail arrives
 * for it, with the address as login and password (customers, senders reading the hub's answers).
 * Port 0 picks free ports (tests); the ports taken are then published as the configured ones.
 */
@Component
@ConditionalOnProperty(name = "orderhub.sandbox.mail.enabled", havingValue = "true")
public class SandboxMailServer implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxMailServer.class);

    private final GreenMail greenMail;
    /** The SMTP service in use: GreenMail's own, or the one started again after {@link #stopSmtp()}. */
    private volatile com.icegreen.greenmail.smtp.SmtpServer smtp;

    public SandboxMailServer(ConfigurableEnvironment env, SandboxProperties sandbox) {
        String host = sandbox.mail().host();
        int smtpPort = sandbox.mail().smtpPort();
        int imapPort = sandbox.mail().imapPort();
        String ordersAddress = sandbox.mail().ordersAddress();
        String ordersPassword = sandbox.mail().ordersPassword();
        ServerSetup smtp = setup(smtpPort, host, ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = setup(imapPort, host, ServerSetup.PROTOCOL_IMAP);
        // any address may log in before its first mail (README: login and password = the address); an unknown login
        // gets an empty mailbox instead of "invalid login". A sandbox only: the real mail server is the operator's.
        greenMail = new GreenMail(new ServerSetup[] {smtp, imap}).withConfiguration(
                com.icegreen.greenmail.configuration.GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        this.smtp = greenMail.getSmtp();
        greenMail.setUser(ordersAddress, ordersAddress, ordersPassword);
        Map<String, Object> actual = new HashMap<>();
        actual.put("orderhub.sandbox.mail.smtp-port", greenMail.getSmtp().getPort());
        actual.put("orderhub.sandbox.mail.imap-port", greenMail.getImap().getPort());
        env.getPropertySources().addFirst(new MapPropertySource("orderhubSandboxMail", actual));
        LOG.info("Sandbox mail server: SMTP {}:{}, IMAP {}:{}, orders mailbox {}", host, greenMail.getSmtp().getPort(),
                host, greenMail.getImap().getPort(), ordersAddress);
    }

    private static ServerSetup setup(int port, String host, String protocol) {
        ServerSetup setup = new ServerSetup(Math.max(port, 0), host, protocol);
        return port <= 0 ? setup.dynamicPort() : setup;
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    /**
     * An SMTP outage on purpose: the SMTP port refuses connections until {@link #startSmtp()}; IMAP and
     * the mailboxes stay. For fault tests and demonstrations of the hub's mail retries.
     */
    public synchronized void stopSmtp() {
        if (smtp.isRunning()) {
            smtp.stopService();
            LOG.warn("Sandbox mail server: SMTP stopped (outage on purpose)");
        }
    }

    /** Ends an outage: SMTP listens again on the same port and delivers into the same mailboxes. */
    public synchronized void startSmtp() {
        if (smtp.isRunning()) {
            return;
        }
        ServerSetup setup = greenMail.getSmtp().getServerSetup();
        smtp = new com.icegreen.greenmail.smtp.SmtpServer(new ServerSetup(greenMail.getSmtp().getPort(), setup.getBindAddress(),
                ServerSetup.PROTOCOL_SMTP), greenMail.getManagers());
        smtp.startService();
        try {
            if (!smtp.waitTillRunning(setup.getServerStartupTimeout())) {
                throw new IllegalStateException("the sandbox SMTP service did not start again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LOG.info("Sandbox mail server: SMTP listening again on port {}", smtp.getPort());
    }

    public boolean smtpRunning() {
        return smtp.isRunning();
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    public GreenMail greenMail() {
        return greenMail;
    }

    @Override
    public void destroy() {
        if (smtp != greenMail.getSmtp()) {
            smtp.stopService();
        }
        greenMail.stop();
    }
}
