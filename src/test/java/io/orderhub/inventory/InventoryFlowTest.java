package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The inventory stages end to end: REST order → outbox → orders.events → reservation stage →
 * CONFIRMED / BACKORDERED / CANCELLED; replenishment confirming backorders first come first
 * served; cancellation releasing stock; payment → allocation with shipments, pick lists, packing.
 */
class InventoryFlowTest extends InventoryTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate namedJdbc;

    @Autowired
    OrderService orders;
    @Autowired
    ReservationService reservations;
    @Autowired
    ReservationExpiry expiry;
    @Autowired
    WarehouseWork warehouseWork;

    @Test
    void createdOrderIsConfirmedWithStockReserved() {
        String sku = product(5, 0);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", sku, 2));
        awaitStatus(orderId, "CONFIRMED");

        JsonNode eu = warehouse(sku, "eu-central");
        assertThat(eu.get("onHand").asInt()).isEqualTo(5);
        assertThat(eu.get("reserved").asInt()).isEqualTo(2);
        assertThat(eu.get("available").asInt()).isEqualTo(3);
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(3);
        JsonNode events = get("/api/orders/" + orderId + "/events", WEBSHOP_KEY).body();
        assertThat(events.get(1).get("type").asText()).isEqualTo("order.confirmed");
        assertThat(events.get(1).get("detail").asText()).contains("2 x " + sku + " in eu-central");
        assertLedgerMatchesStock(sku);
    }

    @Test
    void theSameEventTwiceActsOnce() {
        String sku = product(5, 0);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", sku, 1));
        awaitStatus(orderId, "CONFIRMED");
        String eventId = jdbc.queryForObject("select event_id from outbox where order_id = ? and type = 'order.created'",
                String.class, orderId);
        StageResult again = reservations.onOrderCreated(eventId, orderId);
        assertThat(again.outcome()).isEqualTo(StageResult.Outcome.DUPLICATE);
        assertThat(warehouse(sku, "eu-central").get("reserved").asInt()).isEqualTo(1);
        assertThat(reservations.onOrderCreated("another-event-id", orderId).outcome()).isEqualTo(StageResult.Outcome.SKIPPED);
        assertLedgerMatchesStock(sku);
    }

    @Test
    void shortStockCancelsWithoutBackordersAndReservesNothing() {
        String plenty = product(10, 10);
        String scarce = product(1, 1);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", plenty, 3, scarce, 5));
        awaitStatus(orderId, "CANCELLED");

        JsonNode last = lastEvent(orderId);
        assertThat(last.get("detail").asText()).contains("out of stock").contains("line 2 (" + scarce + "): 5 wanted, 2 available");
        assertThat(inventory(plenty).get("available").asInt()).isEqualTo(20);
        assertThat(jdbc.queryForObject("select count(*) from stock_ledger where order_id = ?", Integer.class, orderId)).isZero();
        assertLedgerMatchesStock(plenty);
    }

    @Test
    void shortStockBackordersForB2bAndReplenishmentConfirmsFirstComeFirstServed() {
        String sku = product(0, 0);
        String first = submit(B2B_KEY, orderFor("DE", sku, 3));
        awaitStatus(first, "BACKORDERED");
        String second = submit(B2B_KEY, orderFor("DE", sku, 1));
        awaitStatus(second, "BACKORDERED");
        assertThat(lastEvent(first).get("detail").asText()).contains("3 wanted, 0 available");

        // 3 arrive: enough for the first (3); the second (1) waits behind it
        Response r = setOnHand(sku, "us-east", 3);
        assertThat(r.body().get("confirmedBackorders")).extracting(JsonNode::asText).containsExactly(first);
        assertThat(status(first)).isEqualTo("CONFIRMED");
        assertThat(status(second)).isEqualTo("BACKORDERED");
        assertThat(inventory(sku).get("available").asInt()).isZero();

        Response more = setOnHand(sku, "us-east", 4);
        assertThat(more.body().get("confirmedBackorders")).extracting(JsonNode::asText).containsExactly(second);
        assertThat(status(second)).isEqualTo("CONFIRMED");
        assertLedgerMatchesStock(sku);
    }

    @Test
    void cancellationReleasesReservedStockInTheSameTransaction() {
        String sku = product(4, 0);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", sku, 4));
        awaitStatus(orderId, "CONFIRMED");
        assertThat(inventory(sku).get("available").asInt()).isZero();

        Response cancelled = postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, "{\"reason\":\"changed mind\"}");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(4);
        assertThat(jdbc.queryForObject("select count(*) from reservations where order_id = ?", Integer.class, orderId)).isZero();
        assertThat(jdbc.queryForObject("select reason from stock_ledger where order_id = ? and movement = 'RELEASE'",
                String.class, orderId)).contains("changed mind");
        assertLedgerMatchesStock(sku);
    }

    @Test
    void unpaidReservationsExpire() {
        String sku = product(3, 0);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", sku, 3));
        awaitStatus(orderId, "CONFIRMED");
        jdbc.update("update reservations set created_at = created_at - interval '3' day where order_id = ?", orderId);

        List<String> expired = expiry.expire();
        assertThat(expired).contains(orderId);
        assertThat(status(orderId)).isEqualTo("CANCELLED");
        assertThat(lastEvent(orderId).get("detail").asText()).startsWith("reservation expired");
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(3);
        assertLedgerMatchesStock(sku);
    }

    @Test
    void paymentAllocatesSplitAcrossWarehousesWithPickListsAndPacking() {
        // 5 wanted, 3 + 3 in stock: no warehouse alone has it, so the order ships in two parts
        String sku = product(3, 3);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", sku, 5));
        awaitStatus(orderId, "CONFIRMED");
        orders.transition(orderId, OrderStatus.PAID, "order.paid", "test payment");
        awaitStatus(orderId, "ALLOCATED");

        JsonNode shipments = get("/api/orders/" + orderId + "/shipments", WEBSHOP_KEY).body();
        assertThat(shipments).hasSize(2);
        Map<String, Integer> units = new java.util.TreeMap<>();
        for (JsonNode s : shipments) {
            units.put(s.get("warehouse").asText(), s.at("/lines/0/quantity").asInt());
            assertThat(s.get("status").asText()).isEqualTo("PICKING");
            assertThat(s.at("/shipTo/city").asText()).isEqualTo("Köln");
            assertThat(s.at("/shipFrom/country").asText()).isIn("DE", "US");
        }
        assertThat(units).containsEntry("eu-central", 3).containsEntry("us-east", 2);
        JsonNode eu = warehouse(sku, "eu-central");
        assertThat(eu.get("reserved").asInt()).isZero();
        assertThat(eu.get("allocated").asInt()).isEqualTo(3);
        assertThat(warehouse(sku, "us-east").get("allocated").asInt()).isEqualTo(2);

        String euShipment = null;
        for (JsonNode s : shipments) {
            if (s.get("warehouse").asText().equals("eu-central")) {
                euShipment = s.get("shipmentId").asText();
                assertThat(s.get("weightKg").decimalValue()).isEqualByComparingTo("1.5");
            }
        }
        JsonNode pickList = get("/api/warehouses/eu-central/pick-lists", OPS_KEY).body();
        String id = euShipment;
        assertThat(pickList.get("shipments")).anySatisfy(s -> assertThat(s.get("shipmentId").asText()).isEqualTo(id));
        assertThat(pickList.get("picks")).anySatisfy(p -> {
            assertThat(p.get("sku").asText()).isEqualTo(sku);
            assertThat(p.get("quantity").asInt()).isEqualTo(3);
        });

        Response packed = postJson("/api/shipments/" + euShipment + "/packed", OPS_KEY, "");
        assertThat(packed.status()).as(packed.toString()).isEqualTo(200);
        assertThat(packed.body().get("status").asText()).isEqualTo("PACKED");
        assertThat(postJson("/api/shipments/" + euShipment + "/packed", OPS_KEY, "").status()).isEqualTo(200);
        assertThat(outboxPayloads(orderId, "shipment.packed")).singleElement().asString().contains(euShipment);
        eu = warehouse(sku, "eu-central");
        assertThat(eu.get("onHand").asInt()).isZero();
        assertThat(eu.get("allocated").asInt()).isZero();
        assertThat(get("/api/warehouses/eu-central/pick-lists", OPS_KEY).body().get("shipments"))
                .noneSatisfy(s -> assertThat(s.get("shipmentId").asText()).isEqualTo(id));

        // cancelling now releases what is still on the shelf (us-east) and leaves the packed part alone
        assertThat(postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, "").status()).isEqualTo(200);
        assertThat(warehouse(sku, "us-east").get("allocated").asInt()).isZero();
        assertThat(warehouse(sku, "us-east").get("available").asInt()).isEqualTo(3);
        assertLedgerMatchesStock(sku);
    }

    @Test
    void oneWarehouseShipsEverythingWhenItCan() {
        // reserved in eu-central (priority 1) would need a split; us-east alone has enough for both lines
        String a = product(2, 10);
        String b = product(5, 5);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", a, 4, b, 2));
        awaitStatus(orderId, "CONFIRMED");
        orders.transition(orderId, OrderStatus.PAID, "order.paid", "test payment");
        awaitStatus(orderId, "ALLOCATED");
        JsonNode shipments = get("/api/orders/" + orderId + "/shipments", OPS_KEY).body();
        assertThat(shipments).hasSize(1);
        assertThat(shipments.get(0).get("warehouse").asText()).isEqualTo("us-east");
        assertThat(warehouse(b, "eu-central").get("reserved").asInt()).isZero();
        assertThat(warehouse(b, "us-east").get("allocated").asInt()).isEqualTo(2);
        assertLedgerMatchesStock(a);
        assertLedgerMatchesStock(b);
    }

    @Test
    void theSandboxWarehousePacksOpenShipmentsByItself() {
        String sku = product(2, 0);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", sku, 2));
        awaitStatus(orderId, "CONFIRMED");
        orders.transition(orderId, OrderStatus.PAID, "order.paid", "test payment");
        awaitStatus(orderId, "ALLOCATED");
        String shipmentId = jdbc.queryForObject("select shipment_id from shipments where order_id = ?", String.class, orderId);

        // the sandbox warehouse packs ORDERHUB_SANDBOX_WAREHOUSE_PACK_DELAY (here 5s) after allocation, not before
        java.time.Instant allocatedAt = jdbc.queryForObject("select created_at from shipments where shipment_id = ?",
                java.sql.Timestamp.class, shipmentId).toInstant();
        new io.orderhub.sandbox.SandboxWarehouse(warehouseWork, namedJdbc,
                java.time.Clock.fixed(allocatedAt.plusSeconds(4), java.time.ZoneOffset.UTC), 5).packDue();
        assertThat(jdbc.queryForObject("select status from shipments where shipment_id = ?", String.class, shipmentId))
                .as("4 s after allocation").isEqualTo("PICKING");
        new io.orderhub.sandbox.SandboxWarehouse(warehouseWork, namedJdbc,
                java.time.Clock.fixed(allocatedAt.plusSeconds(5), java.time.ZoneOffset.UTC), 5).packDue();
        assertThat(jdbc.queryForObject("select status from shipments where shipment_id = ?", String.class, shipmentId))
                .isEqualTo("PACKED");
        assertThat(warehouse(sku, "eu-central").get("onHand").asInt()).isZero();
        assertLedgerMatchesStock(sku);
    }

    @Test
    void packingIsRefusedForUnknownOrCancelledShipments() {
        assertThat(postJson("/api/shipments/SHP-nope/packed", OPS_KEY, "").status()).isEqualTo(404);
        assertThat(get("/api/warehouses/nowhere/pick-lists", OPS_KEY).status()).isEqualTo(404);
        assertThat(get("/api/warehouses/eu-central/pick-lists", WEBSHOP_KEY).status()).isEqualTo(403);
    }

    private JsonNode lastEvent(String orderId) {
        JsonNode events = get("/api/orders/" + orderId + "/events", OPS_KEY).body();
        return events.get(events.size() - 1);
    }

}
