package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, finding 9: the actuator shows anonymous callers health (status only) and prometheus, nothing
 * else; every error is a problem document whatever the Accept header, with no parser internals; every answer
 * carries the standard security headers.
 */
class HttpLeaksTest extends HubTestSupport {

    static final String CHANNEL_KEY = WEBSHOP_KEY;

    @Test
    void metricsAndInfoNeedAnOperatorKey() {
        for (String path : new String[] {"/actuator/metrics", "/actuator/metrics/jvm.memory.used", "/actuator/info",
                "/actuator"}) {
            Response anonymous = get(path, null);
            assertThat(anonymous.status()).as(path + " " + anonymous).isEqualTo(401);
            assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
            assertThat(get(path, "not-a-key").status()).as(path).isEqualTo(401);
            assertThat(get(path, CHANNEL_KEY).status()).as(path).isEqualTo(403);
        }
        assertThat(get("/actuator/metrics", OPS_KEY).status()).isEqualTo(200);
        assertThat(get("/actuator/metrics/jvm.memory.used", ADMIN_KEY).status()).isEqualTo(200);
        assertThat(get("/actuator/info", OPS_KEY).status()).isEqualTo(200);
    }

    @Test
    void anonymousHealthIsTheStatusAloneAndPrometheusIsPublic() {
        Response anonymous = get("/actuator/health", null);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body().get("status").asText()).isEqualTo("UP");
        assertThat(anonymous.body().has("components")).as(anonymous.text()).isFalse();
        assertThat(anonymous.text()).doesNotContain("diskSpace").doesNotContain("path").doesNotContain("free");
        assertThat(get("/actuator/health/readiness", null).status()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).body().has("components")).isFalse();

        JsonNode operator = get("/actuator/health", OPS_KEY).body();
        assertThat(operator.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/health", CHANNEL_KEY).body().has("components")).as("a channel key sees no details")
                .isFalse();

        Response prometheus = get("/actuator/prometheus", null);
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.text()).contains("jvm_memory_used_bytes");
    }

    @Test
    void errorsAreProblemDocumentsWhateverTheAcceptHeader() {
        String[][] cases = {
                {"GET", "/api/no-such-thing", null, "404"},
                {"GET", "/no-such-page", null, "404"},
                {"GET", "/api/orders/ORD-000000001", null, "401"},
                {"GET", "/api/orders/ORD-999999999", OPS_KEY, "404"},
                {"GET", "/actuator/metrics", null, "401"},
        };
        for (String[] c : cases) {
            for (String accept : new String[] {"text/html", "text/html,application/xhtml+xml,*/*;q=0.8", "application/xml",
                    "image/png"}) {
                Response r = send(c[0], c[1], c[2], accept, null);
                assertThat(r.status()).as(c[1] + " Accept: " + accept + " -> " + r).isEqualTo(Integer.parseInt(c[3]));
                assertThat(r.header("Content-Type")).as(c[1] + " " + accept).startsWith("application/problem+json");
                assertThat(r.text()).doesNotContain("<html").doesNotContain("Whitelabel");
                assertThat(r.body().get("status").asInt()).isEqualTo(Integer.parseInt(c[3]));
            }
        }
    }

    @Test
    void parserErrorsAreDescribedInPlainWords() {
        String[] bodies = {"{\"externalId\": tru}", "{\"externalId\": \"A\", \"lines\": [1, 2,]}", "{\"lines\": 01}",
                "[\"\\uZZZZ\"]", "{\"a\": 1e}"};
        for (String body : bodies) {
            for (String path : new String[] {"/api/orders", "/api/channels/webshop/orders"}) {
                Response r = send("POST", path, WEBSHOP_KEY, "text/html", body);
                assertThat(r.status()).as(path + " " + body + " -> " + r).isIn(400, 415, 422);
                assertThat(r.header("Content-Type")).startsWith("application/problem+json");
                assertThat(r.text()).as(body).doesNotContain("`").doesNotContain("java.").doesNotContain("com.fasterxml")
                        .doesNotContain("(code ");
            }
            Response product = send("PUT", "/api/products/LEAK-1", OPS_KEY, null, body);
            assertThat(product.status()).as(body + " -> " + product).isEqualTo(400);
            assertThat(product.text()).doesNotContain("`").doesNotContain("java.").doesNotContain("com.fasterxml");
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        Response[] answers = {get("/api/orders?size=1", OPS_KEY), get("/api/orders?size=1", null),
                get("/api/no-such-thing", OPS_KEY), get("/actuator/health", null), get("/actuator/metrics", null),
                get("/no-such-page", null), get("/api/openapi.json", null)};
        for (Response r : answers) {
            String what = r.raw().uri() + " " + r.status();
            assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
            assertThat(r.header("X-Frame-Options")).as(what).isEqualTo("DENY");
            assertThat(r.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
            assertThat(r.header("Strict-Transport-Security")).as(what + ": no HSTS over plain HTTP").isNull();
        }
        assertThat(answers[0].header("Cache-Control")).isEqualTo("no-store");
        assertThat(answers[1].header("Cache-Control")).isEqualTo("no-store");
        assertThat(answers[2].header("Cache-Control")).isEqualTo("no-store");
    }

    private Response send(String method, String path, String key, String accept, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b.build(), body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }
}
