package io.orderhub.notify;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.notify.Notifier.NotComposed;
import io.orderhub.security.MaskedMessageConverter;
import io.orderhub.messaging.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Notification dead letters: a mail that could not be sent or composed is recorded in the
 * {@link NotificationLedger} to replay after the fix; a replay composes it again with today's templates
 * and settings and records what became of it.
 */
@Component
class NotificationDeadLetters {

    private static final Logger log = LoggerFactory.getLogger(NotificationDeadLetters.class);

    private final NotificationLedger ledger;
    private final NotificationComposer composer;
    private final NotificationSettings settings;

    NotificationDeadLetters(NotificationLedger ledger, NotificationComposer composer, NotificationSettings settings) {
        this.ledger = ledger;
        this.composer = composer;
        this.settings = settings;
    }

    /**
     * A mail that could not be sent (SMTP failing after the retries, or it could not be composed):
     * recorded as a dead letter to replay after the fix. {@code n} may be null when nothing was composed.
     */
    public void deadLetter(String payload, Notification n, Exception failure, int attempts) {
        Notification letter = n != null ? n : failure instanceof NotComposed nc ? nc.draft() : null;
        if (letter == null) {
            letter = placeholder(payload);
        }
        String reason = failure == null ? "unknown failure"
                : MaskedMessageConverter.mask(failure.getMessage() == null ? failure.toString() : failure.getMessage());
        if (ledger.recordDeadLetter(letter, payload == null ? "" : payload, reason, attempts)) {
            log.warn("notification {} to the {} dead-lettered after {} attempt(s): {}", letter.describe(),
                    letter.recipientKind(), attempts, reason);
        }
    }

    /**
     * The mail of an OPEN notification dead letter, composed again with today's templates and settings;
     * the caller sends it and reports back with {@link Notifier#replayed} or {@link Notifier#replayFailed}.
     */
    public Notification replayable(long letterId) {
        NotificationLedger.Letter letter = ledger.letter(letterId).orElseThrow(() ->
                OrderHubException.field(Problem.NOT_FOUND, "id", "no dead letter " + letterId));
        if (!DeadLetter.OPEN.equals(letter.status())) {
            throw OrderHubException.field(Problem.CONFLICT, "id", "dead letter " + letterId + " is " + letter.status()
                    + " already");
        }
        try {
            return composer.compose(letter.payload(), true).orElseThrow(() -> OrderHubException.field(Problem.CONFLICT, "id",
                    "dead letter " + letterId + " calls for no mail any more (notifications off, channel opted out, "
                            + "no address, or the document is no longer rejected)"));
        } catch (NotComposed e) {
            ledger.recordReplayFailed(letterId, e.getMessage());
            throw new OrderHubException(Problem.INVALID, "replay of dead letter " + letterId + " failed: " + e.getMessage());
        }
    }

    public void replayed(long letterId, Notification n) {
        ledger.recordReplayed(letterId, n);
        log.info("notification dead letter {} ({}) replayed to the {} {}", letterId, n.describe(), n.recipientKind(),
                MaskedMessageConverter.mask(n.to()));
    }

    public void replayFailed(long letterId, Exception failure) {
        String reason = MaskedMessageConverter.mask(failure.getMessage() == null ? failure.toString() : failure.getMessage());
        ledger.recordReplayFailed(letterId, reason);
    }

    private Notification placeholder(String payload) {
        String body = payload == null ? "" : payload;
        String key = UUID.nameUUIDFromBytes(body.getBytes(StandardCharsets.UTF_8)).toString();
        return new Notification(key, Notification.CUSTOMER, "?", null, null, null, "?", settings.from(), null, "?",
                "(not composed)", null, null);
    }
}
