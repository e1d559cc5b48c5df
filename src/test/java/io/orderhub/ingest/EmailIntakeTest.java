package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.ingest.mail.MailIntake;
import io.orderhub.ingest.mail.MailReply;
import io.orderhub.sandbox.SandboxMailServer;
import io.orderhub.support.HubTestSupport;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.HeaderTerm;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Orders by e-mail through the sandbox mail server (GreenMail, real SMTP and IMAP) and
 * routes/email-intake.camel.yaml: mails are sent by SMTP to orders@orderhub.local, answers are read
 * from the sender's own mailbox over IMAP.
 */
class EmailIntakeTest extends HubTestSupport {

    static final String ORDERS = "orders@orderhub.local";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    SandboxMailServer mailServer;
    @Autowired
    io.orderhub.crypto.DataCipher cipher;
    @Autowired
    MailIntake mailIntake;

    @Test
    void everyAttachmentIsAReceiptAndTheSenderGetsTheOrderNumbersInOneAnswer() throws Exception {
        String sender = "buyer-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        ObjectNode first = order();
        ObjectNode second = order();
        String messageId = send(sender, "PO 4711", null,
                attachment("first.json", "application/json", json.writeValueAsBytes(first)),
                attachment("second.json", "application/json", json.writeValueAsBytes(second)));

        Message answer = answerTo(sender);
        assertThat(answer.getSubject()).isEqualTo("Order accepted: PO 4711");
        assertThat(answer.getHeader("In-Reply-To")[0]).isEqualTo(messageId);
        // derived from the order mail's: an answer sent again after a crash is recognisably the same answer
        assertThat(answer.getHeader("Message-ID")[0])
                .isEqualTo(io.orderhub.common.StableIdMimeMessage.messageId("answer:" + messageId, ORDERS));
        assertThat(answer.getFrom()[0].toString()).isEqualTo(ORDERS);
        String text = text(answer);
        String firstId = orderId(first);
        String secondId = orderId(second);
        assertThat(text).contains("first.json: accepted, order number " + firstId,
                "second.json: accepted, order number " + secondId);
        assertThat(get("/api/orders/" + firstId, WEBSHOP_KEY).body().at("/source/via").asText()).isEqualTo("email");
        assertThat(receiptsOf(messageId)).hasSize(2).allSatisfy(r -> assertThat(jdbc.queryForObject(
                "select via || ' ' || channel || ' ' || status from receipts where receipt_id = ?", String.class, r))
                .isEqualTo("email webshop ACCEPTED"));
        awaitSeen(messageId);
    }

