package io.orderhub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The CRM takes an order's latest state only (routes/crm-sync.camel.yaml, crmLatestStateOnly: partnerSync.current): an event that a
 * later committed event of the same order supersedes is not sent; the ERP, which needs every step, gets each.
 */
class CrmLatestStateTest extends HubTestSupport {

    @Autowired
    PartnerSync sync;

    @Test
    void anEventIsCurrentForTheCrmUntilALaterOrderEventOfTheSameOrderIsCommitted() {
        String orderId = "ORD-LS" + System.nanoTime() % 100_000_000;
        String created = event(orderId, "order.created", "CREATED");
        assertThat(current(created, true)).isTrue();

        // an event about a part of the order carries no order state: it supersedes nothing
        event(orderId, "shipment.packed", "CREATED");
        assertThat(current(created, true)).isTrue();

        // another order's events change nothing for this one
        event("ORD-OTHER" + System.nanoTime() % 1_000_000, "order.confirmed", "CONFIRMED");
        assertThat(current(created, true)).isTrue();

        String confirmed = event(orderId, "order.confirmed", "CONFIRMED");
        assertThat(current(created, true)).as("superseded by order.confirmed").isFalse();
        assertThat(current(confirmed, true)).isTrue();
        assertThat(current(created, false)).as("the ERP gets every step").isTrue();
    }

    private boolean current(String payload, boolean latestStateOnly) {
        return sync.current(sync.read("crm", payload), latestStateOnly);
    }

    /** Commits an outbox row as a state change would and returns its message text. */
    private String event(String orderId, String type, String status) {
        String eventId = UUID.randomUUID().toString();
        String payload = "{\"eventId\":\"" + eventId + "\",\"orderId\":\"" + orderId + "\",\"type\":\"" + type
                + "\",\"status\":\"" + status + "\",\"data\":{}}";
        // published already, so the relay leaves the row alone
        jdbc.update("insert into outbox (event_id, order_id, type, status, at, payload, published_at) values (?, ?, ?, ?, ?, ?, ?)",
                eventId, orderId, type, status, Timestamp.from(Instant.now()), payload, Timestamp.from(Instant.now()));
        return payload;
    }
}
