package io.orderhub.notify.camel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The notification route's SMTP sender (routes/notifications.camel.yaml, {@code javaMailSender:
 * "#notificationMailSender"}): keeps its SMTP connections open between mails instead of camel-mail's connect, log in,
 * send and quit for every mail. A sending thread takes an idle connection (the most recently used) or opens one, and
 * gives it back after the server took the mail; at most one idle connection per sending thread is kept
 * ({@code orderhub.notify.consumers} + the senders' route), and connections idle for {@code
 * orderhub.notify.smtp.idle-close-ms} are closed (no timer runs while none is open).
 * <p>
 * A connection that failed is closed, never given back. A kept connection idle for a while is checked (NOOP) before
 * use; when a kept connection fails for any reason but the server refusing the mail ({@link SendFailedException}),
 * the mail is sent once more over a new connection, as camel-mail's own retry would. What the route sees is
 * unchanged: the server took the mail, or a {@link MessagingException} (retried, then a dead letter; the notification
 * ledger records each mail once).
 * <p>
 * Configured from {@code orderhub.notify.smtp.*}, as the route's endpoint was: protocol (smtp, smtps), host, port,
 * user and password (login when a user is set), STARTTLS (required when on) and the connect, read and write timeouts.
 */
@Component("notificationMailSender")
public class NotificationMailSender extends DefaultJavaMailSender implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(NotificationMailSender.class);
    /** A connection idle longer than this is checked with a NOOP before it carries a mail. */
    private static final long CHECK_AFTER_IDLE_MS = 2_000;

    private final Deque<Kept> idle = new ArrayDeque<>();
    private final int maxIdle;
    private final long idleCloseMs;
    private final ScheduledThreadPoolExecutor closer;
    private final Environment env;
    private boolean sweepScheduled;
    private boolean closed;
    private volatile boolean configured;

    public NotificationMailSender(Environment env,
                                  @Value("${orderhub.notify.smtp.idle-close-ms}") long idleCloseMs,
                                  @Value("${orderhub.notify.consumers}") int consumers) {
        this.env = env;
        this.maxIdle = Math.max(1, consumers + 1);
        this.idleCloseMs = Math.max(1, idleCloseMs);
        this.closer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "orderhub-smtp-idle-close");
            t.setDaemon(true);
            return t;
        });
        closer.setKeepAliveTime(1, TimeUnit.MINUTES);
        closer.allowCoreThreadTimeOut(true);
        closer.setRemoveOnCancelPolicy(true);
    }

    /**
     * The server and session from orderhub.notify.smtp.*, read at the first mail: the sandbox mail server publishes
     * the ports it took (port 0 in tests) once it has started.
     */
    private synchronized void configure() {
        if (configured) {
            return;
        }
        String protocol = env.getRequiredProperty("orderhub.notify.smtp.protocol");
        String host = env.getRequiredProperty("orderhub.notify.smtp.host");
        int port = env.getRequiredProperty("orderhub.notify.smtp.port", Integer.class);
        String username = env.getProperty("orderhub.notify.smtp.username", "");
        boolean starttls = env.getProperty("orderhub.notify.smtp.starttls", Boolean.class, false);
        long timeoutMs = env.getProperty("orderhub.notify.smtp.timeout-ms", Long.class, 10_000L);
        setProtocol(protocol);
        setHost(host);
        setPort(port);
        boolean login = !username.isBlank();
        setUsername(login ? username : null);
        setPassword(login ? env.getProperty("orderhub.notify.smtp.password", "") : null);
        Properties p = new Properties();
        String prefix = "mail." + protocol + ".";
        p.setProperty("mail.transport.protocol", protocol);
        p.setProperty(prefix + "host", host);
        p.setProperty(prefix + "port", Integer.toString(port));
        p.setProperty(prefix + "auth", Boolean.toString(login));
        p.setProperty(prefix + "connectiontimeout", Long.toString(timeoutMs));
        p.setProperty(prefix + "timeout", Long.toString(timeoutMs));
        p.setProperty(prefix + "writetimeout", Long.toString(timeoutMs));
        p.setProperty(prefix + "starttls.enable", Boolean.toString(starttls));
        p.setProperty(prefix + "starttls.required", Boolean.toString(starttls));
        setJavaMailProperties(p);
        setSession(null);
        getSession();
        configured = true;
    }

    @Override
    public void send(MimeMessage mail) throws MessagingException {
        if (!configured) {
            configure();
        }
        if (mail.getSentDate() == null) {
            mail.setSentDate(new Date());
        }
        String messageId = mail.getMessageID();
        mail.saveChanges();
        if (messageId != null) {
            // the stable Message-ID of the notification stays (as camel-mail's own sender keeps it)
            mail.setHeader("Message-ID", messageId);
        }
        Kept kept = takeIdle();
        if (kept != null) {
            try {
                kept.transport.sendMessage(mail, mail.getAllRecipients());
                giveBack(kept);
                return;
            } catch (SendFailedException e) {
                // the server refused the mail (or a recipient): not the connection's fault, the route decides
                giveBackOrClose(kept);
                throw e;
            } catch (MessagingException | RuntimeException e) {
                // the kept connection broke (server restarted, timed it out): once more over a new one
                log.debug("kept SMTP connection to {}:{} failed, sending over a new one: {}", getHost(), getPort(), e.toString());
                close(kept);
            }
        }
        Kept fresh = connect();
        try {
            fresh.transport.sendMessage(mail, mail.getAllRecipients());
        } catch (SendFailedException e) {
            giveBackOrClose(fresh);
            throw e;
        } catch (MessagingException | RuntimeException e) {
            close(fresh);
            throw e;
        }
        giveBack(fresh);
    }

    /** Open connections kept between mails (for tests and metrics). */
    public synchronized int idleConnections() {
        return idle.size();
    }

    @Override
    public void destroy() {
        List<Kept> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(this::close);
        closer.shutdownNow();
    }

    private Kept takeIdle() {
        while (true) {
            Kept kept;
            synchronized (this) {
                kept = idle.pollFirst();
            }
            if (kept == null) {
                return null;
            }
            long idleFor = System.currentTimeMillis() - kept.lastUsed;
            if (idleFor >= idleCloseMs) {
                close(kept);
            } else if (idleFor < CHECK_AFTER_IDLE_MS || kept.transport.isConnected()) {
                return kept;
            } else {
                close(kept);
            }
        }
    }

    private Kept connect() throws MessagingException {
        Transport transport = getTransport(getSession());
        log.debug("connecting to {}:{}", getHost(), getPort());
        var auth = getPasswordAuthentication();
        transport.connect(getHost(), getPort(), auth.getUserName(), auth.getPassword());
        return new Kept(transport);
    }

    private void giveBackOrClose(Kept kept) {
        if (kept.transport.isConnected()) {
            giveBack(kept);
        } else {
            close(kept);
        }
    }

    private void giveBack(Kept kept) {
        kept.lastUsed = System.currentTimeMillis();
        Kept surplus = null;
        synchronized (this) {
            if (closed) {
                surplus = kept;
            } else {
                idle.addFirst(kept);
                if (idle.size() > maxIdle) {
                    surplus = idle.pollLast();
                }
                if (!sweepScheduled) {
                    sweepScheduled = true;
                    closer.schedule(this::sweep, idleCloseMs, TimeUnit.MILLISECONDS);
                }
            }
        }
        if (surplus != null) {
            close(surplus);
        }
    }

    /** Closes the connections idle for idle-close-ms; runs again while some stay open. */
    private void sweep() {
        List<Kept> expired = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (this) {
            sweepScheduled = false;
            long next = Long.MAX_VALUE;
            for (Iterator<Kept> it = idle.iterator(); it.hasNext(); ) {
                Kept k = it.next();
                long left = k.lastUsed + idleCloseMs - now;
                if (left <= 0) {
                    it.remove();
                    expired.add(k);
                } else {
                    next = Math.min(next, left);
                }
            }
            if (next != Long.MAX_VALUE && !closed) {
                sweepScheduled = true;
                closer.schedule(this::sweep, next, TimeUnit.MILLISECONDS);
            }
        }
        expired.forEach(this::close);
    }

    private void close(Kept kept) {
        try {
            kept.transport.close();
        } catch (MessagingException | RuntimeException e) {
            log.debug("closing an SMTP connection to {}:{}: {}", getHost(), getPort(), e.toString());
        }
    }

    private static final class Kept {
        final Transport transport;
        volatile long lastUsed = System.currentTimeMillis();

        Kept(Transport transport) {
            this.transport = transport;
        }
    }
}
