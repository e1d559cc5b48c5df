package io.orderhub.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.AfterCommitHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Entry points of the inventory stages for the lifecycle events of {@code orders.events}
 * ({eventId, orderId, type, ...}); the routes in {@code routes/inventory-stages.camel.yaml} call
 * them. An event of another type is ignored; a malformed one fails (and goes to the dead letter
 * queue after the broker's redeliveries).
 */
@Component("inventoryStages")
public class InventoryStages {

    private static final Logger log = LoggerFactory.getLogger(InventoryStages.class);

    private final ReservationService reservations;
    private final AllocationService allocations;
    private final ReservationExpiry expiry;
    private final ObjectMapper json;
    private final AfterCommitHook faults;

    public InventoryStages(ReservationService reservations, AllocationService allocations, ReservationExpiry expiry,
                           ObjectMapper json, AfterCommitHook faults) {
        this.faults = faults;
        this.reservations = reservations;
        this.allocations = allocations;
        this.expiry = expiry;
        this.json = json;
    }

    public StageResult reserve(String event) {
        Event e = read(event);
        if (!"order.created".equals(e.type())) {
            return new StageResult(e.orderId(), StageResult.Outcome.SKIPPED, "not an order.created event");
        }
        StageResult r = reservations.onOrderCreated(e.eventId(), e.orderId());
        // the reservation is committed; the event is not acknowledged until the route ends
        faults.afterCommit(AfterCommitHook.INVENTORY_RESERVE);
        log.debug("reservation stage: {}", r);
        return r;
    }

    public StageResult allocate(String event) {
        Event e = read(event);
        if (!"order.paid".equals(e.type())) {
            return new StageResult(e.orderId(), StageResult.Outcome.SKIPPED, "not an order.paid event");
        }
        StageResult r = allocations.onOrderPaid(e.eventId(), e.orderId());
        log.debug("allocation stage: {}", r);
        return r;
    }

    public int expireReservations() {
        int n = expiry.expire().size();
        if (n > 0) {
            log.info("cancelled {} orders whose reservations expired", n);
        }
        return n;
    }

    private record Event(String eventId, String orderId, String type) {
    }

    private Event read(String body) {
        try {
            JsonNode n = json.readTree(body);
            String eventId = n.path("eventId").asText(null);
            String orderId = n.path("orderId").asText(null);
            if (eventId == null || orderId == null) {
                throw new IllegalArgumentException("event without eventId or orderId");
            }
            return new Event(eventId, orderId, n.path("type").asText(""));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("event is not JSON: " + e.getMessage(), e);
        }
    }
}
