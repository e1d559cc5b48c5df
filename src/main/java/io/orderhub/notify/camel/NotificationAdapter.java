package io.orderhub.notify.camel;

import java.util.Optional;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.common.StableIdMimeMessage;
import io.orderhub.notify.Notification;
import io.orderhub.notify.Notifier;
import io.orderhub.messaging.DeadLetter;
import io.orderhub.sync.SyncLedger;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * Camel side of {@link Notifier} for routes/notifications.camel.yaml: turns an event or rejection notice
 * into the SMTP message (a MIME message of its own: To, From, Reply-To, Subject, multipart/alternative
 * with the plain text and the HTML, and a Message-ID derived from the event and the recipient kind, which
 * camel-mail sends as it is), records what went out or became a dead letter, and replays notification dead letters through the same
 * sending route.
 */
@Component("notificationAdapter")
public class NotificationAdapter implements io.orderhub.messaging.DeadLetterReplayer {

    /** Exchange property: the mail being sent. */
    public static final String NOTIFICATION = "orderhubNotification";
    /** Exchange property: the JMS message text it came from (kept for the dead letter). */
    public static final String PAYLOAD = "orderhubNotificationPayload";
    public static final String SEND_ROUTE = "direct:sendNotificationMail";

    private final Notifier notifier;
    private final SyncLedger deadLetters;
    private final CamelContext camel;
    private final ProducerTemplate producer;

    public NotificationAdapter(Notifier notifier, SyncLedger deadLetters, CamelContext camel) {
        this.notifier = notifier;
        this.deadLetters = deadLetters;
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
    }

    /** Composes the mail the message calls for, if any, and makes it the exchange's message. */
    public void compose(Exchange exchange) {
        String payload = exchange.getMessage().getBody(String.class);
        exchange.setProperty(PAYLOAD, payload);
        Optional<Notification> mail = notifier.compose(payload, false);
        mail.ifPresent(n -> toMail(exchange, n));
    }

    /** True when a mail is to be sent. */
    public boolean hasMail(Exchange exchange) {
        return exchange.getProperty(NOTIFICATION) != null;
    }

    /** The SMTP server took the mail: recorded, so a redelivered event sends nothing. */
    public void sent(Exchange exchange) {
        notifier.sent(exchange.getProperty(NOTIFICATION, Notification.class), attempts(exchange, null));
    }

    /** The mail could not be sent (or composed): a dead letter, replayable. */
    public void deadLetter(Exchange exchange, Integer maxRedeliveries) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        notifier.deadLetter(exchange.getProperty(PAYLOAD, String.class), exchange.getProperty(NOTIFICATION, Notification.class),
                failure, attempts(exchange, maxRedeliveries));
    }

    /**
     * Sends a notification dead letter again, composed with today's templates and settings, through the
     * sending route: REPLAYED on success; on an SMTP failure the letter stays OPEN with the new reason and
     * the caller gets 503.
     */
    @Override
    public boolean replays(String target) {
        return io.orderhub.notify.NotificationLedger.isNotificationTarget(target);
    }

    @Override
    public DeadLetter replay(long letterId) {
        Notification n = notifier.replayable(letterId);
        Exchange exchange = new DefaultExchange(camel);
        toMail(exchange, n);
        Exchange done = producer.send(SEND_ROUTE, exchange);
        if (done.getException() != null) {
            notifier.replayFailed(letterId, done.getException());
            throw new OrderHubException(Problem.UNAVAILABLE, "replay of dead letter " + letterId
                    + " failed, the mail server did not take the mail: " + done.getException().getMessage());
        }
        notifier.replayed(letterId, n);
        return deadLetters.deadLetter(letterId).orElseThrow();
    }

    /**
     * The mail as a MIME message of its own (HTML with a plain-text alternative), so its Message-ID is the
     * stable one of its event and recipient kind: a copy sent again after a crash (SMTP took it, the ledger
     * had not recorded it yet) carries the same Message-ID as the first.
     */
    private static void toMail(Exchange exchange, Notification n) {
        exchange.setProperty(NOTIFICATION, n);
        // a fresh message: nothing of the JMS message (group id, event type) becomes a mail header
        Message mail = new DefaultMessage(exchange);
        try {
            StableIdMimeMessage mime = new StableIdMimeMessage(StableIdMimeMessage.messageId(
                    "notification:" + n.key() + ":" + n.recipientKind(), n.from()));
            mime.setFrom(new InternetAddress(n.from()));
            mime.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(n.to()));
            if (n.replyTo() != null) {
                mime.setReplyTo(InternetAddress.parse(n.replyTo()));
            }
            mime.setSubject(n.subject(), "UTF-8");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart(n.text(), "plain"));
            alternative.addBodyPart(textPart(n.html(), "html"));
            mime.setContent(alternative);
            mail.setBody(mime);
        } catch (jakarta.mail.MessagingException e) {
            throw new Notifier.NotComposed("the mail for " + n.describe() + " cannot be composed: " + e.getMessage(), n);
        }
        exchange.setMessage(mail);
    }

    /** Tries made: after exhausted retries 1 + the limit; otherwise 1 + the redeliveries so far. */
    private static int attempts(Exchange exchange, Integer maxRedeliveries) {
        if (maxRedeliveries != null) {
            return 1 + maxRedeliveries;
        }
        Integer counter = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return 1 + (counter == null ? 0 : counter);
    }

    /**
     * A UTF-8 text part with its transfer encoding already chosen. Left unset, Jakarta Mail chooses it when the
     * message is saved by writing the whole text through an encoder to count its bytes (about a tenth of the
     * notifier's CPU, issue 17); the text is at hand here, so its bytes are counted from the string instead, with
     * the same rule: 7bit for ASCII in lines of at most 998 characters, quoted-printable when most bytes are ASCII,
     * else base64.
     */
    static MimeBodyPart textPart(String content, String subtype) throws jakarta.mail.MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, "UTF-8", subtype);
        part.setHeader("Content-Transfer-Encoding", transferEncoding(content));
        return part;
    }

    static String transferEncoding(String text) {
        long ascii = 0;
        long other = 0;
        int line = 0;
        boolean longLine = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                ascii++;
                line = 0;
                continue;
            }
            longLine |= ++line > 998;
            if (c < 0x80) {
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    other++;
                } else {
                    ascii++;
                }
            } else {
                // UTF-8 bytes: 2 below U+0800, 3 for the rest of the BMP, 2 + 2 for a surrogate pair
                other += c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            }
        }
        if (other == 0) {
            return longLine ? "quoted-printable" : "7bit";
        }
        return ascii > other ? "quoted-printable" : "base64";
    }
}
