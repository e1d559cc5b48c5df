package io.orderhub.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.orderhub.support.HubTestSupport;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The sandbox mailbox of the README's tour: a customer's address logs in over IMAP (user name and password = the
 * address) before any mail reached it, sees an empty inbox instead of "invalid login", and later sees its mail there.
 */
class SandboxMailboxTest extends HubTestSupport {

    @Autowired
    SandboxMailServer mailServer;

    @Test
    void anAddressLogsInBeforeItsFirstMailAndFindsItLater() throws Exception {
        String address = "c" + UUID.randomUUID().toString().replace("-", "") + "@example.com";
        assertThat(subjects(address)).isEmpty();

        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(mailServer.smtpPort()));
        Session session = Session.getInstance(props);
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress("shop@webshop.example"));
        mail.setRecipient(Message.RecipientType.TO, new InternetAddress(address));
        mail.setSubject("Your order is confirmed");
        mail.setText("Hello");
        Transport.send(mail);

        await().atMost(Duration.ofSeconds(20)).until(() -> subjects(address), s -> s.equals(List.of("Your order is confirmed")));
    }

    private List<String> subjects(String address) throws Exception {
        return new io.orderhub.support.SandboxMailbox(mailServer).subjects(address);
    }
}
