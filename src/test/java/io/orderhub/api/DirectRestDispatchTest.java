package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.orderhub.support.HubTestSupport;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The REST routes are answered by {@link DirectRestDispatchFilter} on the request's thread, matched as Spring MVC
 * matched them (the most specific path first, the route's own methods); the application's controllers, methods no
 * route declares and unknown paths still go on to Spring MVC. The HTTP metrics keep the route's path pattern.
 */
class DirectRestDispatchTest extends HubTestSupport {

    @Autowired
    DirectRestDispatchFilter filter;

    @Autowired
    org.apache.camel.CamelContext camel;

    @Test
    void aRouteAnswersTheRequestInsideTheFilterWithoutGoingOnToSpringMvc() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/orders/ORD-NO-SUCH-ORDER");
        request.addHeader("X-API-Key", OPS_KEY);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean wentOn = new AtomicBoolean();
        FilterChain chain = (req, res) -> wentOn.set(true);

        filter.doFilter(request, response, chain);

        assertThat(wentOn).as("the filter chain went on to Spring MVC").isFalse();
        assertThat(request.isAsyncStarted()).isFalse();
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).contains("ORD-NO-SUCH-ORDER");
    }

    @Test
    void pathsAreMatchedMostSpecificFirstAndOnlyForTheRoutesMethods() {
        assertThat(pattern("POST", "/api/orders")).isEqualTo("/api/orders");
        assertThat(pattern("GET", "/api/orders/ORD-1/events")).isEqualTo("/api/orders/{id}/events");
        // a literal path beats the template that also matches it, as in Spring MVC
        assertThat(pattern("GET", "/api/inventory/reorder-suggestions")).isEqualTo("/api/inventory/reorder-suggestions");
        assertThat(pattern("GET", "/api/inventory/SKU-1")).isEqualTo("/api/inventory/{sku}");
        // left to Spring MVC: methods no route declares, unknown paths, the application's own controllers
        assertThat(pattern("DELETE", "/api/orders")).isNull();
        assertThat(pattern("HEAD", "/api/orders/ORD-1")).isNull();
        assertThat(pattern("OPTIONS", "/api/orders")).isNull();
        assertThat(pattern("GET", "/api/no-such-thing")).isNull();
        assertThat(pattern("GET", "/api/openapi.json")).isNull();
        assertThat(pattern("GET", "/actuator/health")).isNull();
        // a Content-Type the route does not declare it consumes: Spring MVC's 415, as before
        assertThat(pattern("POST", "/api/webhooks/payments/stripe", "application/json"))
                .isEqualTo("/api/webhooks/payments/{gateway}");
        assertThat(pattern("POST", "/api/webhooks/payments/stripe", "text/plain")).isNull();
        assertThat(pattern("POST", "/api/webhooks/payments/stripe", null)).isNull();
    }

    @Test
    void requestsServedDirectlyAreAnsweredAndMeasuredUnderTheirRoutesPattern() {
        Response created = postJson("/api/orders", WEBSHOP_KEY, order());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.body().get("orderId").asText();
        Response read = get("/api/orders/" + id, WEBSHOP_KEY);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body().get("orderId").asText()).isEqualTo(id);
        // Spring MVC still answers what no route takes: 405 with Allow, and its own controllers
        assertThat(send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/orders"))
                .header("X-API-Key", WEBSHOP_KEY).DELETE().build(), null).status()).isEqualTo(405);
        assertThat(get("/api/openapi.json", null).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/actuator/prometheus", null).text())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"GET\"[^}]*uri=\"/api/orders/\\{id}\"[^}]*} [1-9]"));
    }

    @Test
    void aStoppedRouteIsNoLongerAnsweredHereAndIsAgainOnceStarted() throws Exception {
        String path = "/api/inventory/reorder-suggestions";
        assertThat(pattern("GET", path)).isEqualTo(path);
        try {
            camel.getRouteController().stopRoute("getReorderSuggestions");
            // not the stopped consumer: the template /api/inventory/{sku} takes the path now, as in Spring MVC
            assertThat(pattern("GET", path)).isNotEqualTo(path);
        } finally {
            camel.getRouteController().startRoute("getReorderSuggestions");
        }
        assertThat(pattern("GET", path)).isEqualTo(path);
        assertThat(get(path, OPS_KEY).status()).isEqualTo(200);
    }

    private String pattern(String method, String path) {
        return pattern(method, path, null);
    }

    private String pattern(String method, String path, String contentType) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setContentType(contentType);
        DirectRestDispatchFilter.Route route = filter.routeFor(request);
        return route == null ? null : route.pattern().getPatternString();
    }
}
