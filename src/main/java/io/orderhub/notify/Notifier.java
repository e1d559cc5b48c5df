package io.orderhub.notify;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import io.orderhub.security.MaskedMessageConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Decides and composes the hub's mails (docs/notifications.md). For an {@code orders.events} event: the
 * customer of the order hears of it when the channel notifies that event type (not opted out), the
 * order has an e-mail address (customer, else bill-to, else ship-to), and a template exists
 * ({@link CustomerNotices}); for a {@code receipt.rejected} notice: the channel's {@code rejectionsTo}
 * address hears of a REST or JMS document that was rejected ({@link SenderNotices}). Each (event,
 * recipient kind) is mailed once in effect: a mail recorded in the {@link NotificationLedger} (sent or
 * dead-lettered, {@link NotificationDeadLetters}) is not composed again.
 */
@Service
public class Notifier {

    public static final String RECEIPT_REJECTED = "receipt.rejected";

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final NotificationComposer composer;
    private final NotificationDeadLetters deadLetters;
    private final NotificationLedger ledger;

    Notifier(NotificationComposer composer, NotificationDeadLetters deadLetters, NotificationLedger ledger) {
        this.composer = composer;
        this.deadLetters = deadLetters;
        this.ledger = ledger;
    }

    /**
     * The mail an event or rejection notice calls for; empty when none is due (or it was recorded
     * before). {@code replay}: compose it even though a dead letter was recorded for it.
     *
     * @throws NotComposed when the mail is due but cannot be composed (bad message, template failure)
     */
    public Optional<Notification> compose(String payload, boolean replay) {
        return composer.compose(payload, replay);
    }

    /** A mail the SMTP server took: recorded, so a redelivery sends nothing. */
    public void sent(Notification n, int attempts) {
        if (ledger.recordSent(n, attempts)) {
            log.info("notification {} sent to the {} {}", n.describe(), n.recipientKind(), MaskedMessageConverter.mask(n.to()));
        }
    }

    /**
     * A mail that could not be sent (SMTP failing after the retries, or it could not be composed):
     * recorded as a dead letter to replay after the fix. {@code n} may be null when nothing was composed.
     */
    public void deadLetter(String payload, Notification n, Exception failure, int attempts) {
        deadLetters.deadLetter(payload, n, failure, attempts);
    }

    /**
     * The mail of an OPEN notification dead letter, composed again with today's templates and settings;
     * the caller sends it and reports back with {@link #replayed} or {@link #replayFailed}.
     */
    public Notification replayable(long letterId) {
        return deadLetters.replayable(letterId);
    }

    public void replayed(long letterId, Notification n) {
        deadLetters.replayed(letterId, n);
    }

    public void replayFailed(long letterId, Exception failure) {
        deadLetters.replayFailed(letterId, failure);
    }

    /** The key of a rejection notice: one per receipt and attempt, so a replay rejected again is told again. */
    public static String rejectionKey(String receiptId, int attempt) {
        return UUID.nameUUIDFromBytes(("receipt.rejected:" + receiptId + ":" + attempt).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * A due mail that cannot be composed (a message that is not an event, a template that is missing or
     * fails): dead-lettered at once; {@code draft} is what is known of the mail, if anything.
     */
    public static class NotComposed extends RuntimeException {

        private final transient Notification draft;

        public NotComposed(String message, Notification draft) {
            super(message);
            this.draft = draft;
        }

        public Notification draft() {
            return draft;
        }
    }
}
