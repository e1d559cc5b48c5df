package io.orderhub.ingest.camel;

import java.util.Optional;

import io.orderhub.common.StableIdMimeMessage;
import io.orderhub.ingest.mail.MailIntake;
import io.orderhub.ingest.mail.MailReply;
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
 * Camel side of {@link MailIntake} for routes/email-intake.camel.yaml: hands the polled mail to the
 * intake and turns the answer into the SMTP message (To, Subject, In-Reply-To, text, acknowledgement
 * attachments, a stable Message-ID). A mail ingested before gets no answer.
 */
@Component("mailIntakeAdapter")
public class MailIntakeAdapter {

    /** Exchange property: the Message-ID of the mail being answered. */
    public static final String MESSAGE_ID = "orderhubMailMessageId";

    private final MailIntake intake;
    private final String from;

    public MailIntakeAdapter(MailIntake intake, @Value("${orderhub.mail.smtp.from}") String from) {
        this.intake = intake;
        this.from = from;
    }

    public void receive(Exchange exchange) throws Exception {
        MailMessage in = exchange.getIn(MailMessage.class);
        if (in == null || in.getMessage() == null) {
            throw new IllegalStateException("the exchange holds no mail message");
        }
        Optional<MailReply> reply = intake.receive(in.getMessage());
        if (reply.isEmpty()) {
            return;
        }
        MailReply r = reply.get();
        exchange.setProperty(MESSAGE_ID, r.messageId());
        // a fresh message: nothing of the mail read (headers, MIME structure) leaks into the answer
        Message out = new DefaultMessage(exchange);
        exchange.setMessage(out);
        out.setBody(answer(r));
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
        return exchange.getProperty(MESSAGE_ID) != null;
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
