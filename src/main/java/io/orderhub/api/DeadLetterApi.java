package io.orderhub.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.audit.AuditLog;
import io.orderhub.security.Caller;
import io.orderhub.messaging.BulkReplay;
import io.orderhub.messaging.DeadLetter;
import io.orderhub.messaging.DeadLetterFilter;
import io.orderhub.sync.SyncService;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads the dead-letter endpoints' requests into {@link SyncService} calls (routes/ops-dead-letters.camel.yaml):
 * list by filter, replay one or all a filter selects, discard one with a reason. Replays and discards
 * are audited (who, what, status before and after).
 */
@Component("deadLetterApi")
public class DeadLetterApi {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_BULK = 500;
    private static final Set<String> STATUSES = Set.of(DeadLetter.OPEN, DeadLetter.REPLAYED, DeadLetter.DISCARDED);
    private static final Set<String> BULK_FIELDS = Set.of("target", "orderId", "reason", "olderThan", "newerThan", "ids",
            "limit");

    private final SyncService sync;
    private final AuditLog audit;
    private final Clock clock;

    public DeadLetterApi(SyncService sync, AuditLog audit, Clock clock) {
        this.sync = sync;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code status, target, orderId, reason} (part of it), {@code olderThan, newerThan} (duration or time), {@code limit}. */
    public void list(Exchange exchange) {
        OpsFilters f = OpsFilters.query(clock);
        DeadLetterFilter filter = new DeadLetterFilter(
                f.oneOf("status", ApiExchange.header(exchange, "status"), STATUSES),
                f.text("target", ApiExchange.header(exchange, "target"), 32),
                f.text("orderId", ApiExchange.header(exchange, "orderId"), 20),
                f.text("reason", ApiExchange.header(exchange, "reason"), 200),
                f.instant("olderThan", ApiExchange.header(exchange, "olderThan")),
                f.instant("newerThan", ApiExchange.header(exchange, "newerThan")), null);
        int limit = f.limit("limit", ApiExchange.header(exchange, "limit"), DEFAULT_LIMIT, MAX_LIMIT);
        f.check();
        exchange.getMessage().setBody(sync.deadLetters(filter, limit));
    }

    public void replay(Exchange exchange) {
        long id = id(exchange);
        Caller caller = ApiExchange.caller(exchange);
        try {
            DeadLetter after = sync.replay(id);
            audit.record(caller, "deadLetter.replay", target(id), DeadLetter.OPEN, after.status(), "order " + after.orderId());
            exchange.getMessage().setBody(after);
        } catch (OrderHubException e) {
            if (e.problem() == Problem.INVALID || e.problem() == Problem.UNAVAILABLE) {
                audit.record(caller, "deadLetter.replay", target(id), DeadLetter.OPEN, DeadLetter.OPEN, e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Body: the filter ({@code target, orderId, reason, olderThan, newerThan, ids, limit}); at least
     * one criterion, so an empty body never replays everything by accident. Answers the counts and
     * each letter's outcome.
     */
    public void replayAll(Exchange exchange) {
        OpsFilters f = OpsFilters.body(clock);
        JsonNode body = f.object(exchange.getMessage().getBody(byte[].class), BULK_FIELDS);
        List<String> idTexts = f.strings(body, "ids", MAX_BULK);
        List<Long> ids = null;
        if (idTexts != null) {
            ids = new ArrayList<>();
            for (int i = 0; i < idTexts.size(); i++) {
                try {
                    ids.add(Long.parseLong(idTexts.get(i)));
                } catch (NumberFormatException e) {
                    f.problem("ids/" + i, "must be a dead letter's number");
                }
            }
        }
        DeadLetterFilter filter = new DeadLetterFilter(DeadLetter.OPEN, f.text(body, "target", 32),
                f.text(body, "orderId", 20), f.text(body, "reason", 200), f.instant(body, "olderThan"),
                f.instant(body, "newerThan"), ids);
        int limit = f.limit(body, "limit", MAX_BULK, MAX_BULK);
        if (filter.unbounded()) {
            f.problem("", "name at least one of target, orderId, reason, olderThan, newerThan or ids;"
                    + " an empty filter would replay every open dead letter");
        }
        f.check();
        Caller caller = ApiExchange.caller(exchange);
        BulkReplay result = sync.replayAll(filter, limit);
        for (BulkReplay.Outcome o : result.letters()) {
            audit.record(caller, "deadLetter.replay", target(o.id()), o.before(), o.after(),
                    "bulk replay; order " + o.orderId() + (o.error() == null ? "" : "; " + o.error()));
        }
        audit.record(caller, "deadLetters.replay", "dead-letters", null,
                result.replayed() + " replayed, " + result.failed() + " failed", "filter " + body);
        exchange.getMessage().setBody(result);
    }

    /** Body {@code {"reason": "..."}} (required): the letter becomes DISCARDED and is never delivered. */
    public void discard(Exchange exchange) {
        long id = id(exchange);
        OpsFilters f = OpsFilters.body(clock);
        JsonNode body = f.object(exchange.getMessage().getBody(byte[].class), Set.of("reason"));
        JsonNode given = body.path("reason");
        String reason = f.text(body, "reason", 500);
        if (reason == null && (given.isMissingNode() || given.isNull() || given.isTextual() && given.asText().isBlank())) {
            f.problem("reason", "is required: say why this dead letter needs no delivery");
        }
        f.check();
        DeadLetter after = sync.discard(id, reason);
        audit.record(ApiExchange.caller(exchange), "deadLetter.discard", target(id), DeadLetter.OPEN, after.status(),
                reason + " (order " + after.orderId() + ")");
        exchange.getMessage().setBody(after);
    }

    static String target(long id) {
        return "dead-letter/" + id;
    }

    private static long id(Exchange exchange) {
        String text = ApiExchange.header(exchange, "id");
        try {
            return Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw OrderHubException.field(Problem.MALFORMED, "id", "must be a dead letter's number, not '" + text + "'");
        }
    }
}