    @Test
    void anEdiInterchangeByMailIsAnsweredWithIts997Attached() throws Exception {
        String sender = "edi-" + UUID.randomUUID().toString().replace('-', 'x') + "@b2b.example";
        String suffix = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String edi = java.nio.file.Files.readString(java.nio.file.Path.of("examples", "orders-x12-850.edi"),
                java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("BEG\\*00\\*([A-Z]{2})\\*([^*~]+)", "BEG*00*$1*$2" + suffix);
        send(sender, "EDI 850", null, attachment("po.edi", "application/edi-x12",
                edi.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));

        Message answer = answerTo(sender);
        assertThat(answer.getSubject()).isEqualTo("Order accepted: EDI 850");
        Multipart parts = (Multipart) answer.getContent();
        String ack = null;
        for (int i = 0; i < parts.getCount(); i++) {
            if (parts.getBodyPart(i).getFileName() != null && parts.getBodyPart(i).getFileName().endsWith("-997.edi")) {
                ack = new String(parts.getBodyPart(i).getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        assertThat(ack).as("997 attachment").isNotNull().startsWith("ISA").contains("AK1*PO");
        assertThat(text(answer)).containsPattern("po.edi: accepted, order numbers ORD-\\d{9}, ORD-\\d{9}");
    }

    @Test
    void withoutAttachmentsTheTextBodyIsTheDocument() throws Exception {
        String sender = "purchasing-" + UUID.randomUUID().toString().replace('-', 'x') + "@b2b.example";
        ObjectNode order = order();
        send(sender, "order", json.writeValueAsString(order));

        Message answer = answerTo(sender);
        assertThat(answer.getSubject()).isEqualTo("Order accepted: order");
        String orderId = orderId(order);
        assertThat(text(answer)).contains("mail body: accepted, order number " + orderId);
        assertThat(get("/api/orders/" + orderId, B2B_KEY).body().get("channel").asText()).isEqualTo("b2b");
    }

    @Test
    void aReplacementOrCancellationByMailIsAnsweredWithWhatItDidToWhichOrder() throws Exception {
        ObjectNode order = order();
        Response created = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String orderId = created.body().get("orderId").asText();

        ObjectNode replacement = order.deepCopy();
        replacement.put("purpose", "REPLACE").put("notes", "please ring twice");
        String replacer = "buyer-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        send(replacer, "PO change", json.writeValueAsString(replacement));
        Message replaced = answerTo(replacer);
        assertThat(replaced.getSubject()).isEqualTo("Order replaced: PO change");
        assertThat(text(replaced)).contains("mail body: replaced order " + orderId + " (")
                .doesNotContain("accepted, order number");
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().get("notes").asText()).isEqualTo("please ring twice");

        String canceller = "buyer-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        send(canceller, "PO cancel", json.writeValueAsString(json.createObjectNode()
                .put("externalId", order.get("externalId").asText()).put("purpose", "CANCEL")));
        Message cancelled = answerTo(canceller);
        assertThat(cancelled.getSubject()).isEqualTo("Order cancelled: PO cancel");
        assertThat(text(cancelled)).contains("mail body: cancelled order " + orderId)
                .doesNotContain("accepted, order number");
        assertThat(get("/api/orders/" + orderId, WEBSHOP_KEY).body().get("status").asText()).isEqualTo("CANCELLED");

        String late = "buyer-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        replacement.put("notes", "too late");
        send(late, "PO change again", json.writeValueAsString(replacement));
        Message refused = answerTo(late);
        assertThat(refused.getSubject()).isEqualTo("Order change refused: PO change again");
        assertThat(text(refused)).contains("mail body: refused for order " + orderId + " (CANCELLED)")
                .contains("/purpose: order " + orderId + " is CANCELLED: it can no longer be replaced");
    }

    @Test
    void anUnknownSenderGetsNoAnswerAndTheMailIsKeptAsARejectedReceipt() throws Exception {
        String sender = "someone-" + UUID.randomUUID().toString().replace('-', 'x') + "@unknown.example";
        String messageId = send(sender, "my order", json.writeValueAsString(order()));

        // no backscatter (issue 25): the mail is only stored, and done once its receipt is
        awaitSeen(messageId);
        assertThat(jdbc.queryForObject("select status from mail_messages where message_id = ?", String.class, messageId))
                .isEqualTo("DONE");
        assertThat(messagesFor(sender)).isEmpty();
        List<String> receipts = receiptsOf(messageId);
        assertThat(receipts).hasSize(1);
        assertThat(jdbc.queryForObject("select coalesce(channel, '-') || ' ' || status || ' ' || content_type || ' ' || errors"
                + " from receipts where receipt_id = ?", String.class, receipts.get(0)))
                .startsWith("- REJECTED message/rfc822").contains(sender, "\"field\":\"from\"", "not answered");
    }

    @Test
    void invalidUnsupportedAndOversizedAttachmentsAreNamedWithEveryReason() throws Exception {
        String sender = "buyer-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        ObjectNode invalid = order();
        invalid.remove("currency");
        byte[] big = new byte[1_048_577];
        Arrays.fill(big, (byte) 'x');
        ObjectNode good = order();
        send(sender, "three files", null,
                attachment("invalid.json", "application/json", json.writeValueAsBytes(invalid)),
                attachment("logo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0}),
                attachment("huge.json", "application/json", big),
                attachment("good.json", "application/json", json.writeValueAsBytes(good)));

        Message answer = answerTo(sender);
        assertThat(answer.getSubject()).isEqualTo("Order partly accepted: three files");
        assertThat(text(answer)).contains("invalid.json: rejected", "/currency", "logo.png: rejected",
                "not in a format this hub recognises", "huge.json: rejected", "larger than 1048576 bytes",
                "good.json: accepted, order number " + orderId(good));
    }

    @Test
    void aMailReadAgainAfterItsReceiptsWereStoredChangesNothing() throws Exception {
        String sender = "buyer-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        ObjectNode order = order();
        String messageId = send(sender, "once", json.writeValueAsString(order));
        answerTo(sender);
        awaitSeen(messageId);
        List<String> receipts = receiptsOf(messageId);

        // as if the hub had died after storing the receipts and before marking the mail read
        withOrdersInbox(inbox -> inbox.search(new HeaderTerm("Message-ID", messageId))[0].setFlag(Flags.Flag.SEEN, false));
        awaitSeen(messageId);

        assertThat(receiptsOf(messageId)).isEqualTo(receipts);
        assertThat(jdbc.queryForObject("select count(*) from receipts where via = 'email' and receipt_id not in ("
                + "select receipt_id from receipts where receipt_id = ?) and checksum = (select checksum from receipts "
                + "where receipt_id = ?)", Integer.class, receipts.get(0), receipts.get(0))).isZero();
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                order.get("externalId").asText())).isEqualTo(1);
        assertThat(messagesFor(sender)).hasSize(1);
    }

