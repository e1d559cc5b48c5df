package io.orderhub.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * A mail server of the test's own (GreenMail, real SMTP and IMAP on free ports), outside the hub process:
 * the orders mailbox the hub polls, and the mailboxes its answers and notifications go to. Unlike the
 * hub's sandbox mail server it survives a kill of the hub, as a channel's mail server does.
 */
final class TestMailServer implements AutoCloseable {

    static final String ORDERS = "orders@orderhub.local";
    static final String ORDERS_PASSWORD = "orders";

    private final GreenMail greenMail;

    TestMailServer() {
        greenMail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        greenMail.start();
        greenMail.setUser(ORDERS, ORDERS, ORDERS_PASSWORD);
    }

    int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    int imapPort() {
        return greenMail.getImap().getPort();
    }

    /** The hub's mail settings for this server: intake from the orders mailbox, answers and notifications by its SMTP. */
    Map<String, String> hubEnvironment() {
        return Map.of("ORDERHUB_SANDBOX_MAIL_ENABLED", "false", "ORDERHUB_MAIL_ENABLED", "true",
                "ORDERHUB_MAIL_IMAP_HOST", "127.0.0.1", "ORDERHUB_MAIL_IMAP_PORT", Integer.toString(imapPort()),
                "ORDERHUB_MAIL_SMTP_HOST", "127.0.0.1", "ORDERHUB_MAIL_SMTP_PORT", Integer.toString(smtpPort()),
                "ORDERHUB_MAIL_USERNAME", ORDERS, "ORDERHUB_MAIL_PASSWORD", ORDERS_PASSWORD);
    }

    /** A mail session whose SMTP is this server's: how a channel's mail client sends to the orders mailbox. */
    jakarta.mail.Session session() {
        java.util.Properties p = new java.util.Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(smtpPort()));
        return jakarta.mail.Session.getInstance(p);
    }

    /** Every mail the server took for {@code address} (copies included), oldest first. */
    List<MimeMessage> mailsTo(String address) throws MessagingException {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            Address[] to = m.getRecipients(jakarta.mail.Message.RecipientType.TO);
            if (to != null && to.length > 0 && to[0] instanceof InternetAddress a && address.equalsIgnoreCase(a.getAddress())) {
                out.add(m);
            }
        }
        return out;
    }

    /** Every mail the server took, for any address. */
    List<MimeMessage> allMails() {
        return List.of(greenMail.getReceivedMessages());
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
