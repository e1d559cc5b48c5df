package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.orderhub.support.HubTestSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The role × endpoint matrix of every REST endpoint the routes define: no key 401, a role without
 * access 403, the roles with access get past the guard. A new endpoint fails this test until it is
 * added to {@link #MATRIX}, so none ships without a decision on who may call it.
 */
class AccessMatrixTest extends HubTestSupport {

    /** SIGNED: callbacks authenticated by their signature, not an API key: 401 with any key and without. */
    enum Access { ANY_KEY, OPERATOR, ADMIN, SIGNED }

    static final Map<String, Access> MATRIX = new TreeMap<>(Map.ofEntries(
            Map.entry("POST /orders", Access.ANY_KEY),
            Map.entry("GET /orders", Access.ANY_KEY),
            Map.entry("GET /orders/{id}", Access.ANY_KEY),
            Map.entry("GET /orders/{id}/events", Access.ANY_KEY),
            Map.entry("GET /orders/{id}/journey", Access.ANY_KEY),
            Map.entry("POST /orders/{id}/cancel", Access.ANY_KEY),
            Map.entry("POST /orders/{id}/returns", Access.ANY_KEY),
            Map.entry("GET /orders/{id}/returns", Access.ANY_KEY),
            Map.entry("GET /returns/{id}", Access.ANY_KEY),
            Map.entry("GET /returns/{id}/events", Access.ANY_KEY),
            Map.entry("POST /returns/{id}/receipt", Access.OPERATOR),
            Map.entry("POST /returns/{id}/cancel", Access.ANY_KEY),
            Map.entry("POST /returns/{id}/reject", Access.OPERATOR),
            Map.entry("POST /channels/{channel}/refunds", Access.ANY_KEY),
            Map.entry("GET /reports/returns", Access.OPERATOR),
            Map.entry("POST /channels/{channel}/orders", Access.ANY_KEY),
            Map.entry("GET /receipts/{receiptId}", Access.ANY_KEY),
            Map.entry("GET /receipts/{receiptId}/content", Access.ANY_KEY),
            Map.entry("POST /receipts/{receiptId}/replay", Access.OPERATOR),
            Map.entry("GET /mappings", Access.OPERATOR),
            Map.entry("POST /mappings/preview", Access.OPERATOR),
            Map.entry("GET /ops/audit", Access.OPERATOR),
            Map.entry("GET /ops/routes", Access.OPERATOR),
            Map.entry("GET /ops/overview", Access.OPERATOR),
            Map.entry("GET /me", Access.ANY_KEY),
            Map.entry("POST /ops/routes/{routeId}/stop", Access.ADMIN),
            Map.entry("POST /ops/routes/{routeId}/start", Access.ADMIN),
            Map.entry("POST /ops/routes/{routeId}/reload", Access.ADMIN),
            Map.entry("POST /ops/crypto/rotate", Access.ADMIN),
            Map.entry("PUT /products/{sku}", Access.OPERATOR),
            Map.entry("GET /item-xref/{channel}", Access.OPERATOR),
            Map.entry("PUT /item-xref/{channel}", Access.OPERATOR),
            Map.entry("DELETE /item-xref/{channel}", Access.OPERATOR),
            Map.entry("GET /inventory/{sku}", Access.ANY_KEY),
            Map.entry("PUT /inventory/{sku}", Access.OPERATOR),
            Map.entry("POST /inventory/{sku}/adjustments", Access.OPERATOR),
            Map.entry("GET /warehouses/{id}/pick-lists", Access.OPERATOR),
            Map.entry("POST /shipments/{id}/packed", Access.OPERATOR),
            Map.entry("GET /orders/{id}/shipments", Access.ANY_KEY),
            Map.entry("GET /ops/dead-letters", Access.OPERATOR),
            Map.entry("POST /ops/dead-letters/{id}/replay", Access.OPERATOR),
            Map.entry("POST /ops/dead-letters/replay", Access.OPERATOR),
            Map.entry("POST /ops/dead-letters/{id}/discard", Access.OPERATOR),
            Map.entry("GET /ops/receipts", Access.OPERATOR),
            Map.entry("POST /ops/receipts/replay", Access.OPERATOR),
            Map.entry("GET /ops/broker/dead-letters", Access.OPERATOR),
            Map.entry("GET /ops/broker/dead-letters/{queue}", Access.OPERATOR),
            Map.entry("POST /ops/broker/dead-letters/{queue}/{messageId}/replay", Access.OPERATOR),
            Map.entry("POST /ops/broker/dead-letters/{queue}/{messageId}/discard", Access.OPERATOR),
            Map.entry("POST /webhooks/payments/{gateway}", Access.SIGNED),
            Map.entry("POST /erp/stock-levels", Access.OPERATOR),
            Map.entry("POST /erp/catalogue", Access.OPERATOR),
            Map.entry("GET /customers/{externalId}", Access.OPERATOR),
            Map.entry("GET /customers/{customerRef}/personal-data", Access.ADMIN),
            Map.entry("POST /customers/{customerRef}/erasure", Access.ADMIN),
            Map.entry("PUT /customers/{externalId}", Access.OPERATOR),
            Map.entry("POST /webhooks/carriers/{carrier}", Access.SIGNED),
            Map.entry("POST /webhooks/channels/{channel}", Access.SIGNED),
            Map.entry("GET /ops/shipping/held", Access.OPERATOR),
            Map.entry("POST /ops/shipping/held/{id}/release", Access.OPERATOR),
            Map.entry("GET /inventory/{sku}/planning", Access.ANY_KEY),
            Map.entry("GET /inventory/{sku}/demand-history", Access.OPERATOR),
            Map.entry("GET /inventory/reorder-suggestions", Access.OPERATOR),
            Map.entry("PUT /inventory/{sku}/lead-times", Access.OPERATOR),
            Map.entry("PUT /inventory/{sku}/planning-settings", Access.OPERATOR),
            Map.entry("PUT /planning/categories/{category}", Access.OPERATOR),
            Map.entry("POST /ops/planning/recompute", Access.OPERATOR),
            Map.entry("POST /ops/planning/seed", Access.ADMIN),
            Map.entry("GET /reports/orders", Access.OPERATOR),
            Map.entry("GET /orders/{id}/documents", Access.ANY_KEY),
            Map.entry("GET /documents/{documentId}/content", Access.ANY_KEY),
            Map.entry("POST /documents/{documentId}/resend", Access.OPERATOR),
            Map.entry("POST /channels/{channel}/acknowledgements", Access.ANY_KEY),
            Map.entry("GET /ops/documents", Access.OPERATOR)));

    @Autowired
    CamelContext camel;

    @Test
    void everyEndpointIsInTheMatrix() {
        assertThat(endpoints()).containsExactlyInAnyOrderElementsOf(MATRIX.keySet());
    }

    @Test
    void noKeyIs401AndAWrongRoleIs403() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Access> e : MATRIX.entrySet()) {
            String[] verbPath = e.getKey().split(" ", 2);
            int anonymous = call(verbPath[0], verbPath[1], null);
            if (anonymous != 401) {
                wrong.add(e.getKey() + " without key: " + anonymous);
            }
            if (e.getValue() == Access.SIGNED) {
                for (String key : new String[] {WEBSHOP_KEY, OPS_KEY, ADMIN_KEY}) {
                    int signed = call(verbPath[0], verbPath[1], key);
                    if (signed != 401) {
                        wrong.add(e.getKey() + " unsigned with a key: " + signed);
                    }
                }
                continue;
            }
            int channel = call(verbPath[0], verbPath[1], WEBSHOP_KEY);
            boolean channelAllowed = e.getValue() == Access.ANY_KEY;
            if (channelAllowed ? channel == 401 || channel == 403 : channel != 403) {
                wrong.add(e.getKey() + " with a CHANNEL key: " + channel);
            }
            int ops = call(verbPath[0], verbPath[1], OPS_KEY);
            if (e.getValue() == Access.ADMIN ? ops != 403 : ops == 401 || ops == 403) {
                wrong.add(e.getKey() + " with an OPS key: " + ops);
            }
            int admin = call(verbPath[0], verbPath[1], ADMIN_KEY);
            if (admin == 401 || admin == 403) {
                wrong.add(e.getKey() + " with an ADMIN key: " + admin);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void tooManyRequestsFromOneKeyAre429WithRetryAfter() {
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 30; i++) {
            Response r = get("/api/orders?size=1", "test-limited-secret");
            if (r.status() == 429) {
                limited++;
                retryAfter = r.header("Retry-After");
            }
        }
        assertThat(limited).isPositive();
        assertThat(Long.parseLong(retryAfter)).isPositive();
        assertThat(get("/api/orders?size=1", OPS_KEY).status()).as("other keys are not limited").isEqualTo(200);
    }

    private List<String> endpoints() {
        List<String> all = new ArrayList<>();
        for (RestDefinition rest : camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = rest.getPath() + (verb.getPath() == null ? "" : verb.getPath());
                all.add(verb.asVerb().toUpperCase() + " " + path);
            }
        }
        return all;
    }

    private int call(String method, String path, String key) {
        String concrete = path.replaceAll("\\{[^}]+}", "X-1");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api" + concrete))
                .header("Content-Type", "application/json")
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
