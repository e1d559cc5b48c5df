package io.orderhub.sync.outbound;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A system the hub keeps in sync with order events (ERP, CRM, ...): turns an event into the calls
 * the system should receive (through its mapping file) and makes them over its wire protocol.
 * Domain code: no Camel. The sync routes (routes/erp-sync, crm-sync) make the calls with {@code to: http} and use
 * the target's request shaping ({@code ErpTarget.calls}, {@code CrmTarget.upserts}) through
 * {@link io.orderhub.sync.PartnerSync}; {@link io.orderhub.sync.SyncService} replays dead letters through
 * {@link #requests} and {@link #send}.
 */
public interface SyncTarget {

    /** Short name, e.g. {@code erp}; keys processed events, sync state and dead letters. */
    String name();

    /** The mapping file that shapes the requests, for reasons and the README. */
    String mappingFile();

    /** The calls this event needs; empty when the target does not care about it. */
    List<TargetRequest> requests(JsonNode event);

    /** Makes one call; throws a {@link TargetException} unless the target accepted it. */
    void send(TargetRequest request);

    /** The last call to the system and the failures in a row (health); null when not tracked. */
    default io.orderhub.common.CallRecord calls() {
        return null;
    }
}
