package io.orderhub.sync;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.CallRecord;
import io.orderhub.sync.crm.CrmTarget;
import io.orderhub.sync.erp.ErpTarget;
import io.orderhub.sync.outbound.HttpTarget;
import io.orderhub.sync.outbound.RecordSupersededException;
import io.orderhub.sync.outbound.SyncTarget;
import io.orderhub.sync.outbound.TargetRejectedException;
import io.orderhub.sync.outbound.TargetRequest;
import io.orderhub.sync.outbound.TargetUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the partner routes ({@code routes/erp-sync.camel.yaml}, {@code crm-sync.camel.yaml} and every
 * instance of the {@code partnerEvents} template), bean {@code partnerSync}: the route shows the steps (filter,
 * mapping by URI, {@code to: http}, circuit breaker, retries); this bean reads the event once, turns the mapping's
 * result into calls, says whether the ledger has the event already, what the partner's answer means, and records
 * the delivery with the order's sync state in one database transaction ({@link SyncLedger}). No Camel here.
 */
public class PartnerSync {

    private static final Logger log = LoggerFactory.getLogger(PartnerSync.class);
    /** How long {@link #claim} waits for another event's consumer to finish sending a shared record. */
    static final Duration CLAIM_WAIT = Duration.ofSeconds(5);
    private static final Duration CLAIM_FIRST_PAUSE = Duration.ofMillis(5);
    private static final Duration CLAIM_MAX_PAUSE = Duration.ofMillis(200);

    private final SyncLedger ledger;
    private final ObjectMapper json;
    private final Map<String, CallRecord> calls = new ConcurrentHashMap<>();

    public PartnerSync(SyncLedger ledger, ObjectMapper json, List<SyncTarget> targets) {
        this.ledger = ledger;
        this.json = json;
        // the ERP's and CRM's call records are the ones the partners health group shows (ConnectorHealth)
        targets.forEach(t -> {
            if (t.calls() != null) {
                calls.put(t.name(), t.calls());
            }
        });
    }

    /** An {@code orders.events} message, read once: its identifying parts, its text and its tree. */
    public record Event(String eventId, String orderId, String type, String status, String payload, JsonNode tree) {

        SyncLedger.Event ledger() {
            return new SyncLedger.Event(eventId, orderId, type, status, payload);
        }

        /** When the event happened (its {@code at}); the epoch for an event without a readable one. */
        public Instant at() {
            String at = tree == null ? "" : tree.path("at").asText("");
            try {
                return at.isEmpty() ? Instant.EPOCH : Instant.parse(at);
            } catch (DateTimeParseException e) {
                return Instant.EPOCH;
            }
        }
    }

