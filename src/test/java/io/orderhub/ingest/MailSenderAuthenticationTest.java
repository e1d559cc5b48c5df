package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.sandbox.SandboxMailServer;
import io.orderhub.support.HubTestSupport;
import io.orderhub.support.SandboxMailbox;
import jakarta.mail.Message;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 25, findings 2 and 7: e-mail orders are taken only from authenticated senders, answers go to the
 * authenticated From and never to a Reply-To, and unknown or unauthenticated senders get no mail back.
 * Channel b2b has {@code mailAuth: authentication-results}; the suite trusts the authserv-id
 * {@code mx.orderhub.test} (application-test.yaml), standing in for the receiving MTA. Mails go by SMTP to
 * the sandbox mail server (GreenMail), answers are read over IMAP from the addresses' own mailboxes.
 */
class MailSenderAuthenticationTest extends HubTestSupport {

    static final String ORDERS = "orders@orderhub.local";
    static final String TRUSTED = "mx.orderhub.test";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    SandboxMailServer mailServer;

    @Test
    void aSpoofedB2bSenderWithAnAttackersReplyToGetsNoOrderAndNoMail() throws Exception {
        String from = "purchasing-" + uuid() + "@b2b.example";
        String attacker = "attacker-" + uuid() + "@evil.example";
        ObjectNode order = invoiceOrder();
        String messageId = send(from, attacker, "Urgent PO", json.writeValueAsString(order));

        String receiptId = awaitDone(messageId);
        assertNoOrder(order);
        JsonNode receipt = receipt(receiptId);
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.at("/errors/0/field").asText()).isEqualTo("from");
        assertThat(receipt.at("/errors/0/message").asText())
                .contains(from, "not authenticated", "no Authentication-Results header of a trusted mail server",
                        "authentication-results", "b2b");
        // stored without a channel: the From is not proven to be b2b's
        assertThat(jdbc.queryForObject("select coalesce(channel, '-') || ' ' || via || ' ' || content_type from receipts"
                + " where receipt_id = ?", String.class, receiptId)).isEqualTo("- email message/rfc822");
        assertThat(mailbox(attacker)).isEmpty();
        assertThat(mailbox(from)).isEmpty();
        // shown in ops with the rejected receipts
        JsonNode rejected = get("/api/ops/receipts?status=REJECTED&newerThan=PT10M&limit=100", OPS_KEY).body();
        assertThat(rejected.toString()).contains(receiptId);
    }

    @Test
    void aFailedResultOfTheTrustedMtaIsRejectedNamingWhatItReported() throws Exception {
        String from = "purchasing-" + uuid() + "@b2b.example";
        String attacker = "attacker-" + uuid() + "@evil.example";
        ObjectNode order = invoiceOrder();
        String messageId = send(from, attacker, "PO", json.writeValueAsString(order),
                TRUSTED + "; dkim=fail (signature did not verify) header.d=b2b.example;"
                        + " spf=fail smtp.mailfrom=attacker@evil.example; dmarc=fail (p=reject) header.from=b2b.example");

        String receiptId = awaitDone(messageId);
        assertNoOrder(order);
        assertThat(receipt(receiptId).at("/errors/0/message").asText())
                .contains(TRUSTED + " reports dkim=fail, spf=fail, dmarc=fail", "none is a pass aligned to b2b.example");
        assertThat(mailbox(attacker)).isEmpty();
        assertThat(mailbox(from)).isEmpty();
    }

    @Test
    void anAuthenticationResultsHeaderOfAnUntrustedHostIsIgnored() throws Exception {
        String from = "purchasing-" + uuid() + "@b2b.example";
        ObjectNode order = invoiceOrder();
        // the sender writes its own "pass", as an upstream host or the attacker's own server would
        String messageId = send(from, null, "PO", json.writeValueAsString(order),
                "mx.evil.example; dkim=pass header.d=b2b.example; spf=pass smtp.mailfrom=b2b.example;"
                        + " dmarc=pass header.from=b2b.example");

        String receiptId = awaitDone(messageId);
        assertNoOrder(order);
        assertThat(receipt(receiptId).at("/errors/0/message").asText())
                .contains("no Authentication-Results header of a trusted mail server", "1 header of other hosts ignored");
        assertThat(mailbox(from)).isEmpty();
    }

    @Test
    void aPassForAnotherDomainDoesNotAuthenticateTheFrom() throws Exception {
        String from = "purchasing-" + uuid() + "@b2b.example";
        ObjectNode order = invoiceOrder();
        // a valid signature of the attacker's own domain, and SPF of its own bounce domain
        String messageId = send(from, null, "PO", json.writeValueAsString(order),
                TRUSTED + "; dkim=pass header.d=evil.example; spf=pass smtp.mailfrom=bounce@evil.example;"
                        + " dmarc=fail header.from=b2b.example");

        String receiptId = awaitDone(messageId);
        assertNoOrder(order);
        assertThat(receipt(receiptId).at("/errors/0/message").asText()).contains("none is a pass aligned to b2b.example");
    }

    @Test
    void anAuthenticatedMailCreatesTheOrderAndIsAnsweredToItsFromNeverToTheReplyTo() throws Exception {
        String from = "purchasing-" + uuid() + "@b2b.example";
        String replyTo = "someone-else-" + uuid() + "@evil.example";
        ObjectNode order = invoiceOrder();
        // an upstream host's header below the trusted MTA's does not matter; DKIM of a parent domain is aligned
        String messageId = send(from, replyTo, "PO 77", json.writeValueAsString(order),
                TRUSTED + "; dkim=pass (good signature) header.d=b2b.example header.s=sel1;"
                        + " dmarc=pass (p=reject) header.from=b2b.example",
                "mx.evil.example; dkim=fail header.d=b2b.example");

        Message answer = await().atMost(WAIT).until(() -> mailbox(from), l -> !l.isEmpty()).get(0);
        assertThat(answer.getSubject()).isEqualTo("Order accepted: PO 77");
        String orderId = jdbc.queryForObject("select order_id from orders where external_id = ?", String.class,
                order.get("externalId").asText());
        assertThat(get("/api/orders/" + orderId, B2B_KEY).body().get("channel").asText()).isEqualTo("b2b");
        awaitDone(messageId);
        assertThat(mailbox(replyTo)).isEmpty();
    }

    @Test
    void spfPassAlignedToTheFromDomainAuthenticatesToo() throws Exception {
        String from = "edi-" + uuid() + "@orders.b2b.example";
        // not a sender pattern of b2b (*@b2b.example would need the exact domain): unknown, not answered
        String messageId = send(from, null, "PO", json.writeValueAsString(invoiceOrder()),
                TRUSTED + "; spf=pass smtp.mailfrom=b2b.example");
        String receiptId = awaitDone(messageId);
        assertThat(receipt(receiptId).at("/errors/0/message").asText()).contains("not registered for any sales channel");
        assertThat(mailbox(from)).isEmpty();

        String sender = "edi-" + uuid() + "@b2b.example";
        ObjectNode order = invoiceOrder();
        send(sender, null, "PO spf", json.writeValueAsString(order),
                "  " + TRUSTED.toUpperCase() + " 1 ; spf=pass smtp.mailfrom=\"bounces@b2b.example\"");
        Message answer = await().atMost(WAIT).until(() -> mailbox(sender), l -> !l.isEmpty()).get(0);
        assertThat(answer.getSubject()).isEqualTo("Order accepted: PO spf");
    }

    @Test
    void anUnknownSenderGetsNoMailBackNotEvenAtItsReplyTo() throws Exception {
        String from = "someone-" + uuid() + "@unknown.example";
        String replyTo = "victim-" + uuid() + "@elsewhere.example";
        String messageId = send(from, replyTo, "You have won", json.writeValueAsString(invoiceOrder()));

        String receiptId = awaitDone(messageId);
        JsonNode receipt = receipt(receiptId);
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.at("/errors/0/message").asText()).contains(from, "not registered for any sales channel");
        assertThat(mailbox(from)).isEmpty();
        assertThat(mailbox(replyTo)).isEmpty();
    }

    // --- helpers ---

    private ObjectNode invoiceOrder() {
        ObjectNode order = order();
        order.putObject("payment").put("method", "invoice").put("terms", "NET30");
        return order;
    }

    private String send(String from, String replyTo, String subject, String text, String... authenticationResults)
            throws Exception {
        String id = "<" + UUID.randomUUID() + "@test.example>";
        MimeMessage m = new MimeMessage(new SandboxMailbox(mailServer).session()) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", id);
            }
        };
        m.setFrom(new InternetAddress(from));
        if (replyTo != null) {
            m.setReplyTo(new InternetAddress[] {new InternetAddress(replyTo)});
        }
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(ORDERS));
        m.setSubject(subject);
        m.setText(text, "UTF-8");
        for (String header : authenticationResults) {
            m.addHeader("Authentication-Results", header);
        }
        m.saveChanges();
        Transport.send(m);
        return id;
    }

    /** Waits until the mail is done (ingested, answered or not) and returns its one receipt. */
    private String awaitDone(String messageId) {
        await().atMost(WAIT).until(() -> jdbc.queryForList("select status from mail_messages where message_id = ?",
                String.class, messageId), s -> s.equals(List.of("DONE")));
        String ids = jdbc.queryForObject("select receipt_ids from mail_messages where message_id = ?", String.class,
                messageId);
        assertThat(ids).doesNotContain(",");
        return ids;
    }

    private JsonNode receipt(String receiptId) {
        Response r = get("/api/receipts/" + receiptId, OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    private void assertNoOrder(ObjectNode order) {
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                order.get("externalId").asText())).isZero();
    }

    private List<MimeMessage> mailbox(String address) throws Exception {
        return new SandboxMailbox(mailServer).messagesFor(address);
    }

    private static String uuid() {
        return UUID.randomUUID().toString().replace('-', 'x');
    }
}
