package io.orderhub.sync;

import io.orderhub.messaging.BulkReplay;
import io.orderhub.messaging.DeadLetter;
import io.orderhub.messaging.DeadLetterFilter;
import io.orderhub.messaging.DeadLetterReplayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.sync.outbound.SyncTarget;
import io.orderhub.sync.outbound.TargetException;
import io.orderhub.sync.outbound.TargetRejectedException;
import io.orderhub.sync.outbound.TargetRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letters of the sync targets and partners: the partner routes (routes/erp-sync, crm-sync, the partnerEvents
 * template; steps in {@link PartnerSync}) record an event they cannot deliver with {@link #deadLetter}; an operator
 * lists, replays ({@link #replay}, through the target's mapping and client, or a {@link DeadLetterReplayer}) and
 * discards them.
 */
public class SyncService {

    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    private final Map<String, SyncTarget> targets = new LinkedHashMap<>();
    private final SyncLedger ledger;
    private final java.util.function.Supplier<List<DeadLetterReplayer>> replayers;
    private final ObjectMapper json;

    public SyncService(List<SyncTarget> targets, SyncLedger ledger, ObjectMapper json) {
        this(targets, ledger, json, List::of);
    }

    /** {@code replayers}: looked up at replay time (they may depend on beans that depend on this one). */
    public SyncService(List<SyncTarget> targets, SyncLedger ledger, ObjectMapper json,
                       java.util.function.Supplier<List<DeadLetterReplayer>> replayers) {
        this.replayers = replayers;
        targets.forEach(t -> this.targets.put(t.name(), t));
        this.ledger = ledger;
        this.json = json;
    }

    /**
     * Records an event the target did not take as a dead letter with the reason. {@code redeliveries}
     * is how often it was retried before giving up (null: not retried).
     */
    public void deadLetter(String target, String payload, Exception failure, Integer redeliveries) {
        SyncLedger.Event event = eventOrPlaceholder(payload);
        Integer status = failure instanceof TargetException te ? te.httpStatus() : null;
        String reason = failure == null ? "unknown failure" : failure.getMessage() == null ? failure.toString() : failure.getMessage();
        int attempts = 1 + (redeliveries == null ? 0 : redeliveries);
        if (ledger.recordDeadLetter(target, event, reason, status, attempts)) {
            log.warn("{}: event {} ({} of order {}) dead-lettered after {} attempt(s): {}", target, event.eventId(),
                    event.type(), event.orderId(), attempts, reason);
        }
    }

    public List<DeadLetter> deadLetters(String status, int limit) {
        return ledger.deadLetters(status, limit);
    }

    /**
     * Runs a dead letter's event again through today's mapping and the target. Success: REPLAYED and
     * the order's sync state moves on. Failure: the letter stays OPEN with the new reason, and the
     * caller gets 422 (refused again) or 503 (target unavailable).
     */
    public DeadLetter replay(long id) {
        DeadLetter letter = ledger.deadLetter(id).orElseThrow(() ->
                OrderHubException.field(Problem.NOT_FOUND, "id", "no dead letter " + id));
        if (!DeadLetter.OPEN.equals(letter.status())) {
            throw OrderHubException.field(Problem.CONFLICT, "id", "dead letter " + id + " is " + letter.status()
                    + " already");
        }
        SyncTarget t = targets.get(letter.target());
        if (t == null) {
            DeadLetterReplayer other = replayers.get().stream().filter(r -> r.replays(letter.target())).findFirst().orElse(null);
            if (other != null) {
                return other.replay(id);
            }
            throw OrderHubException.field(Problem.CONFLICT, "target", "no sync target '" + letter.target()
                    + "' is configured any more");
        }
        String payload = ledger.deadLetterPayload(id).orElseThrow();
        SyncLedger.Event event = event(letter.target(), payload);
        int requests;
        try {
            requests = send(t, payload);
        } catch (TargetException e) {
            ledger.recordReplayFailed(id, e.getMessage(), e.httpStatus());
            Problem problem = e instanceof TargetRejectedException ? Problem.INVALID : Problem.UNAVAILABLE;
            throw new OrderHubException(problem, "replay of dead letter " + id + " failed: " + e.getMessage());
        }
        ledger.recordReplayed(id, letter.target(), event, requests);
        log.info("{}: dead letter {} (event {}) replayed", letter.target(), id, letter.eventId());
        return ledger.deadLetter(id).orElseThrow();
    }

    public List<DeadLetter> deadLetters(DeadLetterFilter filter, int limit) {
        return ledger.deadLetters(filter, limit);
    }

    /**
     * Replays the OPEN dead letters the filter selects (at most {@code limit}), oldest first so a
     * target receives an order's events in their order; each one as {@link #replay} does, a failure
     * leaving that letter OPEN with its new reason and going on with the next.
     */
    public BulkReplay replayAll(DeadLetterFilter filter, int limit) {
        List<DeadLetter> letters = new java.util.ArrayList<>(ledger.deadLetters(filter.withStatus(DeadLetter.OPEN), limit));
        java.util.Collections.reverse(letters);
        List<BulkReplay.Outcome> outcomes = new java.util.ArrayList<>();
        for (DeadLetter letter : letters) {
            try {
                DeadLetter after = replay(letter.id());
                outcomes.add(new BulkReplay.Outcome(letter.id(), letter.orderId(), letter.status(), after.status(), null));
            } catch (OrderHubException e) {
                String now = ledger.deadLetter(letter.id()).map(DeadLetter::status).orElse(letter.status());
                outcomes.add(new BulkReplay.Outcome(letter.id(), letter.orderId(), letter.status(), now, e.getMessage()));
            }
        }
        return BulkReplay.of(outcomes);
    }

    /** Closes an OPEN dead letter without delivering it: DISCARDED, with the operator's reason. */
    public DeadLetter discard(long id, String reason) {
        DeadLetter letter = ledger.deadLetter(id).orElseThrow(() ->
                OrderHubException.field(Problem.NOT_FOUND, "id", "no dead letter " + id));
        if (!ledger.recordDiscarded(id, reason)) {
            throw OrderHubException.field(Problem.CONFLICT, "id", "dead letter " + id + " is "
                    + ledger.deadLetter(id).map(DeadLetter::status).orElse(letter.status()) + " already");
        }
        log.info("{}: dead letter {} (event {} of order {}) discarded", letter.target(), id, letter.eventId(),
                letter.orderId());
        return ledger.deadLetter(id).orElseThrow();
    }

    /** Dead letters per status. */
    public Map<String, Long> deadLetterCounts() {
        return ledger.countByStatus();
    }

    private int send(SyncTarget target, String payload) {
        JsonNode tree = parse(target.name(), payload);
        List<TargetRequest> requests = target.requests(tree);
        for (TargetRequest request : requests) {
            target.send(request);
        }
        return requests.size();
    }

    private SyncLedger.Event event(String target, String payload) {
        return event(target, parse(target, payload), payload);
    }

    private SyncLedger.Event event(String target, JsonNode tree, String payload) {
        String eventId = tree.path("eventId").asText("");
        String orderId = tree.path("orderId").asText("");
        if (eventId.isBlank() || orderId.isBlank()) {
            throw new TargetRejectedException(target, null, "event without eventId or orderId");
        }
        return new SyncLedger.Event(eventId, orderId, tree.path("type").asText(""), tree.path("status").asText(""), payload);
    }

    private SyncLedger.Event eventOrPlaceholder(String payload) {
        try {
            JsonNode tree = json.readTree(payload);
            if (tree.hasNonNull("eventId") && tree.hasNonNull("orderId")) {
                return new SyncLedger.Event(tree.get("eventId").asText(), tree.get("orderId").asText(),
                        tree.path("type").asText(""), tree.path("status").asText(""), payload);
            }
        } catch (IOException | RuntimeException e) {
            // fall through: a message that is not an event is kept under a derived id
        }
        String body = payload == null ? "" : payload;
        return new SyncLedger.Event(UUID.nameUUIDFromBytes(body.getBytes(StandardCharsets.UTF_8)).toString(), "?", "?", "?",
                body);
    }

    private JsonNode parse(String target, String payload) {
        try {
            JsonNode tree = payload == null ? null : json.readTree(payload);
            if (tree == null || !tree.isObject()) {
                throw new TargetRejectedException(target, null, "the message is not an orders.events JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new TargetRejectedException(target, null, "the message is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }
}
