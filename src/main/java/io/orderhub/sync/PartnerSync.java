package io.orderhub.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.CallRecord;
import io.orderhub.sync.crm.CrmTarget;
import io.orderhub.sync.erp.ErpTarget;
import io.orderhub.sync.outbound.HttpTarget;
import io.orderhub.sync.outbound.SyncTarget;
import io.orderhub.sync.outbound.TargetRejectedException;
import io.orderhub.sync.outbound.TargetRequest;
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
