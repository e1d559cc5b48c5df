package io.orderhub.ingest.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.common.JobLeases;
import io.orderhub.format.FormatResult;
import io.orderhub.ingest.OrderResult;
import io.orderhub.ingest.TransportAnswer;
import io.orderhub.ingest.TransportIntake;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Orders by e-mail (DESIGN §6). For each mail: claim its Message-ID (one hub instance wins), find
 * the channel from the sender, store every document (each attachment, or the body) as a receipt,
 * create the orders, and compose the answer. The caller sends the answer and then calls
 * {@link #answered}; only after that is the mail marked as read. A mail read again (a crash before
 * it was marked, a resend with the same Message-ID) changes nothing.
 */
@Service
public class MailIntake {

    public static final String VIA = "email";

    private static final Logger LOG = LoggerFactory.getLogger(MailIntake.class);

    private final TransportIntake intake;
    private final ChannelRegistry channels;
    private final MailSenderAuth senderAuth;
    private final MailLedger ledger;
    private final JobLeases leases;
    private final Duration pollInterval;
    private final int maxAttachments;
    private final int maxBytes;

    public MailIntake(TransportIntake intake, ChannelRegistry channels, MailSenderAuth senderAuth, MailLedger ledger,
                      JobLeases leases,
                      @Value("${orderhub.mail.imap.poll-delay-ms}") long pollDelayMs,
                      @Value("${orderhub.mail.max-attachments}") int maxAttachments,
                      @Value("${orderhub.mail.max-attachment-bytes}") int maxBytes) {
        this.intake = intake;
        this.channels = channels;
        this.senderAuth = senderAuth;
        this.ledger = ledger;
        this.leases = leases;
        this.pollInterval = Duration.ofMillis(pollDelayMs);
        this.maxAttachments = maxAttachments;
        this.maxBytes = maxBytes;
    }

    /**
     * Whether this instance polls the orders mailbox now: one instance per poll interval holds the lease
     * ({@link JobLeases}); the others leave the mailbox alone until it stops polling. (Each mail is claimed by
     * its Message-ID besides, so a mail read by two instances is still ingested once.)
     */
    public boolean takePoll() {
        return leases.acquireNow(JobLeases.Job.MAIL_POLL, pollInterval);
    }

    /**
     * Ingests one mail; empty when it was ingested before (nothing to do but mark it read).
     *
     * @throws MailBusyException when another hub instance is ingesting it right now (leave it unread)
     */
    public Optional<MailReply> receive(Message mail) throws MessagingException, IOException {
        String messageId = messageId(mail);
        String sender = sender(mail);
        MailLedger.Claim claim = ledger.claim(messageId, sender);
        if (claim.state() == MailLedger.State.DONE) {
            LOG.info("Mail {} was ingested before; not again", messageId);
            return Optional.empty();
        }
        if (!claim.mine()) {
            throw new MailBusyException("mail " + messageId + " is being ingested by another hub instance");
        }
        try {
            MailReply reply = ingest(mail, messageId, sender, claim);
            if (reply.to() == null) {
                // an unknown or unauthenticated sender (or no readable From): no mail back, no backscatter; the
                // receipt is stored REJECTED with the reason (GET /api/ops/receipts) and the mail is done
                LOG.warn("Mail {} is not answered: its sender is unknown or not authenticated; its receipt is stored",
                        messageId);
                ledger.done(messageId);
                return Optional.empty();
            }
            return Optional.of(reply);
        } catch (RuntimeException | MessagingException | IOException e) {
            ledger.release(messageId);
            throw e;
        }
    }

    /** Frees this instance's unfinished claim at once (a failure): the next reading takes the mail over. */
    public void release(String messageId) {
        ledger.release(messageId);
    }

