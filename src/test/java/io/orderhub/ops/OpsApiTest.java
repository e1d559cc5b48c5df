package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/** Audit log, route operations, metrics and header hygiene (routes/ops-api.camel.yaml). */
class OpsApiTest extends HubTestSupport {

    @Test
    void cancellationIsAuditedWithWhoAndBeforeAfter() {
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, "{\"reason\":\"duplicate order\"}");

        JsonNode entries = get("/api/ops/audit?target=" + orderId, OPS_KEY).body();
        assertThat(entries).hasSize(1);
        JsonNode e = entries.get(0);
        assertThat(e.get("actor").asText()).isEqualTo("test-ops");
        assertThat(e.get("role").asText()).isEqualTo("OPS");
        assertThat(e.get("action").asText()).isEqualTo("order.cancel");
        assertThat(e.get("before").asText()).isEqualTo("CREATED");
        assertThat(e.get("after").asText()).isEqualTo("CANCELLED");
        assertThat(e.get("detail").asText()).isEqualTo("duplicate order");
        assertThat(get("/api/ops/audit?limit=0", OPS_KEY).status()).isEqualTo(400);
    }

    @Test
    void anOrdersJourneyShowsItsReceiptAndEveryStep() {
        Response created = postJson("/api/orders", WEBSHOP_KEY, order());
        String orderId = created.body().get("orderId").asText();
        postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, "");

        JsonNode journey = get("/api/orders/" + orderId + "/journey", WEBSHOP_KEY).body();
        assertThat(journey.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(journey.at("/receipt/receiptId").asText()).isEqualTo(created.header("X-Receipt-Id"));
        assertThat(journey.at("/receipt/content").asText()).endsWith("/content");
        assertThat(journey.get("events").findValuesAsText("type")).contains("order.created", "order.cancelled");
        assertThat(journey.has("outbound")).isTrue();
        assertThat(journey.get("deadLetters")).isEmpty();
        assertThat(get("/api/orders/" + orderId + "/journey", B2B_KEY).status()).isEqualTo(404);
    }

    @Test
    void routesAreListedWithTheirCounts() {
        postJson("/api/orders", WEBSHOP_KEY, order());
        JsonNode body = get("/api/ops/routes", OPS_KEY).body();
        JsonNode submit = null;
        for (JsonNode r : body.get("routes")) {
            if (r.get("routeId").asText().equals("submitOrder")) {
                submit = r;
            }
        }
        assertThat(submit).isNotNull();
        assertThat(submit.get("status").asText()).isEqualTo("Started");
        assertThat(submit.get("exchangesTotal").asDouble()).isPositive();
        assertThat(body.get("mappingsLocation").asText()).contains("test-mappings");
    }

    @Test
    void anAdminStopsAndStartsARouteAndBothAreAudited() {
        Response stop = postJson("/api/ops/routes/relayOutbox/stop", ADMIN_KEY, "");
        assertThat(stop.status()).as(stop.toString()).isEqualTo(200);
        assertThat(stop.body().get("status").asText()).isEqualTo("Stopped");
        Response start = postJson("/api/ops/routes/relayOutbox/start", ADMIN_KEY, "");
        assertThat(start.body().get("status").asText()).isEqualTo("Started");

        JsonNode audit = get("/api/ops/audit?target=relayOutbox", OPS_KEY).body();
        assertThat(audit.findValuesAsText("action")).containsSequence("route.start", "route.stop");
        assertThat(postJson("/api/ops/routes/relayOutbox/stop", OPS_KEY, "").status()).isEqualTo(403);
        assertThat(postJson("/api/ops/routes/stopRoute/stop", ADMIN_KEY, "").status()).isEqualTo(409);
        assertThat(postJson("/api/ops/routes/noSuchRoute/stop", ADMIN_KEY, "").status()).isEqualTo(404);
    }

    @Test
    void anAdminReloadsARouteFileAndItIsAudited() {
        // planning-jobs.camel.yaml: timer routes only (hourly in the test profile), so reloading it disturbs nothing
        Response reload = postJson("/api/ops/routes/recomputePlanning/reload", ADMIN_KEY, "");
        assertThat(reload.status()).as(reload.toString()).isEqualTo(200);
        assertThat(reload.body().get("status").asText()).isEqualTo("Started");
        assertThat(reload.body().get("source").asText()).contains("planning-jobs");
        assertThat(reload.body().get("reloaded")).extracting(JsonNode::toString).asString()
                .contains("recomputePlanning").contains("checkReorderPoints");
        JsonNode audit = get("/api/ops/audit?target=recomputePlanning", OPS_KEY).body();
        assertThat(audit.findValuesAsText("action")).contains("route.reload");

        assertThat(postJson("/api/ops/routes/recomputePlanning/reload", OPS_KEY, "").status()).isEqualTo(403);
        Response rest = postJson("/api/ops/routes/submitOrder/reload", ADMIN_KEY, "");
        assertThat(rest.status()).isEqualTo(409);
        assertThat(rest.body().at("/errors/0/message").asText()).contains("REST endpoints");
        assertThat(postJson("/api/ops/routes/noSuchRoute/reload", ADMIN_KEY, "").status()).isEqualTo(404);
    }

    @Test
    void prometheusShowsOrdersAndTheOutboxBacklog() {
        postJson("/api/orders", B2B_KEY, order());
        String metrics = get("/actuator/prometheus", null).text();
        assertThat(metrics).contains("orderhub_orders_accepted_total{").contains("channel=\"b2b\"")
                .contains("orderhub_outbox_backlog").contains("camel_exchanges_total");
    }

    @Test
    void camelHeadersFromOutsideChangeNothing() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders?size=1"))
                .header("X-API-Key", OPS_KEY)
                .header("CamelHttpResponseCode", "299")
                .header("camelHttpUri", "/api/ops/routes")
                .header("CAMELBEANMETHODNAME", "cancel")
                .GET().build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).has("items")).isTrue();
    }

    @Test
    void theConsoleIsServedFromTheJarWithItsChartLibraryAndAStrictPolicy() {
        Response redirect = get("/console", null);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).endsWith("/console/");
        Response page = get("/console/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("<title>OrderHub console</title>").contains("/webjars/uplot/dist/uPlot.iife.min.js");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(get("/console/console.js", null).text()).contains("sessionStorage");
        Response uplot = get("/webjars/uplot/dist/uPlot.iife.min.js", null);
        assertThat(uplot.status()).isEqualTo(200);
        assertThat(uplot.text()).contains("uPlot");
    }

    @Test
    void meNamesTheKeysRoleAndChannel() {
        JsonNode shop = get("/api/me", WEBSHOP_KEY).body();
        assertThat(shop.get("role").asText()).isEqualTo("CHANNEL");
        assertThat(shop.get("channel").asText()).isEqualTo("webshop");
        assertThat(get("/api/me", ADMIN_KEY).body().get("role").asText()).isEqualTo("ADMIN");
        assertThat(get("/api/me", null).status()).isEqualTo(401);
    }

    @Test
    void theOverviewCountsOrdersTransitionsAndConnectors() {
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        long cancelledBefore = get("/api/ops/overview", OPS_KEY).body().at("/ordersByStatus/CANCELLED").asLong(0);
        postJson("/api/orders/" + orderId + "/cancel", OPS_KEY, "{\"reason\":\"overview test\"}");

        Response r = get("/api/ops/overview", OPS_KEY);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode overview = r.body();
        assertThat(overview.at("/ordersByStatus/CANCELLED").asLong()).isGreaterThan(cancelledBefore);
        assertThat(overview.at("/outbox/backlog").isIntegralNumber()).isTrue();
        assertThat(overview.get("openDeadLetters").isObject()).isTrue();
        assertThat(overview.get("queues").size()).as(overview.toString()).isPositive();
        JsonNode cancel = null;
        for (JsonNode stage : overview.get("stages")) {
            if (stage.get("to").asText().equals("CANCELLED")) {
                cancel = stage;
            }
        }
        assertThat(cancel).as(overview.get("stages").toString()).isNotNull();
        assertThat(cancel.get("count").asLong()).isPositive();
        assertThat(overview.get("connectors").findValuesAsText("name")).contains("erp", "crm");
        assertThat(get("/api/ops/overview", WEBSHOP_KEY).status()).isEqualTo(403);
    }
}
