package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.ApiContract;
import io.orderhub.support.HubTestSupport;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The API contract as clients get it: /api/openapi.json is a valid OpenAPI 3.1 document (swagger-parser), it is
 * the document the tests validate against, it documents exactly the REST routes the hub runs, every error is a
 * problem document, Swagger UI shows it at /api/docs; and the bugs an API fuzzer found stay fixed (issue 20).
 */
class OpenApiContractTest extends HubTestSupport {

    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch");

    @Autowired
    CamelContext camel;

    @Test
    void theServedDocumentIsAValidOpenApi31DocumentAndTheOneTheTestsCheckAgainst() {
        Response r = get("/api/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode doc = r.body();
        assertThat(doc).isEqualTo(ApiContract.shared().document());

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.text(), null, options);
        assertThat(parsed.getMessages()).as("validator messages").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1.");

        assertThat(doc.at("/servers/0/url").asText()).isEqualTo("/api");
        assertThat(doc.at("/components/securitySchemes/apiKey/name").asText()).isEqualTo("X-API-Key");
        assertThat(doc.at("/components/securitySchemes/apiKey/in").asText()).isEqualTo("header");
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        // a channel's client certificate (mTLS) is a way in on the channels' intake operations
        assertThat(doc.at("/components/securitySchemes/mutualTLS/type").asText()).isEqualTo("mutualTLS");
        for (String intake : List.of("/paths/~1orders/post", "/paths/~1channels~1{channel}~1orders/post",
                "/paths/~1channels~1{channel}~1refunds/post", "/paths/~1channels~1{channel}~1acknowledgements/post")) {
            assertThat(doc.at(intake + "/security").findParents("mutualTLS")).as(intake).hasSize(1);
            assertThat(doc.at(intake + "/security").findParents("apiKey")).as(intake).hasSize(1);
        }
        // the canonical order's schema is the mapping file's
        assertThat(doc.at("/components/schemas/CanonicalOrder/required"))
                .isEqualTo(ApiContract.shared().document().at("/components/schemas/CanonicalOrder/required"));
        assertThat(doc.at("/components/schemas/CanonicalOrder/$defs/line").isObject()).isTrue();
        assertThat(doc.at("/paths/~1orders/post/requestBody/content/application~1json/schema/anyOf/0/$ref").asText())
                .isEqualTo("#/components/schemas/CanonicalOrder");

        List<String> wrong = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!VERBS.contains(op.getKey())) {
                    continue;
                }
                String name = op.getKey() + " " + path.getKey();
                boolean success = false;
                for (Iterator<Map.Entry<String, JsonNode>> rs = op.getValue().get("responses").fields(); rs.hasNext(); ) {
                    Map.Entry<String, JsonNode> response = rs.next();
                    JsonNode resolved = resolve(doc, response.getValue());
                    if (response.getKey().startsWith("2")) {
                        success = true;
                    } else if (!resolved.path("content").has("application/problem+json")
                            || resolved.path("content").size() != 1) {
                        wrong.add(name + " " + response.getKey() + " is not application/problem+json");
                    }
                }
                if (!success) {
                    wrong.add(name + " documents no success");
                }
                if (!op.getValue().has("operationId")) {
                    wrong.add(name + " has no operationId");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyRestRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
        Set<String> routes = new TreeSet<>();
        for (RestDefinition rest : camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                routes.add(verb.asVerb().toLowerCase() + " " + rest.getPath() + (verb.getPath() == null ? "" : verb.getPath()));
            }
        }
        Set<String> documented = new TreeSet<>();
        JsonNode paths = get("/api/openapi.json", null).body().get("paths");
        paths.fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(verb -> {
            if (VERBS.contains(verb)) {
                documented.add(verb + " " + p.getKey());
            }
        }));
        assertThat(documented).as("operations of src/main/resources/openapi/orderhub-api.yaml")
                .containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void swaggerUiShowsTheDocumentAtApiDocs() {
        Response page = get("/api/docs", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("/api/openapi.json", "SwaggerUIBundle");
        String script = page.text().replaceAll("(?s).*<script src=\"([^\"]+swagger-ui-bundle\\.js)\".*", "$1");
        Response js = get(script, null);
        assertThat(js.status()).as(script).isEqualTo(200);
        assertThat(js.text()).contains("SwaggerUIBundle");
        assertThat(get("/webjars/swagger-ui/" + script.split("/")[3] + "/swagger-ui.css", null).status()).isEqualTo(200);
    }

    @Test
    void aChannelLongerThan64CharactersIsRefusedByNameAndItsReceiptIsStored() {
        String channel = "c".repeat(70);
        Response r = post("/api/channels/" + channel + "/orders", OPS_KEY, "application/json",
                order().toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("channel");
        assertThat(r.body().at("/errors/0/message").asText()).contains("70 characters long", "at most 64");
        assertThat(r.text()).doesNotContainIgnoringCase("sql").doesNotContain("Exception");
        String receiptId = r.body().get("receiptId").asText();
        JsonNode receipt = get("/api/receipts/" + receiptId, OPS_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.has("channel")).isFalse();
        assertThat(receipt.at("/errors/0/field").asText()).isEqualTo("channel");

        // the same bound for an OPS key's order naming its channel in the body
        var order = order();
        order.put("channel", "b".repeat(65));
        Response named = postJson("/api/orders", OPS_KEY, order);
        assertThat(named.status()).as(named.toString()).isEqualTo(422);
        assertThat(named.body().at("/errors/0/field").asText()).isEqualTo("/channel");
    }

    @Test
    void errorsOfTheHttpLayerAreProblemDocumentsNamingWhatIsWrong() {
        Response unsupported = send(HttpRequest.newBuilder(URI.create(base() + "/api/webhooks/payments/stripe"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                "x".getBytes(StandardCharsets.UTF_8));
        assertThat(unsupported.status()).isEqualTo(415);
        assertThat(unsupported.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(unsupported.body().at("/errors/0/field").asText()).isEqualTo("Content-Type");
        assertThat(unsupported.body().at("/errors/0/message").asText()).contains("'text/plain'", "application/json");

        Response carrier = send(HttpRequest.newBuilder(URI.create(base() + "/api/webhooks/carriers/easypost"))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString("<x/>")).build(),
                "<x/>".getBytes(StandardCharsets.UTF_8));
        assertThat(carrier.status()).isIn(401, 415);
        assertThat(carrier.header("Content-Type")).isEqualTo("application/problem+json");

        Response wrongMethod = send(HttpRequest.newBuilder(URI.create(base() + "/api/orders"))
                .header("X-API-Key", OPS_KEY).DELETE().build(), null);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(wrongMethod.header("Allow")).contains("GET", "POST");
        assertThat(wrongMethod.body().get("type").asText()).isEqualTo("urn:orderhub:problem:method-not-allowed");
        assertThat(wrongMethod.body().at("/errors/0/field").asText()).isEqualTo("method");
        assertThat(wrongMethod.body().at("/errors/0/message").asText()).contains("DELETE", "GET");

        for (String accept : new String[] {null, "text/html", "application/xml"}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/no-such-thing")).GET();
            if (accept != null) {
                b.header("Accept", accept);
            }
            Response missing = send(b.build(), null);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(missing.body().get("status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void anyMethodButGetOnReorderSuggestionsIs405ForEveryCaller() {
        for (String key : new String[] {null, WEBSHOP_KEY, OPS_KEY}) {
            for (String method : new String[] {"PUT", "POST", "DELETE"}) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/inventory/reorder-suggestions"))
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json");
                if (key != null) {
                    b.header("X-API-Key", key);
                }
                Response r = send(b.build(), "{}".getBytes(StandardCharsets.UTF_8));
                assertThat(r.status()).as(method + " with " + key + ": " + r).isEqualTo(405);
                assertThat(r.header("Allow")).isEqualTo("GET");
                assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            }
        }
        // without a body or content type too, and the GET still answers
        Response put = send(HttpRequest.newBuilder(URI.create(base() + "/api/inventory/reorder-suggestions"))
                .header("X-API-Key", OPS_KEY).PUT(HttpRequest.BodyPublishers.noBody()).build(), null);
        assertThat(put.status()).isEqualTo(405);
        assertThat(get("/api/inventory/reorder-suggestions", OPS_KEY).status()).isEqualTo(200);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }
}
