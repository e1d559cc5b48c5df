package io.orderhub.notify.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The notification route's SMTP sender keeps its connection between mails, replaces one the server dropped, and
 * closes one left idle.
 */
class NotificationMailSenderTest {

    private GreenMail server;
    private int port;

    @BeforeEach
    void startServer() {
        server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        server.start();
        port = server.getSmtp().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    private NotificationMailSender sender(long idleCloseMs) {
        MockEnvironment env = new MockEnvironment()
                .withProperty("orderhub.notify.smtp.protocol", "smtp")
                .withProperty("orderhub.notify.smtp.host", "127.0.0.1")
                .withProperty("orderhub.notify.smtp.port", Integer.toString(port))
                .withProperty("orderhub.notify.smtp.timeout-ms", "5000");
        return new NotificationMailSender(env, idleCloseMs, 4);
    }

    private static MimeMessage mail(String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new java.util.Properties()));
        m.setFrom(new InternetAddress("notifications@orderhub.local"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("customer@example.com"));
        m.setSubject(subject);
        m.setText("hello");
        return m;
    }

    @Test
    void mailsOneAfterTheOtherGoOverOneKeptConnection() throws Exception {
        NotificationMailSender sender = sender(60_000);
        try {
            for (int i = 0; i < 3; i++) {
                sender.send(mail("mail " + i));
            }
            assertThat(server.getReceivedMessages()).hasSize(3);
            assertThat(sender.idleConnections()).as("one connection kept, not one per mail").isEqualTo(1);
        } finally {
            sender.destroy();
        }
    }

    @Test
    void aConnectionTheServerDroppedIsReplaced() throws Exception {
        NotificationMailSender sender = sender(60_000);
        try {
            sender.send(mail("before the restart"));
            server.stop();
            server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();

            sender.send(mail("after the restart"));

            assertThat(server.getReceivedMessages()).extracting(MimeMessage::getSubject).containsExactly("after the restart");
        } finally {
            sender.destroy();
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        NotificationMailSender sender = sender(200);
        try {
            sender.send(mail("one"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sender.idleConnections() == 0);
            sender.send(mail("two"));
            assertThat(server.getReceivedMessages()).hasSize(2);
        } finally {
            sender.destroy();
        }
    }
}