    private MailReply ingest(Message mail, String messageId, String sender, MailLedger.Claim claim)
            throws MessagingException, IOException {
        for (String leftover : claim.receiptIds()) {
            intake.reject(leftover, List.of(FieldError.of("", "ingesting the e-mail " + messageId
                    + " was interrupted; the mail was read again and stored anew")));
        }
        // quoted in the answer: a card number in the subject is cut out like everywhere else
        String subject = io.orderhub.common.CardNumbers.redact(subject(mail));
        Optional<Channel> channel = sender == null ? Optional.empty() : channels.bySender(sender);
        List<Outcome> outcomes = new ArrayList<>();
        List<String> notRead = new ArrayList<>();
        if (channel.isEmpty()) {
            // stored without a channel and not answered (the From may be forged: no backscatter)
            String receiptId = storeRaw(null, mail);
            ledger.addReceipt(messageId, receiptId);
            intake.reject(receiptId, List.of(FieldError.of("from", "the sender address "
                    + (sender == null ? "(none)" : sender) + " is not registered for any sales channel; not answered")));
            return compose(messageId, null, subject, outcomes, notRead);
        }
        MailSenderAuth.Verdict verdict = senderAuth.check(channel.get(), fromAddresses(mail),
                mail.getHeader("Authentication-Results"), () -> raw(mail));
        if (!verdict.authenticated()) {
            // the From claims the channel but is not proven: stored without a channel, REJECTED with the reason, not answered
            LOG.warn("Mail {} claims channel {} but {}", messageId, channel.get().id(), verdict.reason());
            String receiptId = storeRaw(null, mail);
            ledger.addReceipt(messageId, receiptId);
            intake.reject(receiptId, List.of(FieldError.of("from", verdict.reason() + " (mailAuth "
                    + senderAuth.mode(channel.get()) + " of channel " + channel.get().id() + "); not answered")));
            return compose(messageId, null, subject, outcomes, notRead);
        }
        List<MailContent.Document> documents;
        try {
            documents = MailContent.documents(mail, maxBytes);
        } catch (MessagingException | IOException broken) {
            // a mail whose MIME structure cannot be read is kept whole and answered, not read again at every poll
            LOG.warn("Mail {} cannot be read as MIME ({}); kept as a rejected receipt", messageId, reason(broken));
            String receiptId = storeRaw(channel.get().id(), mail);
            ledger.addReceipt(messageId, receiptId);
            outcomes.add(new Outcome("your e-mail", intake.reject(receiptId, List.of(FieldError.of("mail",
                    "the e-mail's MIME structure cannot be read (" + reason(broken) + "); please send it again")))));
            documents = List.of();
        }
        if (documents.isEmpty() && outcomes.isEmpty()) {
            String receiptId = storeRaw(channel.get().id(), mail);
            ledger.addReceipt(messageId, receiptId);
            outcomes.add(new Outcome("your e-mail", intake.reject(receiptId, List.of(FieldError.of("body",
                    "the e-mail has neither an attachment nor a text body holding an order")))));
        }
        for (int i = 0; i < documents.size(); i++) {
            MailContent.Document doc = documents.get(i);
            if (i >= maxAttachments) {
                notRead.add(doc.name());
                continue;
            }
            String receiptId = intake.store(channel.get().id(), VIA, doc.contentType(), doc.body(), doc.truncated());
            ledger.addReceipt(messageId, receiptId);
            TransportAnswer answer = doc.truncated()
                    ? intake.reject(receiptId, List.of(FieldError.of(doc.name(), "is larger than " + maxBytes
                    + " bytes, the limit for one attachment")))
                    : intake.process(receiptId, channel.get().id(), null, doc.contentType(), doc.body(), VIA);
            outcomes.add(new Outcome(doc.name(), answer));
        }
        // the answer goes to the authenticated From address, which matched the channel's sender patterns; never to a
        // Reply-To, which nobody vouches for
        return compose(messageId, sender, subject, outcomes, notRead);
    }

    /** Stores the whole mail as one receipt ({@code message/rfc822}), cut at the size limit. */
    private String storeRaw(String channel, Message mail) throws MessagingException {
        byte[] raw = rawOrHeaders(mail);
        boolean truncated = raw.length > maxBytes;
        return intake.store(channel, VIA, "message/rfc822", truncated ? java.util.Arrays.copyOf(raw, maxBytes) : raw,
                truncated);
    }