    @Test
    void twoPollersReadingTheSameMailIngestItOnce() throws Exception {
        ObjectNode order = order();
        MimeMessage mail = mail("buyer@webshop.example", "race", json.writeValueAsString(order));
        String messageId = mail.getMessageID();
        ExecutorService pollers = Executors.newFixedThreadPool(2);
        try {
            Callable<Optional<MailReply>> poll = () -> mailIntake.receive(new MimeMessage(mail));
            List<Future<Optional<MailReply>>> both = List.of(pollers.submit(poll), pollers.submit(poll));
            int answered = 0;
            for (Future<Optional<MailReply>> f : both) {
                try {
                    answered += f.get().isPresent() ? 1 : 0;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(MailIntake.MailBusyException.class);
                }
            }
            assertThat(answered).isEqualTo(1);
        } finally {
            pollers.shutdown();
        }
        mailIntake.answered(messageId);
        assertThat(mailIntake.receive(new MimeMessage(mail))).isEmpty();
        assertThat(receiptsOf(messageId)).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                order.get("externalId").asText())).isEqualTo(1);
    }

    @Test
    void aClaimLeftByADeadInstanceIsTakenOverAndItsReceiptsClosed() throws Exception {
        ObjectNode order = order();
        MimeMessage mail = mail("buyer@webshop.example", "takeover", json.writeValueAsString(order));
        String messageId = mail.getMessageID();
        String leftover = "RCT-" + UUID.randomUUID();
        jdbc.update("insert into receipts (receipt_id, channel, via, checksum, size_bytes, received_at, status, updated_at,"
                + " body) values (?, 'webshop', 'email', 'x', 1, current_timestamp, 'RECEIVED', current_timestamp, ?)",
                leftover, new byte[] {'x'});
        jdbc.update("insert into mail_messages (message_id, status, claimed_by, claimed_at, receipt_ids) values "
                + "(?, 'CLAIMED', 'dead-instance', ?, ?)", messageId,
                java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofHours(1))), leftover);

        MailReply reply = mailIntake.receive(mail).orElseThrow();

        assertThat(reply.accepted()).isTrue();
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class, leftover))
                .isEqualTo("REJECTED");
        assertThat(receiptsOf(messageId)).hasSize(2).contains(leftover);
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                order.get("externalId").asText())).isEqualTo(1);
    }

    @Test
    void aMailWhoseMimeStructureCannotBeReadIsKeptWholeAnsweredAndNotReadAgain() throws Exception {
        String sender = "broken-" + UUID.randomUUID().toString().replace('-', 'x') + "@webshop.example";
        String messageId = "<" + UUID.randomUUID() + "@broken.example>";
        // an attachment whose base64 was cut in the middle of a quantum (as a mangling relay leaves it): the mail server
        // stores it, but its content cannot be decoded
        String raw = "From: " + sender + "\r\nTo: " + ORDERS + "\r\nSubject: broken PO\r\nMessage-ID: " + messageId
                + "\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n--XYZ\r\n"
                + "Content-Type: text/plain\r\n\r\nour order\r\n--XYZ\r\n"
                + "Content-Type: application/json\r\nContent-Disposition: attachment; filename=po.json\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getEncoder().encodeToString(json.writeValueAsBytes(order())).substring(0, 101)
                + "\r\n--XYZ--\r\n";
        MimeMessage mail = new MimeMessage(session(), new java.io.ByteArrayInputStream(raw.getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)));
        // sent as it is (Transport.send would rewrite it)
        try (Transport smtp = session().getTransport("smtp")) {
            smtp.connect();
            smtp.sendMessage(mail, new jakarta.mail.Address[] {new InternetAddress(ORDERS)});
        }

        Message answer = answerTo(sender);
        assertThat(answer.getSubject()).isEqualTo("Order rejected: broken PO");
        assertThat(text(answer)).contains("your e-mail: rejected", "MIME structure cannot be read");
        List<String> receipts = receiptsOf(messageId);
        assertThat(receipts).hasSize(1);
        assertThat(jdbc.queryForObject("select channel || ' ' || status || ' ' || content_type from receipts where receipt_id = ?",
                String.class, receipts.get(0))).isEqualTo("webshop REJECTED message/rfc822");
        // the whole mail is kept, byte for byte as the mail server delivered it, for a replay after a fix
        assertThat(new String(cipher.open(jdbc.queryForObject("select body from receipts where receipt_id = ?", byte[].class,
                receipts.get(0))), java.nio.charset.StandardCharsets.US_ASCII)).contains("filename=po.json", "base64");
        awaitSeen(messageId);
        assertThat(jdbc.queryForObject("select status from mail_messages where message_id = ?", String.class, messageId))
                .isEqualTo("DONE");
    }

    // --- a channel's mail client ---

    private String send(String from, String subject, String text, MimeBodyPart... attachments) throws Exception {
        MimeMessage m = mail(from, subject, text, attachments);
        Transport.send(m);
        return m.getMessageID();
    }

    /**
     * Channel b2b authenticates its senders (mailAuth authentication-results): its mails carry the header of the
     * suite's trusted MTA, as the receiving mail server would add it (MailSenderAuthenticationTest).
     */
    private MimeMessage mail(String from, String subject, String text, MimeBodyPart... attachments) throws Exception {
        MimeMessage m = unsignedMail(from, subject, text, attachments);
        if (from.endsWith("@b2b.example")) {
            m.addHeader("Authentication-Results", "mx.orderhub.test; dkim=pass header.d=b2b.example;"
                    + " dmarc=pass header.from=b2b.example");
            m.saveChanges();
        }
        return m;
    }

    private MimeMessage unsignedMail(String from, String subject, String text, MimeBodyPart... attachments)
            throws Exception {
        String id = "<" + UUID.randomUUID() + "@test.example>";
        MimeMessage m = new MimeMessage(session()) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", id);
            }
        };
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(ORDERS));
        m.setSubject(subject);
        if (attachments.length == 0) {
            m.setText(text, "UTF-8");
        } else {
            MimeMultipart multi = new MimeMultipart();
            MimeBodyPart body = new MimeBodyPart();
            body.setText(text == null ? "Please find our order attached." : text, "UTF-8");
            multi.addBodyPart(body);
            for (MimeBodyPart a : attachments) {
                multi.addBodyPart(a);
            }
            m.setContent(multi);
        }
        m.saveChanges();
        return m;
    }

    private static MimeBodyPart attachment(String name, String type, byte[] content) throws Exception {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(content, type)));
        part.setFileName(name);
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        return part;
    }

    private Session session() {
        return new io.orderhub.support.SandboxMailbox(mailServer).session();
    }

    /** The hub's answer, read over IMAP from the sender's mailbox (login and password: the address). */
    private Message answerTo(String address) {
        return await().atMost(WAIT).until(() -> messagesFor(address), list -> !list.isEmpty()).get(0);
    }

    private List<MimeMessage> messagesFor(String address) throws Exception {
        return new io.orderhub.support.SandboxMailbox(mailServer).messagesFor(address);
    }

    interface InboxAction {
        void run(Folder inbox) throws Exception;
    }

    private void withOrdersInbox(InboxAction action) throws Exception {
        Store store = session().getStore("imap");
        store.connect(ORDERS, "orders");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            action.run(inbox);
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    private void awaitSeen(String messageId) {
        await().atMost(WAIT).untilAsserted(() -> withOrdersInbox(inbox -> {
            Message[] found = inbox.search(new HeaderTerm("Message-ID", messageId));
            assertThat(found).hasSize(1);
            assertThat(found[0].isSet(Flags.Flag.SEEN)).isTrue();
        }));
    }

    private static String text(Message m) throws Exception {
        Object content = m.getContent();
        if (content instanceof Multipart multi) {
            return (String) multi.getBodyPart(0).getContent();
        }
        return (String) content;
    }

    private String orderId(ObjectNode order) {
        return jdbc.queryForObject("select order_id from orders where external_id = ?", String.class,
                order.get("externalId").asText());
    }

    private List<String> receiptsOf(String messageId) {
        String ids = jdbc.queryForObject("select receipt_ids from mail_messages where message_id = ?", String.class,
                messageId);
        return ids == null ? List.of() : Arrays.asList(ids.split(","));
    }

}
