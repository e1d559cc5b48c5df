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
import io.orderhub.sync.outbound.TargetUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@code orders.events} events to the sync targets (ERP, CRM), once in effect: an event
 * already recorded for a target is skipped; otherwise the target's mapping turns it into calls, the
 * calls are made, and the event is recorded as processed together with the order's sync state. A
 * failure propagates as a {@link TargetException} for the route's retry policy; what cannot be
 * delivered becomes a dead letter ({@link #deadLetter}) that an operator replays ({@link #replay}).
 */
public class SyncService {

    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    private final Map<String, SyncTarget> targets = new LinkedHashMap<>();
    private final SyncLedger ledger;
    private final java.util.function.Supplier<List<DeadLetterReplayer>> replayers;
    private final ObjectMapper json;
    private final java.util.Set<String> latestStateOnly;

    public SyncService(List<SyncTarget> targets, SyncLedger ledger, ObjectMapper json) {
        this(targets, ledger, json, List::of, java.util.Set.of());
    }

    /**
     * {@code replayers}: looked up at replay time (they may depend on beans that depend on this one);
     * {@code latestStateOnly}: the targets that need only an order's latest state ({@link #current}).
     */
    public SyncService(List<SyncTarget> targets, SyncLedger ledger, ObjectMapper json,
                       java.util.function.Supplier<List<DeadLetterReplayer>> replayers, java.util.Set<String> latestStateOnly) {
        this.replayers = replayers;
        this.latestStateOnly = java.util.Set.copyOf(latestStateOnly);
        targets.forEach(t -> this.targets.put(t.name(), t));
        this.ledger = ledger;
        this.json = json;
    }

    /** Delivers one event (the JMS message text) to the target named {@code target}. */
    public void deliver(String target, String payload) {
        SyncTarget t = target(target);
        JsonNode tree = parse(target, payload);
        SyncLedger.Event event = event(target, tree, payload);
        List<TargetRequest> requests;
        try {
            requests = t.requests(tree);
        } catch (TargetException e) {
            if (ledger.processed(target, event.eventId())) {
                log.debug("{}: event {} was processed before; nothing to do", target, event.eventId());
                return;
            }
            throw e;
        }
        if (requests.isEmpty()) {
            // the target wants nothing of this event: nothing happens that a redelivery could repeat, so nothing is
            // looked up or recorded either (no database work for the events the mapping passes over)
            log.debug("{}: event {} ({}) gives no call", target, event.eventId(), event.type());
            return;
        }
        if (ledger.processed(target, event.eventId())) {
            log.debug("{}: event {} was processed before; nothing to do", target, event.eventId());
            return;
        }
        for (TargetRequest request : requests) {
            t.send(request);
        }
        if (!ledger.recordDelivered(target, event, requests.size())) {
            log.debug("{}: event {} was recorded meanwhile", target, event.eventId());
        }
    }

    /**
     * For a target that keeps only an order's latest state ({@code orderhub.sync.<target>.latest-state-only}; the
     * CRM, where each event upserts the whole order): false when a later event of the same order is already
     * committed, so this one need not be sent, the later one brings the newer state. Always true for the other
     * targets; a message that is no event is current (delivering it rejects it as before).
     */
    public boolean current(String target, String payload) {
        if (!latestStateOnly.contains(target)) {
            return true;
        }
        JsonNode tree;
        try {
            tree = payload == null ? null : json.readTree(payload);
        } catch (IOException e) {
            return true;
        }
        String eventId = tree == null ? "" : tree.path("eventId").asText("");
        String orderId = tree == null ? "" : tree.path("orderId").asText("");
        if (eventId.isBlank() || orderId.isBlank()) {
            return true;
        }
        boolean current = !ledger.laterOrderEventCommitted(orderId, eventId);
        if (!current) {
            log.debug("event {} of order {} is superseded by a later one; not sent", eventId, orderId);
        }
        return current;
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

    private SyncTarget target(String name) {
        SyncTarget t = targets.get(name);
        if (t == null) {
            // a configuration error, not the event's fault: keep the event on its queue
            throw new TargetUnavailableException(name, null, "no sync target '" + name + "' is configured", null);
        }
        return t;
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
