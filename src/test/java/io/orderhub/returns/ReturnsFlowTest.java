package io.orderhub.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Returns in the running hub (REST, database, the sandbox carrier and the Stripe sandbox behind the suite's
 * WireMock server): an order goes through the tour, one line comes back, is received, and the sandbox gateway
 * sees one refund of exactly that line's amount and the stock is back; repeats (same key, a second receipt,
 * the job again, the label again) change nothing; illegal moves are 409, bad input 422 naming the field.
 */
class ReturnsFlowTest extends ReturnTestSupport {

    @Autowired
    ReturnJobs jobs;
    @Autowired
    ReturnLabels labels;
    @Autowired
    ReturnService returns;

    @Test
    void oneLineGoesBackIsReceivedRefundedOnceAndRestocked() {
        String mug = product(10);
        String tee = product(10);
        String orderId = shippedOrder(mug, 2, tee, 1);
        assertThat(available(mug)).isEqualTo(8);

        Response created = requestReturn(orderId, MARKETPLACE_KEY, "key-" + orderId,
                Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1, "reason", "too small")), "resolution", "REFUND"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode rma = created.body();
        String returnId = rma.get("returnId").asText();
        assertThat(returnId).matches("RMA-\\d{9}");
        assertThat(created.header("Location")).isEqualTo("/api/returns/" + returnId);
        assertThat(rma.get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(rma.at("/lines/0/sku").asText()).isEqualTo(mug);
        assertThat(rma.at("/lines/0/quantity").asInt()).isEqualTo(1);
        assertThat(rma.at("/lines/0/reason").asText()).isEqualTo("too small");
        assertThat(rma.at("/label/trackingNumber").asText()).startsWith("SBX");
        assertThat(rma.at("/label/labelUrl").asText()).contains("/sandbox/carrier/labels/");
        assertThat(rma.at("/label/carrier").asText()).isNotBlank();
        // the label is a return shipment at the carrier: is_return, from the customer back to the warehouse
        String carrierShipment = jdbc.queryForObject("select carrier_shipment_id from return_labels where return_id = ?",
                String.class, returnId);
        JsonNode sent = readJson(jdbc.queryForObject("select request from sandbox_carrier_shipments where id = ?",
                String.class, carrierShipment));
        assertThat(sent.get("is_return").asBoolean()).isTrue();
        assertThat(sent.get("reference").asText()).isEqualTo(returnId);

        // the same Idempotency-Key: the stored return, no second label
        Response again = requestReturn(orderId, MARKETPLACE_KEY, "key-" + orderId,
                Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1)), "resolution", "REFUND"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().get("returnId").asText()).isEqualTo(returnId);
        assertThat(labels.buy(returnId)).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from sandbox_carrier_shipments where request like ?", Integer.class,
                "%\"" + returnId + "\"%")).isEqualTo(1);

        // more than shipped minus returned: 422 naming the line
        Response tooMany = requestReturn(orderId, MARKETPLACE_KEY, null,
                Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 2)), "resolution", "REFUND"));
        assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(422);
        assertThat(tooMany.body().at("/errors/0/field").asText()).isEqualTo("/lines/0/quantity");
        assertThat(tooMany.body().at("/errors/0/message").asText()).contains("line 1", "only 1 may be", "2 shipped",
                "1 already returned");

        // the carrier's tracking (sandbox webhooks) moves the return on
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(returnStatus(returnId)).isEqualTo("IN_TRANSIT"));

        Response receipt = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(returnStatus(returnId)).isEqualTo("REFUNDED"));
        assertThat(available(mug)).isEqualTo(9);
        assertThat(available(tee)).isEqualTo(9);

        // a second receipt is refused, the stock stays
        Response twice = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(twice.status()).as(twice.toString()).isEqualTo(409);
        assertThat(available(mug)).isEqualTo(9);

        // one refund at the gateway, exactly the line's amount, with the return's key; the job again changes nothing
        jobs.run();
        returns.settle(returnId);
        List<Map<String, Object>> refunds = jdbc.queryForList(
                "select * from payments where order_id = ? and kind = 'REFUND'", orderId);
        assertThat(refunds).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("status", "SUCCEEDED").containsEntry("gateway", "stripe")
                    .containsEntry("idempotency_key", "orderhub-" + orderId + "-return-" + returnId);
            assertThat((BigDecimal) p.get("amount")).isEqualByComparingTo("10.00");
            assertThat(((Number) p.get("amount_minor")).longValue()).isEqualTo(1000L);
        });
        JsonNode gateway = get("/sandbox/payment/received?contains=" + orderId, OPS_KEY).body();
        List<JsonNode> sandboxRefunds = new java.util.ArrayList<>();
        gateway.forEach(e -> {
            if (e.get("path").asText().startsWith("/v1/refunds")) {
                sandboxRefunds.add(e);
            }
        });
        assertThat(sandboxRefunds).singleElement().satisfies(e -> assertThat(e.at("/body/amount").asLong()).isEqualTo(1000L));

        // timeline and outbox: one event per change
        assertThat(jdbc.queryForList("select type from outbox where order_id = ? and type like 'return.%' order by id",
                String.class, orderId)).containsExactly("return.requested", "return.authorized", "return.in_transit",
                "return.received", "return.refunded", "return.closed");
        JsonNode events = get("/api/returns/" + returnId + "/events", MARKETPLACE_KEY).body();
        assertThat(events.findValuesAsText("type")).contains("return.requested", "return.authorized", "return.received",
                "return.refunded", "return.closed");
        Response listed = get("/api/orders/" + orderId + "/returns", MARKETPLACE_KEY);
        assertThat(listed.body()).singleElement().satisfies(r -> {
            assertThat(r.get("returnId").asText()).isEqualTo(returnId);
            assertThat(r.get("status").asText()).isEqualTo("CLOSED");
            assertThat(r.at("/refund/amount").decimalValue()).isEqualByComparingTo("10.00");
        });
        // the report: the mug's return rate, the reason
        Response report = get("/api/reports/returns?from=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1),
                OPS_KEY);
        assertThat(report.status()).as(report.toString()).isEqualTo(200);
        JsonNode mugRate = null;
        for (JsonNode r : report.body().get("bySku")) {
            mugRate = r.get("key").asText().equals(mug) ? r : mugRate;
        }
        assertThat(mugRate).as(report.toString()).isNotNull();
        assertThat(mugRate.get("unitsSold").decimalValue()).isEqualByComparingTo("2");
        assertThat(mugRate.get("unitsReturned").asLong()).isEqualTo(1);
        assertThat(mugRate.get("returnRate").asDouble()).isEqualTo(0.5);
        assertThat(report.body().get("reasons").findValuesAsText("reason")).contains("too small");
        assertThat(report.body().get("byChannel").findValuesAsText("key")).contains("marketplace");
        assertThat(get("/api/reports/returns", MARKETPLACE_KEY).status()).isEqualTo(403);

        // the ERP (the suite's WireMock server, /erp) gets the return receipt and the credit note through the outbound
        // sync, the CRM (/crm) the return history
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> calls = io.orderhub.sync.SyncTargetsServer.server().getAllServeEvents().stream()
                    .map(e -> e.getRequest().getUrl() + " " + e.getRequest().getBodyAsString())
                    .filter(c -> c.contains(returnId)).toList();
            assertThat(calls).anyMatch(c -> c.startsWith("/erp/return-receipts ") && c.contains("\"condition\":\"restock\""))
                    .anyMatch(c -> c.startsWith("/erp/credit-notes ") && c.contains("\"kind\":\"refund\""))
                    .anyMatch(c -> c.startsWith("/crm/") && c.contains("OrderHub_Return__c"));
        });
    }

    /**
     * A net order with tax and an order-level discount (as the tour's WEB-10001 has tax): the customer gets back what
     * they paid for the unit, its price less its share of the discount plus its tax, not the net price alone.
     */
    @Test
    void aTaxedOrdersReturnRefundsTheUnitWithItsTaxAndLessItsShareOfTheDiscount() {
        String mug = product(10);
        String tee = product(10);
        ObjectNode order = orderFor(mug, 2, tee, 1);
        // subtotal 30.00, discount 3.00, tax 19 % of 27.00 = 5.13: grand total 32.13
        order.putObject("totals").put("subtotal", new BigDecimal("30.00")).put("discount", new BigDecimal("3.00"))
                .put("shipping", 0).put("tax", new BigDecimal("5.13")).put("grandTotal", new BigDecimal("32.13"));
        order.putArray("discounts").addObject().put("description", "welcome discount").put("amount", new BigDecimal("3.00"));
        String orderId = shippedOrder(order);

        Response created = requestReturn(orderId, MARKETPLACE_KEY, "key-" + orderId,
                Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1, "reason", "too small")), "resolution", "REFUND"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String returnId = created.body().get("returnId").asText();
        Response receipt = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(returnStatus(returnId)).isEqualTo("REFUNDED"));

        // one mug of two on a 20.00 line: 10.00 - 1.00 (2/3 of the 3.00 discount, halved) + 1.71 (2/3 of 5.13, halved)
        assertThat(jdbc.queryForObject("select amount from payments where order_id = ? and kind = 'REFUND'",
                BigDecimal.class, orderId)).isEqualByComparingTo("10.71");
        assertThat(get("/api/returns/" + returnId, MARKETPLACE_KEY).body().at("/refund/amount").decimalValue())
                .isEqualByComparingTo("10.71");
        JsonNode gateway = get("/sandbox/payment/received?contains=" + orderId, OPS_KEY).body();
        long refundedMinor = 0;
        for (JsonNode e : gateway) {
            refundedMinor += e.get("path").asText().startsWith("/v1/refunds") ? e.at("/body/amount").asLong() : 0;
        }
        assertThat(refundedMinor).isEqualTo(1071L);
    }

    @Test
    void damagedUnitsGoToQuarantineStoreCreditIsRecordedAndAnExchangeMakesALinkedOrder() {
        String sku = product(10);
        String orderId = shippedOrder(sku, 3, null, 0);
        String credit = requestReturn(orderId, OPS_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1)),
                "resolution", "STORE_CREDIT")).body().get("returnId").asText();
        Response receipt = postJson("/api/returns/" + credit + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "DAMAGED"))));
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(200);
        assertThat(receipt.body().get("status").asText()).isEqualTo("CREDITED");
        assertThat(available(sku)).isEqualTo(7);
        assertThat(jdbc.queryForObject("select quarantined from stock where sku = ? and warehouse_id = 'eu-central'",
                Integer.class, sku)).isEqualTo(1);
        assertThat(jdbc.queryForMap("select * from store_credits where return_id = ?", credit))
                .satisfies(c -> assertThat((BigDecimal) c.get("amount")).isEqualByComparingTo("10.00"));
        assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ? and kind = 'REFUND'",
                Integer.class, orderId)).isZero();

        String exchange = requestReturn(orderId, OPS_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1,
                "reason", "wrong colour")), "resolution", "EXCHANGE")).body().get("returnId").asText();
        Response received = postJson("/api/returns/" + exchange + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(received.status()).as(received.toString()).isEqualTo(200);
        assertThat(received.body().get("status").asText()).isEqualTo("EXCHANGED");
        String linked = received.body().get("exchangeOrderId").asText();
        JsonNode newOrder = get("/api/orders/" + linked, OPS_KEY).body();
        assertThat(newOrder.get("externalId").asText()).endsWith("-" + exchange);
        assertThat(newOrder.at("/lines/0/sku").asText()).isEqualTo(sku);
        assertThat(newOrder.at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(newOrder.at("/payment/method").asText()).isEqualTo("prepaid");
        // its stock is reserved as for any order; no money moves for equal values
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(linked)).isIn("CONFIRMED", "PAID",
                "ALLOCATED"));
        assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ? and kind = 'CHARGE'",
                Integer.class, linked)).isZero();
    }

    @Test
    void cancelVoidsTheLabelAndIllegalMovesAreRefused() {
        String sku = product(10);
        String orderId = shippedOrder(sku, 1, null, 0);
        String returnId = requestReturn(orderId, MARKETPLACE_KEY, null,
                Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1)), "resolution", "REFUND")).body()
                .get("returnId").asText();
        Response cancelled = postJson("/api/returns/" + returnId + "/cancel", MARKETPLACE_KEY, Map.of("reason", "kept it"));
        if (cancelled.status() == 409) {
            // the sandbox carrier was quick: the parcel is on its way already, and that return cannot be cancelled
            assertThat(cancelled.body().get("detail").asText()).contains("IN_TRANSIT", "cannot become CANCELLED");
            return;
        }
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForObject("select state from return_labels where return_id = ?", String.class, returnId))
                .isEqualTo("VOIDED");
        String carrierShipment = jdbc.queryForObject("select carrier_shipment_id from return_labels where return_id = ?",
                String.class, returnId);
        assertThat(jdbc.queryForObject("select refund_status from sandbox_carrier_shipments where id = ?", String.class,
                carrierShipment)).isEqualTo("submitted");
        Response again = postJson("/api/returns/" + returnId + "/cancel", MARKETPLACE_KEY, Map.of());
        assertThat(again.status()).isEqualTo(409);
        Response receipt = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK"))));
        assertThat(receipt.status()).isEqualTo(409);
        assertThat(receipt.body().get("detail").asText()).contains("CANCELLED", "cannot become RECEIVED");
        // the cancelled return's units may be asked for again
        assertThat(requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1)),
                "resolution", "REFUND")).status()).isEqualTo(201);
    }

    /**
     * OPS rejects a return with a reason: REQUESTED/AUTHORIZED → REJECTED with its timeline entry and outbox event,
     * the label voided at the sandbox carrier; a return already on its way is 409; no reason is 422; a channel 403.
     */
    @Test
    void opsRejectsARequestedOrAuthorizedReturnAndTheLabelIsVoided() {
        String sku = product(10);
        String orderId = shippedOrder(sku, 3, null, 0);
        Map<String, Object> one = Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1)), "resolution", "REFUND");
        String rejected = null;
        String onItsWay = null;
        // the sandbox carrier moves a parcel in transit after about a second: a return that got there first is
        // the 409 case, the next one is rejected before
        for (int attempt = 0; attempt < 3 && rejected == null; attempt++) {
            String returnId = requestReturn(orderId, OPS_KEY, null, one).body().get("returnId").asText();
            Response noReason = postJson("/api/returns/" + returnId + "/reject", OPS_KEY, Map.of("reason", " "));
            assertThat(noReason.status()).as(noReason.toString()).isEqualTo(422);
            assertThat(noReason.body().at("/errors/0/field").asText()).isEqualTo("/reason");
            assertThat(postJson("/api/returns/" + returnId + "/reject", MARKETPLACE_KEY, Map.of("reason", "x")).status())
                    .isEqualTo(403);
            Response r = postJson("/api/returns/" + returnId + "/reject", OPS_KEY, Map.of("reason", "sold as final sale"));
            if (r.status() == 409) {
                assertThat(r.body().get("detail").asText()).contains("IN_TRANSIT", "cannot become REJECTED");
                onItsWay = returnId;
                continue;
            }
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.body().get("status").asText()).isEqualTo("REJECTED");
            rejected = returnId;
        }
        assertThat(rejected).as("a return rejected before the carrier moved it").isNotNull();
        String id = rejected;
        assertThat(returnStatus(id)).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("select count(*) from return_events where return_id = ? and type = 'return.rejected'"
                + " and to_status = 'REJECTED' and detail like '%sold as final sale%'", Integer.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from outbox where order_id = ? and type = 'return.rejected'"
                + " and status = 'REJECTED'", Integer.class, orderId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select state from return_labels where return_id = ?", String.class, id))
                .isEqualTo("VOIDED");
        String carrierShipment = jdbc.queryForObject("select carrier_shipment_id from return_labels where return_id = ?",
                String.class, id);
        assertThat(jdbc.queryForObject("select refund_status from sandbox_carrier_shipments where id = ?", String.class,
                carrierShipment)).isEqualTo("submitted");
        // a rejected return is final; its units may be asked for again
        assertThat(postJson("/api/returns/" + id + "/reject", OPS_KEY, Map.of("reason", "again")).status()).isEqualTo(409);
        assertThat(postJson("/api/returns/" + id + "/cancel", OPS_KEY, Map.of()).status()).isEqualTo(409);

        // a return on its way (IN_TRANSIT) is not rejected
        if (onItsWay == null) {
            String moving = requestReturn(orderId, OPS_KEY, null, one).body().get("returnId").asText();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(returnStatus(moving)).isEqualTo("IN_TRANSIT"));
            onItsWay = moving;
        }
        Response late = postJson("/api/returns/" + onItsWay + "/reject", OPS_KEY, Map.of("reason", "too late"));
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(returnStatus(onItsWay)).isEqualTo("IN_TRANSIT");
    }

    @Test
    void whoMayAskAndBadInput() {
        String sku = product(10);
        String orderId = shippedOrder(sku, 1, null, 0);
        Map<String, Object> ok = Map.of("lines", List.of(Map.of("lineNo", 1, "quantity", 1)), "resolution", "REFUND");
        // another channel's key does not see the order; a receipt needs OPS
        assertThat(requestReturn(orderId, WEBSHOP_KEY, null, ok).status()).isEqualTo(404);
        Response bad = requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 9,
                "quantity", 0), Map.of("quantity", 1)), "resolution", "MONEY_BACK"));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.body().findValuesAsText("field")).contains("/resolution", "/lines/0/quantity", "/lines/1/lineNo");
        Response unknownLine = requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 9,
                "quantity", 1)), "resolution", "REFUND"));
        assertThat(unknownLine.status()).isEqualTo(422);
        assertThat(unknownLine.body().at("/errors/0/field").asText()).isEqualTo("/lines/0/lineNo");
        String returnId = requestReturn(orderId, MARKETPLACE_KEY, null, ok).body().get("returnId").asText();
        assertThat(postJson("/api/returns/" + returnId + "/receipt", MARKETPLACE_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "RESTOCK")))).status()).isEqualTo(403);
        Response badReceipt = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "nowhere",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 1, "condition", "LOST"))));
        assertThat(badReceipt.status()).isEqualTo(422);
        assertThat(badReceipt.body().findValuesAsText("field")).contains("/lines/0/condition");
        assertThat(get("/api/returns/" + returnId, WEBSHOP_KEY).status()).isEqualTo(404);
        assertThat(get("/api/returns/RMA-999999999", OPS_KEY).status()).isEqualTo(404);

        // an order not shipped yet: 409
        String open = submit(MARKETPLACE_KEY, orderFor(sku, 1, null, 0));
        Response early = requestReturn(open, MARKETPLACE_KEY, null, ok);
        assertThat(early.status()).as(early.toString()).isEqualTo(409);
        assertThat(early.body().get("detail").asText()).contains("SHIPPED, DELIVERED and COMPLETED");
    }

    /**
     * A crash after the carrier sold the label but before the hub recorded it, and after the gateway refunded but
     * before the hub recorded that: the label bought again is the one the carrier has (asked first, never bought
     * twice), the refund sent again carries the same key and the gateway answers the first refund again.
     */
    @Test
    void aCrashBeforeRecordingGivesOneLabelAndOneRefundPerReturn() {
        String sku = product(10);
        String orderId = shippedOrder(sku, 2, null, 0);
        String returnId = requestReturn(orderId, MARKETPLACE_KEY, null, Map.of("lines", List.of(Map.of("lineNo", 1,
                "quantity", 2)), "resolution", "REFUND")).body().get("returnId").asText();
        String tracking = jdbc.queryForObject("select tracking_code from return_labels where return_id = ?", String.class,
                returnId);
        // as if the purchase's answer was lost: the carrier has the label, the hub's row does not
        jdbc.update("update return_labels set state = 'NEW', tracking_code = null, label_url = null, tracker_id = null,"
                + " attempts = 1 where return_id = ?", returnId);
        jdbc.update("update returns set status = 'REQUESTED' where return_id = ? and status = 'AUTHORIZED'", returnId);
        if ("REQUESTED".equals(returnStatus(returnId))) {
            jobs.run();
            assertThat(returnStatus(returnId)).isEqualTo("AUTHORIZED");
        }
        assertThat(jdbc.queryForObject("select tracking_code from return_labels where return_id = ?", String.class,
                returnId)).isEqualTo(tracking);
        assertThat(jdbc.queryForObject("select count(*) from sandbox_carrier_shipments where request like ?", Integer.class,
                "%\"" + returnId + "\"%")).isEqualTo(1);

        jdbc.update("update returns set status = 'AUTHORIZED' where return_id = ? and status = 'IN_TRANSIT'", returnId);
        Response receipt = postJson("/api/returns/" + returnId + "/receipt", OPS_KEY, Map.of("warehouse", "eu-central",
                "lines", List.of(Map.of("lineNo", 1, "quantity", 2, "condition", "RESTOCK"))));
        assertThat(receipt.status()).as(receipt.toString()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(returnStatus(returnId)).isIn("REFUNDED",
                "CLOSED"));
        // as if the gateway's answer was lost: the refund row PENDING again, the return RECEIVED
        jdbc.update("update payments set status = 'PENDING', refund_id = null where order_id = ? and kind = 'REFUND'",
                orderId);
        jdbc.update("update returns set status = 'RECEIVED' where return_id = ?", returnId);
        jobs.run();
        assertThat(returnStatus(returnId)).isIn("REFUNDED", "CLOSED");
        assertThat(jdbc.queryForList("select status from payments where order_id = ? and kind = 'REFUND'", String.class,
                orderId)).containsExactly("SUCCEEDED");
        long refundsAtGateway = 0;
        for (JsonNode e : get("/sandbox/payment/received?contains=" + orderId, OPS_KEY).body()) {
            refundsAtGateway += e.get("path").asText().startsWith("/v1/refunds") ? 1 : 0;
        }
        assertThat(refundsAtGateway).isEqualTo(1);
        // and the order's cancellation has nothing left to give back... the order is shipped: refused or nothing
        assertThat(jdbc.queryForObject("select coalesce(sum(amount), 0) from payments where order_id = ? and kind = 'REFUND'",
                BigDecimal.class, orderId)).isEqualByComparingTo("20.00");
    }
}