    /** The mail's bytes as received; where even those cannot be written out, its header lines. */
    private static byte[] rawOrHeaders(Message mail) throws MessagingException {
        try {
            return raw(mail);
        } catch (IOException | MessagingException e) {
            StringBuilder headers = new StringBuilder();
            java.util.Enumeration<jakarta.mail.Header> all = mail.getAllHeaders();
            while (all.hasMoreElements()) {
                jakarta.mail.Header h = all.nextElement();
                headers.append(h.getName()).append(": ").append(h.getValue()).append("\r\n");
            }
            return headers.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String subject(Message mail) {
        try {
            return mail.getSubject() == null ? "" : mail.getSubject();
        } catch (MessagingException e) {
            return "";
        }
    }

    /** A parser's complaint for the answer and the log: on one line, at most 200 characters, card numbers cut out. */
    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = io.orderhub.common.CardNumbers.redact(message.replaceAll("[\\r\\n\\t]+", " "));
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    /** The answer went out: the mail is done, for this and every other instance. */
    public void answered(String messageId) {
        ledger.done(messageId);
    }

    private record Outcome(String name, TransportAnswer answer) {
    }

    private MailReply compose(String messageId, String to, String subject, List<Outcome> outcomes, List<String> notRead) {
        long accepted = outcomes.stream().filter(o -> o.answer().accepted()).count();
        // what the documents did, when they all did the same: a cancellation is not an "accepted order"
        java.util.Set<OrderResult.Outcome> did = outcomes.stream().flatMap(o -> o.answer().results().stream())
                .map(OrderResult::status).collect(java.util.stream.Collectors.toSet());
        String allDone = did.equals(java.util.Set.of(OrderResult.Outcome.CANCELLED)) ? "cancelled"
                : did.equals(java.util.Set.of(OrderResult.Outcome.REPLACED)) ? "replaced" : "accepted";
        boolean refusal = did.contains(OrderResult.Outcome.REJECTED) && outcomes.stream().flatMap(o -> o.answer().results()
                .stream()).allMatch(r -> r.status() == OrderResult.Outcome.REJECTED && r.orderId() != null);
        String verdict = accepted == outcomes.size() && notRead.isEmpty() ? allDone
                : accepted == 0 ? (refusal ? "change refused" : "rejected") : "partly accepted";
        StringBuilder text = new StringBuilder("Hello,\n\n");
        text.append("thank you for your order e-mail. Here is what became of it:\n");
        for (Outcome o : outcomes) {
            TransportAnswer a = o.answer();
            text.append("\n").append(o.name()).append(": ");
            boolean acted = a.results().stream().anyMatch(r -> r.status() == OrderResult.Outcome.CANCELLED
                    || r.status() == OrderResult.Outcome.REPLACED
                    || r.status() == OrderResult.Outcome.REJECTED && r.orderId() != null);
            if (acted) {
                // a cancellation or replacement: say what it did to which order, per order of the document
                List<String> said = new ArrayList<>();
                for (OrderResult r : a.results()) {
                    said.add(switch (r.status()) {
                        case CREATED -> "accepted, order number " + r.orderId();
                        case CANCELLED -> "cancelled order " + r.orderId();
                        case REPLACED -> "replaced order " + r.orderId() + " (" + r.order().status() + ")";
                        case DUPLICATE -> "received before, order number " + r.orderId();
                        case REJECTED -> r.orderId() == null ? "rejected"
                                : "refused for order " + r.orderId() + " (" + r.order().status() + ")";
                    });
                }
                text.append(String.join("; ", said));
            } else {
                switch (a.status()) {
                    case "ACCEPTED" -> text.append("accepted, order number").append(a.orderIds().size() > 1 ? "s " : " ")
                            .append(String.join(", ", a.orderIds()));
                    case "DUPLICATE" -> text.append("received before, order number")
                            .append(a.orderIds().size() > 1 ? "s " : " ").append(String.join(", ", a.orderIds()));
                    default -> text.append("rejected");
                }
            }
            text.append(" (receipt ").append(a.receiptId()).append(")\n");
            for (FieldError e : a.errors()) {
                text.append("  - ").append(e.field() == null || e.field().isEmpty() ? "" : e.field() + ": ")
                        .append(e.message()).append("\n");
            }
        }
        for (String name : notRead) {
            text.append("\n").append(name).append(": not read; an e-mail may carry at most ").append(maxAttachments)
                    .append(" attachments. Please send it again in another e-mail.\n");
        }
        text.append("\nKind regards,\nOrderHub\n");
        List<MailReply.Attachment> attachments = new ArrayList<>();
        for (Outcome o : outcomes) {
            FormatResult.Acknowledgement ack = o.answer().acknowledgement();
            if (ack != null && ack.body() != null) {
                attachments.add(new MailReply.Attachment(o.answer().receiptId() + "-" + ack.type() + ".edi",
                        ack.contentType() == null ? "application/edi-x12" : ack.contentType(),
                        ack.body().getBytes(StandardCharsets.UTF_8)));
            }
        }
        String subjectLine = "Order " + verdict + (subject.isBlank() ? "" : ": " + subject);
        return new MailReply(messageId, to, subjectLine, text.toString(), attachments, accepted > 0);
    }

    /** The Message-ID, or a digest of the mail when it has none (a resend is then the same mail). */
    static String messageId(Message mail) throws MessagingException {
        String[] ids = mail.getHeader("Message-ID");
        String id = ids == null || ids.length == 0 ? null : ids[0].trim();
        if (id == null || id.isEmpty() || id.length() > 400) {
            return "sha256:" + sha256(rawOrHeaders(mail));
        }
        return id;
    }

    /** The sender's address; none when the From header is missing or cannot be parsed. */
    private static String sender(Message mail) throws MessagingException {
        Address[] from;
        try {
            from = mail.getFrom();
        } catch (jakarta.mail.internet.AddressException unreadable) {
            return null;
        }
        if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress a) || a.getAddress() == null) {
            return null;
        }
        return a.getAddress().trim().toLowerCase(Locale.ROOT);
    }

    /** Every address of the From header (none when it is missing or cannot be parsed). */
    private static List<String> fromAddresses(Message mail) throws MessagingException {
        Address[] from;
        try {
            from = mail.getFrom();
        } catch (jakarta.mail.internet.AddressException unreadable) {
            return List.of();
        }
        List<String> addresses = new ArrayList<>();
        for (Address a : from == null ? new Address[0] : from) {
            if (a instanceof InternetAddress ia && ia.getAddress() != null) {
                addresses.add(ia.getAddress().trim().toLowerCase(Locale.ROOT));
            }
        }
        return addresses;
    }

    private static byte[] raw(Message mail) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.writeTo(out);
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another instance holds a fresh claim on the mail: leave it unread and look again at the next poll. */
    public static class MailBusyException extends RuntimeException {
        public MailBusyException(String message) {
            super(message);
        }
    }
}
