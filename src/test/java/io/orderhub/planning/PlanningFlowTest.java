package io.orderhub.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.inventory.InventoryTestSupport;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * Planning through the API on a SKU of its own: the hand-computed figures of InventoryMathTest from
 * four days of history plus an order placed today, settings and lead times set by API, the reorder
 * suggestion, and its message to the ERP once per crossing.
 */
class PlanningFlowTest extends InventoryTestSupport {

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ConnectionFactory connectionFactory;

    private void history(String sku, String warehouse, int... unitsFromOldest) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i < unitsFromOldest.length; i++) {
            jdbc.update("insert into planning_seeded_demand (sku, warehouse_id, demand_day, units) values (?, ?, ?, ?)", sku, warehouse,
                    java.sql.Date.valueOf(today.minusDays(unitsFromOldest.length - i)), unitsFromOldest[i]);
        }
    }

    private JsonNode planning(String sku) {
        Response r = get("/api/inventory/" + sku + "/planning", WEBSHOP_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    private static JsonNode warehousePlan(JsonNode planning, String warehouse) {
        for (JsonNode w : planning.get("warehouses")) {
            if (w.get("warehouse").asText().equals(warehouse)) {
                return w;
            }
        }
        throw new AssertionError("no " + warehouse + " in " + planning);
    }

    @Test
    void theDemandHistoryHasOneNumberPerDayOverallAndPerWarehouse() {
        String sku = product(100, 0);
        history(sku, "eu-central", 4, 6, 5, 9);

        Response r = get("/api/inventory/" + sku + "/demand-history", OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode history = r.body();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(history.get("from").asText()).isEqualTo(today.minusDays(4).toString());
        assertThat(history.get("to").asText()).isEqualTo(today.toString());
        assertThat(history.get("days").asInt()).isEqualTo(5);
        JsonNode series = history.get("series");
        assertThat(series.get(0).get("warehouse").asText()).isEqualTo("*");
        for (JsonNode s : series) {
            String expected = s.get("warehouse").asText().equals("us-east") ? "[0.0,0.0,0.0,0.0,0.0]" : "[4.0,6.0,5.0,9.0,0.0]";
            assertThat(s.get("daily").toString()).as(s.get("warehouse").asText()).isEqualTo(expected);
        }
        assertThat(series.findValuesAsText("warehouse")).contains("eu-central", "us-east");
        assertThat(get("/api/inventory/NO-SUCH-SKU-X/demand-history", OPS_KEY).status()).isEqualTo(404);
        assertThat(get("/api/inventory/" + sku + "/demand-history", WEBSHOP_KEY).status()).isEqualTo(403);
    }

    @Test
    void figuresFromHistoryLeadTimesAndSettings() {
        String sku = product(100, 0);
        history(sku, "eu-central", 4, 6, 5, 9);
        String orderId = submit(WEBSHOP_KEY, orderFor("DE", sku, 6));
        awaitStatus(orderId, "CONFIRMED");

        Response lt = put("/api/inventory/" + sku + "/lead-times", OPS_KEY, Map.of("leadTimes", List.of(
                Map.of("supplier", "A", "days", 4, "maxDays", 6), Map.of("supplier", "B", "days", 8, "maxDays", 10))));
        assertThat(lt.status()).as(lt.toString()).isEqualTo(200);
        assertThat(lt.body().at("/leadTimes/average").asDouble()).isEqualTo(6);
        assertThat(lt.body().at("/leadTimes/max").asDouble()).isEqualTo(10);
        Response set = put("/api/inventory/" + sku + "/planning-settings", OPS_KEY,
                Map.of("holdingCost", 4, "packSize", 12));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);

        JsonNode p = planning(sku);
        assertThat(p.at("/inputs/settings/orderingCost").asDouble()).isEqualTo(50);
        assertThat(p.at("/inputs/settings/orderingCostFrom").asText()).isEqualTo("default");
        assertThat(p.at("/inputs/settings/holdingCostFrom").asText()).isEqualTo("sku");
        assertThat(p.at("/inputs/leadTimes/source").asText()).isEqualTo("suppliers");
        assertThat(p.at("/inputs/z").asDouble()).isEqualTo(1.64);
        for (JsonNode plan : List.of(p.get("overall"), warehousePlan(p, "eu-central"))) {
            // 4, 6, 5, 9 seeded and 6 ordered today: mean 6, max 9, σ 1.87
            assertThat(plan.at("/demand/days").asInt()).as(plan.toString()).isEqualTo(5);
            assertThat(plan.at("/demand/averageDaily").asDouble()).isEqualTo(6);
            assertThat(plan.at("/demand/maxDaily").asDouble()).isEqualTo(9);
            assertThat(plan.at("/safetyStock/value").decimalValue()).isEqualByComparingTo("54");
            assertThat(plan.at("/statisticalSafetyStock/value").decimalValue()).isEqualByComparingTo("7.54");
            assertThat(plan.at("/reorderPoint/value").decimalValue()).isEqualByComparingTo("90");
            assertThat(plan.at("/eoq/value").decimalValue()).isEqualByComparingTo("233.99");
            assertThat(plan.at("/orderQuantity").asLong()).isEqualTo(240);
            assertThat(plan.at("/forecast/model").asText()).isNotBlank();
            assertThat(plan.at("/forecast/daily")).hasSize(28);
        }
        JsonNode us = warehousePlan(p, "us-east");
        assertThat(us.at("/demand/averageDaily").asDouble()).isZero();
        assertThat(us.at("/reorderPoint/value").decimalValue()).isEqualByComparingTo("0");
        assertThat(us.at("/eoq/reason").asText()).contains("no demand");
        assertThat(us.has("orderQuantity")).isFalse();
    }

    @Test
    void reorderSuggestionIsSentOncePerCrossing() {
        String sku = product(100, 0);
        history(sku, "eu-central", 4, 6, 5, 9, 6);
        assertThat(put("/api/inventory/" + sku + "/lead-times", OPS_KEY, Map.of("leadTimes", List.of(
                Map.of("supplier", "A", "days", 4, "maxDays", 6), Map.of("supplier", "B", "days", 8, "maxDays", 10))))
                .status()).isEqualTo(200);
        assertThat(put("/api/inventory/" + sku + "/planning-settings", OPS_KEY, Map.of("holdingCost", 4, "packSize", 12))
                .status()).isEqualTo(200);
        // history without today: 4, 6, 5, 9, 6 and today 0 -> mean 5, max 9, SS 9 × 10 − 5 × 6 = 60, ROP 60 + 30 = 90
        JsonNode eu = warehousePlan(planning(sku), "eu-central");
        assertThat(eu.at("/reorderPoint/value").decimalValue()).isEqualByComparingTo("90");
        assertThat(suggestion(sku)).isNull();

        setOnHand(sku, "eu-central", 90);
        JsonNode s = suggestion(sku);
        assertThat(s).isNotNull();
        assertThat(s.get("warehouse").asText()).isEqualTo("eu-central");
        assertThat(s.get("available").asInt()).isEqualTo(90);
        // D = 5 × 365 = 1825: √(2 × 1825 × 50 / 4) = 213.6 -> 18 packs of 12 = 216
        assertThat(s.get("suggestedQuantity").asLong()).isEqualTo(216);

        JmsTemplate jms = new JmsTemplate(connectionFactory);
        jms.setReceiveTimeout(5000);
        String selector = "sku = '" + sku + "'";
        producer.sendBody("direct:checkReorderPoints", null);
        String first = body(jms.receiveSelected("erp.reorder-suggestions", selector));
        assertThat(first).contains("\"type\":\"inventory.reorder-suggested\"").contains("\"quantity\":216")
                .contains("\"warehouse\":\"eu-central\"");

        // still below: the next runs send nothing
        producer.sendBody("direct:checkReorderPoints", null);
        jms.setReceiveTimeout(1000);
        assertThat(jms.receiveSelected("erp.reorder-suggestions", selector)).isNull();

        // back above, then below again: a new crossing, a new suggestion
        setOnHand(sku, "eu-central", 200);
        producer.sendBody("direct:checkReorderPoints", null);
        setOnHand(sku, "eu-central", 50);
        producer.sendBody("direct:checkReorderPoints", null);
        jms.setReceiveTimeout(5000);
        String second = body(jms.receiveSelected("erp.reorder-suggestions", selector));
        assertThat(second).contains("\"available\":50");
        assertThat(id(second)).isNotEqualTo(id(first));
    }

    private String id(String message) {
        try {
            return json.readTree(message).get("suggestionId").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(Message m) {
        assertThat(m).as("a reorder suggestion on erp.reorder-suggestions").isNotNull();
        try {
            return ((TextMessage) m).getText();
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode suggestion(String sku) {
        Response r = get("/api/inventory/reorder-suggestions", OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (JsonNode s : r.body().get("suggestions")) {
            if (s.get("sku").asText().equals(sku)) {
                return s;
            }
        }
        return null;
    }

    @Test
    void edgeCasesAndBadInput() {
        String sku = product(10, 10);
        JsonNode p = planning(sku);
        assertThat(p.at("/overall/safetyStock/reason").asText()).isEqualTo("no order history");
        assertThat(p.at("/overall/eoq/reason").asText()).isEqualTo("no order history");
        assertThat(p.at("/overall/forecast/reason").asText()).isEqualTo("no order history");
        assertThat(p.at("/inputs/leadTimes/source").asText()).isEqualTo("default");
        assertThat(p.toString()).doesNotContain("NaN").doesNotContain("Infinity");

        // a category with H = 0: no EOQ, with the reason, and lead time 0: safety stock 0
        history(sku, "eu-central", 3, 5, 4);
        String category = "cat" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        assertThat(put("/api/inventory/" + sku + "/planning-settings", OPS_KEY, Map.of("category", category)).status())
                .isEqualTo(200);
        Response cat = put("/api/planning/categories/" + category, OPS_KEY, Map.of("holdingCost", 0, "serviceLevel", 0.99));
        assertThat(cat.status()).as(cat.toString()).isEqualTo(200);
        assertThat(put("/api/inventory/" + sku + "/lead-times", OPS_KEY, Map.of("leadTimes",
                List.of(Map.of("supplier", "Z", "days", 0)))).status()).isEqualTo(200);
        p = planning(sku);
        assertThat(p.at("/inputs/settings/holdingCostFrom").asText()).isEqualTo("category:" + category);
        assertThat(p.at("/inputs/settings/serviceLevel").asDouble()).isEqualTo(0.99);
        assertThat(p.at("/overall/eoq/reason").asText()).contains("holding cost H must be > 0");
        assertThat(p.at("/overall/safetyStock/value").decimalValue()).isEqualByComparingTo("0");
        assertThat(p.at("/overall/reorderPoint/value").decimalValue()).isEqualByComparingTo("0");

        Response bad = put("/api/inventory/" + sku + "/lead-times", OPS_KEY, Map.of("leadTimes", List.of(
                Map.of("supplier", "A", "days", -1), Map.of("supplier", "B", "days", 5, "maxDays", 3))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().get("errors").findValuesAsText("field")).contains("/leadTimes/0/days", "/leadTimes/1/maxDays");
        Response badSettings = put("/api/inventory/" + sku + "/planning-settings", OPS_KEY,
                Map.of("serviceLevel", 1, "packSize", 2.5, "holdingCost", "x"));
        assertThat(badSettings.status()).isEqualTo(422);
        assertThat(badSettings.body().get("errors").findValuesAsText("field"))
                .contains("/serviceLevel", "/packSize", "/holdingCost");
        assertThat(get("/api/inventory/NOPE" + sku + "/planning", OPS_KEY).status()).isEqualTo(404);
        // seeding demo history is for the embedded default only
        Response seed = post("/api/ops/planning/seed", ADMIN_KEY, null, new byte[0]);
        assertThat(seed.status()).as(seed.toString()).isEqualTo(409);
    }

    @Test
    void leadTimesFromTheErpCatalogue() {
        String sku = "T-" + java.util.UUID.randomUUID().toString().substring(0, 13).toUpperCase();
        Response r = postJson("/api/erp/catalogue", OPS_KEY, Map.of("products", List.of(Map.of("sku", sku,
                "description", "from the ERP", "unitPrice", 3, "currency", "EUR",
                "leadTimes", List.of(Map.of("supplier", "erp-vendor", "days", 5, "maxDays", 12))))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode p = planning(sku);
        assertThat(p.at("/inputs/leadTimes/source").asText()).isEqualTo("suppliers");
        assertThat(p.at("/inputs/leadTimes/average").asDouble()).isEqualTo(5);
        assertThat(p.at("/inputs/leadTimes/max").asDouble()).isEqualTo(12);

        Response bad = postJson("/api/erp/catalogue", OPS_KEY, Map.of("products", List.of(Map.of("sku", sku,
                "description", "from the ERP", "leadTimes", List.of(Map.of("supplier", "erp-vendor", "days", -3))))));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(422);
        assertThat(bad.body().get("errors").findValuesAsText("field")).contains("/products/0/leadTimes/0/days");
    }

    @Autowired
    PlanningService planningService;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    @Test
    void theRecomputationRunsInOneInstanceAtATime() {
        String sku = product(5, 5);
        history(sku, "us-east", 2, 2, 2);
        Response r = post("/api/ops/planning/recompute", OPS_KEY, null, new byte[0]);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("ran").asBoolean()).isTrue();
        assertThat(r.body().get("skus").asInt()).isPositive();
        // 2, 2, 2 and nothing yet today: 6 / 4 days
        assertThat(warehousePlan(planning(sku), "us-east").at("/demand/averageDaily").asDouble()).isEqualTo(1.5);

        // another instance holds the job's lock row: this one skips the run
        new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(status -> {
            jdbc.queryForList("select name from inventory_job_lock where name = 'planning-recompute' for update");
            PlanningService.Recomputed skipped = java.util.concurrent.CompletableFuture
                    .supplyAsync(planningService::recomputeAll).join();
            assertThat(skipped.ran()).isFalse();
        });
    }
}
