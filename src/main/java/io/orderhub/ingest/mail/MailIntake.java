package io.orderhub.ingest.mail;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.common.JobLeases;
import io.orderhub.ingest.DocumentIntake;
import io.orderhub.ingest.TransportAnswer;
import io.orderhub.ingest.TransportIntake;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Orders by e-mail (DESIGN §6), in the steps routes/email-intake.camel.yaml shows: claim the mail's Message-ID (one
 * hub instance wins), check the sender (the channel its From belongs to, proven by the channel's mail
 * authentication), read its documents (each attachment, or the body), store each as a receipt and take it in with
 * the intake's steps ({@link TransportIntake}), and compose the answer ({@link MailAnswers}). The route sends the
 * answer and then calls {@link #answered}; only after that is the mail marked as read. A mail read again (a crash
 * before it was marked, a resend with the same Message-ID) changes nothing.
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
     * All the steps in one call, as the route runs them: empty when the mail was ingested before or is not answered
     * (nothing to do but mark it read).
     *
     * @throws MailBusyException when another hub instance is ingesting it right now (leave it unread)
     */
    public Optional<MailReply> receive(Message message) throws MessagingException, IOException {
        OrderMail mail = claim(message);
        if (!mail.claimed()) {
            return Optional.empty();
        }
        try {
            checkSender(mail);
            readDocuments(mail);
            for (int i = 0; i < mail.documentCount(); i++) {
                store(mail, i);
                DocumentIntake document = check(mail, i);
                intake.recognise(document);
                intake.map(document, document.mapping());
                intake.validate(document);
                intake.create(document);
                record(mail, i, document);
            }
            return answer(mail);
        } catch (RuntimeException | MessagingException e) {
            ledger.release(mail.messageId());
            throw e;
        }
    }

    /**
     * Claim the mail by its Message-ID (table mail_messages): not claimed when it was ingested before. The receipts
     * an interrupted earlier claim stored are closed (REJECTED: the mail is stored anew).
     *
     * @throws MailBusyException when another hub instance is ingesting it right now (leave it unread)
     */
    public OrderMail claim(Message message) throws MessagingException {
        String messageId = MailHeaders.messageId(message);
        String sender = MailHeaders.sender(message);
        MailLedger.Claim claim = ledger.claim(messageId, sender);
        if (claim.state() == MailLedger.State.DONE) {
            LOG.info("Mail {} was ingested before; not again", messageId);
            return new OrderMail(message, messageId, sender, false);
        }
        if (!claim.mine()) {
            throw new MailBusyException("mail " + messageId + " is being ingested by another hub instance");
        }
        try {
            for (String leftover : claim.receiptIds()) {
                intake.reject(leftover, List.of(FieldError.of("", "ingesting the e-mail " + messageId
                        + " was interrupted; the mail was read again and stored anew")));
            }
        } catch (RuntimeException e) {
            ledger.release(messageId);
            throw e;
        }
        return new OrderMail(message, messageId, sender, true);
    }

    /**
     * Check the sender: the channel whose sender patterns match the From, and the channel's mail authentication.
     * An unknown or unproven sender (the From may be forged): the whole mail is stored REJECTED with the reason and
     * not answered (no backscatter).
     */
    public void checkSender(OrderMail mail) throws MessagingException {
        Message message = mail.message;
        String sender = mail.sender();
        // quoted in the answer: a card number in the subject is cut out like everywhere else
        mail.subject = io.orderhub.common.CardNumbers.redact(MailHeaders.subject(message));
        Optional<Channel> channel = sender == null ? Optional.empty() : channels.bySender(sender);
        if (channel.isEmpty()) {
            refuseUnanswered(mail, FieldError.of("from", "the sender address " + (sender == null ? "(none)" : sender)
                    + " is not registered for any sales channel; not answered"));
            return;
        }
        MailSenderAuth.Verdict verdict = senderAuth.check(channel.get(), MailHeaders.fromAddresses(message),
                message.getHeader("Authentication-Results"), () -> MailHeaders.raw(message));
        if (!verdict.authenticated()) {
            LOG.warn("Mail {} claims channel {} but {}", mail.messageId(), channel.get().id(), verdict.reason());
            refuseUnanswered(mail, FieldError.of("from", verdict.reason() + " (mailAuth "
                    + senderAuth.mode(channel.get()) + " of channel " + channel.get().id() + "); not answered"));
            return;
        }
        mail.channel = channel.get();
    }

    private void refuseUnanswered(OrderMail mail, FieldError reason) throws MessagingException {
        String receiptId = storeRaw(null, mail);
        intake.reject(receiptId, List.of(reason));
        mail.unanswered = true;
    }

    /**
     * Read the documents: every attachment, or the body; at most {@code orderhub.mail.max-attachments} (the others
     * are named in the answer, not read). A mail that cannot be read as MIME, or holds no document, is stored whole
     * as one REJECTED receipt and answered.
     */
    public void readDocuments(OrderMail mail) throws MessagingException {
        if (mail.unanswered) {
            return;
        }
        List<MailContent.Document> documents;
        try {
            documents = MailContent.documents(mail.message, maxBytes);
        } catch (MessagingException | IOException broken) {
            // a mail whose MIME structure cannot be read is kept whole and answered, not read again at every poll
            LOG.warn("Mail {} cannot be read as MIME ({}); kept as a rejected receipt", mail.messageId(),
                    MailHeaders.reason(broken));
            rejectWhole(mail, FieldError.of("mail", "the e-mail's MIME structure cannot be read ("
                    + MailHeaders.reason(broken) + "); please send it again"));
            return;
        }
        if (documents.isEmpty()) {
            rejectWhole(mail, FieldError.of("body", "the e-mail has neither an attachment nor a text body holding an order"));
            return;
        }
        for (int i = maxAttachments; i < documents.size(); i++) {
            mail.notRead.add(documents.get(i).name());
        }
        mail.documents = documents.size() > maxAttachments ? List.copyOf(documents.subList(0, maxAttachments)) : documents;
        mail.receiptIds = new String[mail.documents.size()];
    }

    private void rejectWhole(OrderMail mail, FieldError reason) throws MessagingException {
        String receiptId = storeRaw(mail.channel.id(), mail);
        mail.outcomes.add(new OrderMail.Outcome("your e-mail", intake.reject(receiptId, List.of(reason))));
    }

    /** Store document {@code index} as received (cut at the size limit), committed before anything can refuse it. */
    public void store(OrderMail mail, int index) {
        MailContent.Document doc = mail.documents.get(index);
        String receiptId = intake.store(mail.channel.id(), VIA, doc.contentType(), doc.body(), doc.truncated());
        ledger.addReceipt(mail.messageId(), receiptId);
        mail.receiptIds[index] = receiptId;
    }

    /** Check document {@code index}'s size; the stored document for the intake's steps, refused when too large. */
    public DocumentIntake check(OrderMail mail, int index) {
        MailContent.Document doc = mail.documents.get(index);
        String receiptId = mail.receiptIds[index];
        TransportAnswer refused = doc.truncated() ? intake.reject(receiptId, List.of(FieldError.of(doc.name(),
                "is larger than " + maxBytes + " bytes, the limit for one attachment"))) : null;
        return intake.open(receiptId, mail.channel.id(), null, doc.contentType(), doc.body(), VIA, refused);
    }

    /** What became of document {@code index}, read from its receipt, for the answer. */
    public void record(OrderMail mail, int index, DocumentIntake document) {
        mail.outcomes.add(new OrderMail.Outcome(mail.documents.get(index).name(), intake.answer(document)));
    }

    /**
     * The answer to the sender: the authenticated From address, which matched the channel's sender patterns; never a
     * Reply-To, which nobody vouches for. None for a mail whose sender is unknown or unproven: it is done at once.
     */
    public Optional<MailReply> answer(OrderMail mail) {
        if (mail.unanswered) {
            // no mail back, no backscatter; the receipt is stored REJECTED with the reason (GET /api/ops/receipts)
            LOG.warn("Mail {} is not answered: its sender is unknown or not authenticated; its receipt is stored",
                    mail.messageId());
            ledger.done(mail.messageId());
            return Optional.empty();
        }
        return Optional.of(MailAnswers.compose(mail.messageId(), mail.sender(), mail.subject, mail.outcomes,
                mail.notRead, maxAttachments));
    }

    /** Frees this instance's unfinished claim at once (a failure): the next reading takes the mail over. */
    public void release(String messageId) {
        ledger.release(messageId);
    }

    /** The answer went out: the mail is done, for this and every other instance. */
    public void answered(String messageId) {
        ledger.done(messageId);
    }

    /** Stores the whole mail as one receipt ({@code message/rfc822}), cut at the size limit. */
    private String storeRaw(String channel, OrderMail mail) throws MessagingException {
        byte[] raw = MailHeaders.rawOrHeaders(mail.message);
        boolean truncated = raw.length > maxBytes;
        String receiptId = intake.store(channel, VIA, "message/rfc822",
                truncated ? java.util.Arrays.copyOf(raw, maxBytes) : raw, truncated);
        ledger.addReceipt(mail.messageId(), receiptId);
        return receiptId;
    }

    /** Another instance holds a fresh claim on the mail: leave it unread and look again at the next poll. */
    public static class MailBusyException extends RuntimeException {
        public MailBusyException(String message) {
            super(message);
        }
    }
}