    /** Reads the message; one that is no event (not JSON, no eventId or orderId) is rejected: a dead letter at once. */
    public Event read(String target, String payload) {
        JsonNode tree;
        try {
            tree = payload == null ? null : json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new TargetRejectedException(target, null, "the message is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TargetRejectedException(target, null, "the message is not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new TargetRejectedException(target, null, "the message is not an orders.events JSON object");
        }
        String eventId = tree.path("eventId").asText("");
        String orderId = tree.path("orderId").asText("");
        if (eventId.isBlank() || orderId.isBlank()) {
            throw new TargetRejectedException(target, null, "event without eventId or orderId");
        }
        return new Event(eventId, orderId, tree.path("type").asText(""), tree.path("status").asText(""), payload, tree);
    }

    /**
     * For a partner that keeps only an order's latest state ({@code latestStateOnly} true, e.g. the CRM, where every
     * event upserts the whole order): false when a later event of the same order is already committed, which follows
     * on the partner's queue with the newer state. Always true otherwise.
     */
    public boolean current(Event event, boolean latestStateOnly) {
        if (!latestStateOnly) {
            return true;
        }
        boolean current = !ledger.laterOrderEventCommitted(event.orderId(), event.eventId());
        if (!current) {
            log.debug("event {} of order {} is superseded by a later one; not sent", event.eventId(), event.orderId());
        }
        return current;
    }

    /** The calls a REST mapping's result asks for ({@code [{method, path, body, idempotencyKey?}]}, see {@link ErpTarget#calls}). */
    public List<TargetRequest> restCalls(String target, String mapping, Event event, JsonNode mapped) {
        return ErpTarget.calls(target, mapping, event.eventId(), entries(target, mapping, mapped));
    }

    /** The Salesforce upserts a CRM mapping's result asks for ({@code [{type, externalIdField, id, record}]}, see {@link CrmTarget#upserts}). */
    public List<TargetRequest> salesforceUpserts(String target, String mapping, String apiVersion, Event event, JsonNode mapped) {
        return CrmTarget.upserts(target, mapping, apiVersion, event.eventId(), entries(target, mapping, mapped));
    }

    /**
     * Whether this call may go out now. A call to a record of its own order always may. A call to a record that the
     * events of several orders write (its type among {@code sharedTypes}, comma-separated: the CRM's Account, one per
     * customer) claims the record for this event first ({@link SyncLedger#claimRecord}):
     * <ul>
     * <li>false when a newer event claimed it already: that event carries the customer's newer state, and this one
     * must not write an older one over it (with several consumers, or instances, a customer's orders are handled in
     * parallel; message groups keep only each order's own events in sequence);</li>
     * <li>while another event's consumer is sending the record, waits for it (up to {@link #CLAIM_WAIT}, then the
     * event is retried as for an unavailable partner); only the newest waiting event waits, the older ones are
     * passed over;</li>
     * <li>else true, and the record is this event's until its outcome is recorded ({@link #delivered}, or its dead
     * letter), or for {@code leaseSeconds} if its consumer dies.</li>
     * </ul>
     */
    public boolean claim(String target, TargetRequest request, Event event, String sharedTypes, int leaseSeconds) {
        if (!shared(request, sharedTypes)) {
            return true;
        }
        Duration lease = Duration.ofSeconds(leaseSeconds);
        long deadline = System.nanoTime() + CLAIM_WAIT.toNanos();
        long pause = CLAIM_FIRST_PAUSE.toNanos();
        while (true) {
            switch (ledger.claimRecord(target, request.record(), event.eventId(), event.at(), lease)) {
                case CLAIMED:
                    return true;
                case SUPERSEDED:
                    log.debug("{}: {} of event {} is not sent: a newer event of the same record was claimed", target,
                            request.recordType(), event.eventId());
                    return false;
                default:
                    if (System.nanoTime() - deadline > 0) {
                        throw new TargetUnavailableException(target, null, "the " + request.recordType()
                                + " record is being sent for another event; event " + event.eventId() + " waits for it", null);
                    }
                    // the other event's call usually takes milliseconds; asked again at growing intervals
                    LockSupport.parkNanos(pause);
                    pause = Math.min(pause * 2, CLAIM_MAX_PAUSE.toNanos());
            }
        }
    }

    /**
     * Before a call that is retried in place ({@code redelivery} above 0): keeps the event's claim on a shared record
     * ({@link #claim}) for another {@code leaseSeconds}. Throws {@link RecordSupersededException} when the claim
     * lapsed during the retries and a newer event took the record: this event's route fails, and its redelivery finds
     * the record superseded. Nothing to do for the first attempt or a record of one order.
     */
    public void hold(String target, TargetRequest request, Event event, String sharedTypes, int leaseSeconds,
                     Integer redelivery) {
        if (redelivery == null || redelivery <= 0 || !shared(request, sharedTypes)) {
            return;
        }
        if (!ledger.holdRecord(target, request.record(), event.eventId(), Duration.ofSeconds(leaseSeconds))) {
            throw new RecordSupersededException(target, request.recordType(), event.eventId());
        }
    }

    private static boolean shared(TargetRequest request, String sharedTypes) {
        String type = request.recordType();
        if (type == null || sharedTypes == null || sharedTypes.isBlank()) {
            return false;
        }
        for (String shared : sharedTypes.split(",")) {
            if (shared.trim().equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** The idempotency check: false when the ledger holds the event for this partner already (delivered or dead letter). */
    public boolean notProcessed(String target, Event event) {
        boolean processed = ledger.processed(target, event.eventId());
        if (processed) {
            log.debug("{}: event {} was processed before; nothing to do", target, event.eventId());
        }
        return !processed;
    }

    /** The {@code index}-th call of the event (the route's loop). */
    public TargetRequest request(List<TargetRequest> requests, int index) {
        return requests.get(index);
    }

    /** The call's body as JSON bytes (amounts exact), or null for a call without one. */
    public byte[] body(TargetRequest request) throws JsonProcessingException {
        return request.body() == null ? null : json.writeValueAsBytes(request.body());
    }

    /**
     * Inside the partner's circuit breaker: an answer that says the partner is unavailable (408/425/429/502/503/504)
     * or failing (other 5xx) throws, and counts against the breaker; any other answer passes on to {@link #answered}.
     */
    public void available(String target, TargetRequest request, int status, String body) {
        if (status >= 500 || HttpTarget.unavailable(status)) {
            HttpTarget.answered(target, calls(target), HttpTarget.describe(request), status, body);
        }
    }

    /** After the breaker: 2xx returns; any other answer (4xx) is a refusal, a dead letter at once (see {@link HttpTarget#answered}). */
    public void answered(String target, TargetRequest request, int status, String body) {
        HttpTarget.answered(target, calls(target), HttpTarget.describe(request), status, body);
    }

    /** The call got no answer (connection refused or reset, timeout): the partner is unavailable, wait and retry. */
    public void unreachable(String target, TargetRequest request, Exception failure) {
        throw HttpTarget.unreachable(target, calls(target), HttpTarget.describe(request), failure);
    }

    /** Records the event as processed and the order's sync state, in one database transaction. */
    public void delivered(String target, Event event, int requests) {
        if (!ledger.recordDelivered(target, event.ledger(), requests)) {
            log.debug("{}: event {} was recorded meanwhile", target, event.eventId());
        }
    }

    /** The partner's last call and failures in a row. */
    public CallRecord calls(String target) {
        return calls.computeIfAbsent(target, t -> new CallRecord());
    }

    private static List<JsonNode> entries(String target, String mapping, JsonNode mapped) {
        if (mapped == null || mapped.isNull() || mapped.isMissingNode()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : mapped.isArray() ? mapped : List.of(mapped)) {
            if (!entry.isObject()) {
                throw new TargetRejectedException(target, null, "mapping " + mapping + " must return objects, not "
                        + entry.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            out.add(entry);
        }
        return out;
    }
}
