package io.orderhub.ingest.camel;

import java.util.Optional;

import io.orderhub.common.StableIdMimeMessage;
import io.orderhub.ingest.mail.MailIntake;
import io.orderhub.ingest.mail.MailReply;
import io.orderhub.ingest.mail.OrderMail;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Camel side of {@link MailIntake} for routes/email-intake.camel.yaml: the mail's steps around the intake's shared
 * ones ({@link IntakeSteps}): claim the polled mail, check its sender, read its documents, store and check each (the
 * route's loop, one document per round), record each outcome, and turn the answer into the SMTP message (To,
 * Subject, In-Reply-To, text, acknowledgement attachments, a stable Message-ID). A mail ingested before gets no
 * answer.
 */
@Component("mailIntakeAdapter")
public class MailIntakeAdapter {

    /** Exchange property: the Message-ID of the mail this instance claimed (released on a failure). */
    public static final String MESSAGE_ID = "orderhubMailMessageId";
    /** Exchange property: the mail on its way through the steps ({@link OrderMail}). */
    public static final String MAIL = "orderhubMail";
    /** Exchange property: true once the answer is the message's body. */
    static final String ANSWER = "orderhubMailAnswer";

    private final MailIntake intake;
    private final String from;

    public MailIntakeAdapter(MailIntake intake, @Value("${orderhub.mail.smtp.from}") String from) {
        this.intake = intake;
        this.from = from;
    }

    /**
     * Claim the mail by its Message-ID: a mail ingested before is not claimed (nothing to do but mark it read); one
     * another instance is ingesting right now fails (MailBusyException) and stays unread for the next poll.
     */
    public void claim(Exchange exchange) throws MessagingException {
        MailMessage in = exchange.getIn(MailMessage.class);
        if (in == null || in.getMessage() == null) {
            throw new IllegalStateException("the exchange holds no mail message");
        }
        OrderMail mail = intake.claim(in.getMessage());
        exchange.setProperty(MAIL, mail);
        if (mail.claimed()) {
            exchange.setProperty(MESSAGE_ID, mail.messageId());
        }
    }

    /** True when this instance claimed the mail and ingests it now. */
    public boolean claimed(Exchange exchange) {
        OrderMail mail = mail(exchange);
        return mail != null && mail.claimed();
    }

    /** The channel the From belongs to, proven by its mail authentication; otherwise stored REJECTED, not answered. */
    public void checkSender(Exchange exchange) throws MessagingException {
        intake.checkSender(mail(exchange));
    }

    /** The attachments, or the body; an unreadable or empty mail is stored REJECTED as a whole. */
    public void readDocuments(Exchange exchange) throws MessagingException {
        intake.readDocuments(mail(exchange));
    }

    /** How many documents the route's loop takes in. */
    public int documentCount(Exchange exchange) {
        return mail(exchange).documentCount();
    }

    /** Store the loop's document as a receipt, before anything can refuse it. */
    public void storeReceipt(Exchange exchange) {
        intake.store(mail(exchange), index(exchange));
    }

    /** Check the loop's document (its size); it goes on to the intake's steps ({@value IntakeSteps#DOCUMENT}). */
    public void checkDocument(Exchange exchange) {
        exchange.setProperty(IntakeSteps.DOCUMENT, intake.check(mail(exchange), index(exchange)));
    }

    /** What became of the loop's document, for the answer. */
    public void recordOutcome(Exchange exchange) {
        intake.record(mail(exchange), index(exchange), IntakeSteps.document(exchange));
    }

    /**
     * The answer becomes the message: a fresh one, so nothing of the mail read (headers, MIME structure) leaks into
     * it. A mail whose sender is unknown or unproven gets none (and is done).
     */
    public void composeAnswer(Exchange exchange) throws MessagingException {
        Optional<MailReply> reply = intake.answer(mail(exchange));
        if (reply.isEmpty()) {
            return;
        }
        Message out = new DefaultMessage(exchange);
        exchange.setMessage(out);
        out.setBody(answer(reply.get()));
        exchange.setProperty(ANSWER, Boolean.TRUE);
    }

    private static OrderMail mail(Exchange exchange) {
        return exchange.getProperty(MAIL, OrderMail.class);
    }

    private static int index(Exchange exchange) {
        return exchange.getProperty(Exchange.LOOP_INDEX, Integer.class);
    }

    /**
     * The answer as a MIME message of its own: plain text, EDI acknowledgements attached, In-Reply-To the
     * order mail, and a Message-ID derived from the order mail's, so an answer sent again after a crash (the
     * server took it, the ledger had not recorded it) is recognisably the same answer.
     */
    MimeMessage answer(MailReply r) throws MessagingException {
        StableIdMimeMessage mime = new StableIdMimeMessage(StableIdMimeMessage.messageId("answer:" + r.messageId(), from));
        mime.setFrom(new InternetAddress(from));
        mime.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(r.to()));
        mime.setSubject(r.subject(), "UTF-8");
        // only a real Message-ID (RFC 5322 msg-id); a mail without one is known by a digest, which is no msg-id
        if (MailReply.isMessageId(r.messageId())) {
            mime.setHeader("In-Reply-To", r.messageId());
            mime.setHeader("References", r.messageId());
        }
        if (r.attachments().isEmpty()) {
            mime.setText(r.text(), "UTF-8");
        } else {
            MimeMultipart mixed = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setText(r.text(), "UTF-8");
            mixed.addBodyPart(text);
            for (MailReply.Attachment a : r.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.body(), a.contentType())));
                part.setFileName(a.name());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            mime.setContent(mixed);
        }
        return mime;
    }

    /** True when the mail is new and has an answer to send. */
    public boolean hasAnswer(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(ANSWER, Boolean.class));
    }

    /** The mail could not be ingested or answered: free its claim so that the next poll takes it over. */
    public void failed(Exchange exchange) {
        String messageId = exchange.getProperty(MESSAGE_ID, String.class);
        if (messageId != null) {
            intake.release(messageId);
        }
    }

    /** The answer is out: the mail is done (the consumer marks it read when the exchange completes). */
    public void answered(Exchange exchange) {
        intake.answered(exchange.getProperty(MESSAGE_ID, String.class));
    }
}
