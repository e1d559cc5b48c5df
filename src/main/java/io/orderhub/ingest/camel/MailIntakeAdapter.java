package io.orderhub.ingest.camel;

import java.util.Optional;

import io.orderhub.ingest.mail.MailIntake;
import io.orderhub.ingest.mail.MailReply;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * Camel side of {@link MailIntake} for routes/email-intake.camel.yaml: hands the polled mail to the
 * intake and turns the answer into the SMTP message (To, Subject, In-Reply-To, text, acknowledgement
 * attachments). A mail ingested before gets no answer.
 */
@Component("mailIntakeAdapter")
public class MailIntakeAdapter {

    /** Exchange property: the Message-ID of the mail being answered. */
    public static final String MESSAGE_ID = "orderhubMailMessageId";

    private final MailIntake intake;

    public MailIntakeAdapter(MailIntake intake) {
        this.intake = intake;
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
        out.setHeader("To", r.to());
        out.setHeader("Subject", r.subject());
        out.setHeader("In-Reply-To", r.messageId());
        out.setHeader("References", r.messageId());
        out.setBody(r.text());
        if (!r.attachments().isEmpty()) {
            AttachmentMessage withAttachments = exchange.getMessage(AttachmentMessage.class);
            for (MailReply.Attachment a : r.attachments()) {
                withAttachments.addAttachment(a.name(), new DataHandler(new ByteArrayDataSource(a.body(), a.contentType())));
            }
        }
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
