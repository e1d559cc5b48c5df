package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Request limits not covered by BadInputTest (line count: 413), and mass assignment: what the hub
 * assigns (orderId, status, receivedAt, source) cannot be sent, on the canonical endpoint nor on the
 * channel endpoint, and prices must agree with the lines (the hub's rules own the totals).
 */
class LimitsAndMassAssignmentTest extends HubTestSupport {

    @Test
    void moreLinesThanAllowedIs413NamingTheLines() {
        ObjectNode order = order();
        ArrayNode lines = order.withArray("lines");
        ObjectNode first = (ObjectNode) lines.get(0);
        lines.removeAll();
        for (int i = 1; i <= 1001; i++) {
            lines.add(first.deepCopy().put("lineNo", i));
        }
        Response r = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("/lines");
        assertThat(r.body().at("/errors/0/message").asText()).contains("1001 lines").contains("1000");
    }

    @Test
    void hubAssignedFieldsCannotBeSetOnAnyEndpoint() {
        ObjectNode order = order();
        order.put("orderId", "ORD-000000001");
        order.put("status", "SHIPPED");
        order.put("receivedAt", "2020-01-01T00:00:00Z");
        order.putObject("source").put("via", "admin");
        for (String path : new String[] {"/api/orders", "/api/channels/webshop/orders"}) {
            Response r = postJson(path, WEBSHOP_KEY, order);
            assertThat(r.status()).as(path + " " + r).isEqualTo(422);
            assertThat(r.body().get("errors").findValuesAsText("field"))
                    .contains("/orderId", "/status", "/receivedAt", "/source");
        }
        assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                order.get("externalId").asText())).isZero();
    }

    @Test
    void pricesMustAgreeWithTheLinesAndTheStoredOrderIsTheHubs() {
        ObjectNode cheap = order();
        cheap.withObject("/totals").put("grandTotal", 0.01);
        Response refused = postJson("/api/orders", WEBSHOP_KEY, cheap);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("errors").findValuesAsText("field")).contains("/totals/grandTotal");

        Response created = postJson("/api/orders", WEBSHOP_KEY, order());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("status").asText()).isEqualTo("CREATED");
        assertThat(created.body().get("orderId").asText()).startsWith("ORD-");
        assertThat(created.body().at("/source/via").asText()).isEqualTo("rest");
    }
}
