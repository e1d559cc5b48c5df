package io.orderhub.api;

import java.util.Locale;
import java.util.Set;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.notify.NotificationLedger;
import io.orderhub.notify.camel.NotificationAdapter;
import io.orderhub.sync.DeadLetter;
import io.orderhub.sync.SyncLedger;
import io.orderhub.sync.SyncService;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads the dead-letter endpoints' requests into {@link SyncService} calls (routes/ops-dead-letters.camel.yaml);
 * notification dead letters (targets {@code notify.*}) are replayed by the notifier.
 */
@Component("deadLetterApi")
public class DeadLetterApi {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Set<String> STATUSES = Set.of(DeadLetter.OPEN, DeadLetter.REPLAYED);

    private final SyncService sync;
    private final SyncLedger ledger;
    private final NotificationAdapter notifications;

    public DeadLetterApi(SyncService sync, SyncLedger ledger, NotificationAdapter notifications) {
        this.sync = sync;
        this.ledger = ledger;
        this.notifications = notifications;
    }

    public void list(Exchange exchange) {
        String status = ApiExchange.header(exchange, "status");
        if (status != null && !status.isBlank()) {
            status = status.trim().toUpperCase(Locale.ROOT);
            if (!STATUSES.contains(status)) {
                throw OrderHubException.field(Problem.MALFORMED, "status", "must be one of " + STATUSES);
            }
        } else {
            status = null;
        }
        int limit = DEFAULT_LIMIT;
        String text = ApiExchange.header(exchange, "limit");
        if (text != null && !text.isBlank()) {
            try {
                limit = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw OrderHubException.field(Problem.MALFORMED, "limit", "must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        exchange.getMessage().setBody(sync.deadLetters(status, limit));
    }

    public void replay(Exchange exchange) {
        String text = ApiExchange.header(exchange, "id");
        long id;
        try {
            id = Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw OrderHubException.field(Problem.MALFORMED, "id", "must be a dead letter's number, not '" + text + "'");
        }
        boolean notification = ledger.deadLetter(id).map(DeadLetter::target)
                .filter(NotificationLedger::isNotificationTarget).isPresent();
        exchange.getMessage().setBody(notification ? notifications.replay(id) : sync.replay(id));
    }
}
