package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.ApiContract;
import io.orderhub.support.HubTestSupport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.engine.SourceOfRandomness;
import org.junit.jupiter.api.Test;

/**
 * A property-based API test: requests generated from the OpenAPI document (jqwik generators per parameter and body
 * schema: valid values, values out of range, wrong types, long strings, unicode, control characters, malformed
 * JSON, wrong media types) to every operation, each exchange checked against the document ({@link ApiContract}: a
 * documented status, a conforming body, problem+json for errors), and no answer may be a 5xx. Seeded
 * ({@code -Dapi.fuzz.seed=}, a fixed seed by default) and bounded in time ({@code -Dapi.fuzz.seconds=}, 40 s by default).
 */
class ApiFuzzTest extends HubTestSupport {

    /** Operations that act on everything a filter selects (bulk replays) or on the hub itself: not fuzzed. */
    private static final Set<String> SKIPPED = Set.of("post /ops/receipts/replay", "post /ops/dead-letters/replay",
            "post /ops/planning/recompute", "post /ops/planning/seed",
            // they act on every stored value (re-encryption) or a customer's whole history (erasure), which the other
            // tests sharing this hub rely on
            "post /ops/crypto/rotate", "post /customers/{customerRef}/erasure");
    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Arbitrary<String> hostileStrings = Arbitraries.oneOf(
            Arbitraries.strings().all().ofMinLength(0).ofMaxLength(80),
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(60).ofMaxLength(5000),
            Arbitraries.strings().withChars("\u0000\u0007\u001b\u007f\u200b\u202e\ufeff\ud83d\ude00é中ß'\"<>%&;\\/").ofMaxLength(40),
            Arbitraries.of("", " ", "null", "-1", "0", "99999999999999999999", "1e309", "NaN", "../../etc/passwd",
                    "' or '1'='1", "%00", "REJECTED", "PT2H", "2026-01-01", "2026-01-01T00:00:00Z", "DLQ"));

    /** Strings drawn once by jqwik (its generators run outside a property only as sample streams); picked by seed. */
    private List<String> strings;
    private String lastBody;
    private String fuzzSku;

    @Test
    void generatedRequestsGetDocumentedAnswersAndNever5xx() {
        // a fixed seed by default, so that a CI run is reproducible; -Dapi.fuzz.seed=<n> explores others. It seeds
        // jqwik's source of randomness too: its sample streams draw from it, and unseeded they differed on each run
        long seed = Long.getLong("api.fuzz.seed", 20261206L);
        SourceOfRandomness.create(Long.toString(seed));
        strings = hostileStrings.sampleStream().limit(3000).toList();
        // a product of its own: what the fuzzer changes or orders never touches another test's stock or orders
        fuzzSku = "FUZZ-" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        assertThat(send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/products/" + fuzzSku))
                .header("X-API-Key", OPS_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"description\":\"fuzz\",\"unitPrice\":1,\"currency\":\"EUR\",\"weightKg\":0.1}"))
                .build(), "{\"description\":\"fuzz\",\"unitPrice\":1,\"currency\":\"EUR\",\"weightKg\":0.1}"
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
        long budgetMs = Duration.ofSeconds(Long.getLong("api.fuzz.seconds", 40)).toMillis();
        Random random = new Random(seed);
        JsonNode doc = ApiContract.shared().document();
        List<String[]> operations = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(verb -> {
            if (VERBS.contains(verb) && !SKIPPED.contains(verb + " " + p.getKey())) {
                operations.add(new String[] {verb, p.getKey()});
            }
        }));
        long start = System.currentTimeMillis();
        int sent = 0;
        List<String> failures = new ArrayList<>();
        while (System.currentTimeMillis() - start < budgetMs && sent < 3000 && failures.size() < 5) {
            String[] op = operations.get(sent % operations.size());
            String what = "seed " + seed + ", request " + sent + ": ";
            try {
                Response r = call(doc, op[0], op[1], random);
                if (r.status() >= 500) {
                    failures.add(what + r.raw().request().method() + " " + r.raw().uri() + " with " + lastBody
                            + " answered " + r);
                }
            } catch (AssertionError e) {
                failures.add(what + e.getMessage() + "\n  request body: " + lastBody);
            }
            sent++;
        }
        assertThat(failures).as("with -Dapi.fuzz.seed=" + seed + " after " + sent + " requests").isEmpty();
        assertThat(sent).as("requests sent").isGreaterThanOrEqualTo(operations.size());
    }

    private Response call(JsonNode doc, String verb, String template, Random random) {
        JsonNode pathItem = doc.get("paths").get(template);
        JsonNode operation = pathItem.get(verb);
        List<JsonNode> params = new ArrayList<>();
        pathItem.path("parameters").forEach(p -> params.add(resolve(doc, p)));
        operation.path("parameters").forEach(p -> params.add(resolve(doc, p)));
        String path = template;
        StringBuilder query = new StringBuilder();
        for (JsonNode p : params) {
            String name = p.get("name").asText();
            String in = p.get("in").asText();
            if (in.equals("path")) {
                String value = random.nextInt(4) == 0 ? known(name, verb.equals("get"), random)
                        : text(p.path("schema"), doc, random);
                String encoded = URLEncoder.encode(value.isEmpty() ? "x" : value, StandardCharsets.UTF_8).replace("+", "%20");
                path = path.replace("{" + name + "}", encoded);
            } else if (in.equals("query") && random.nextInt(3) > 0) {
                query.append(query.isEmpty() ? "?" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(text(p.path("schema"), doc, random), StandardCharsets.UTF_8));
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api" + path + query));
        int who = random.nextInt(10);
        String key = who == 0 ? null : who == 1 ? WEBSHOP_KEY : who == 2 ? "wrong-key" : OPS_KEY;
        if (key != null) {
            b.header("X-API-Key", key);
        }
        byte[] body = null;
        JsonNode content = operation.path("requestBody").path("content");
        if (!content.isMissingNode()) {
            List<String> types = new ArrayList<>();
            content.fieldNames().forEachRemaining(types::add);
            String type = random.nextInt(12) == 0 ? "text/plain" : types.get(random.nextInt(types.size()));
            if (type.endsWith("json")) {
                int how = random.nextInt(10);
                body = how == 0 ? "{\"unterminated\": [1, ".getBytes(StandardCharsets.UTF_8)
                        : how == 1 ? new byte[0]
                        : value(content.path(type).path("schema"), doc, random, 0).toString().getBytes(StandardCharsets.UTF_8);
            } else {
                body = sample(hostileStrings, random).getBytes(StandardCharsets.UTF_8);
            }
            b.header("Content-Type", type);
        }
        lastBody = body == null ? "no body" : new String(body, StandardCharsets.UTF_8);
        b.method(verb.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return send(b.build(), body);
    }

    /** A JSON value for the schema: mostly fitting, sometimes of the wrong type, missing members or with extra ones. */
    private JsonNode value(JsonNode schema, JsonNode doc, Random random, int depth) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (ref.equals("#/components/schemas/CanonicalOrder") && random.nextInt(3) > 0) {
                return mutatedOrder(random);
            }
            return value(doc.at(ref.substring(1)), doc, random, depth);
        }
        if (depth > 5 || random.nextInt(15) == 0) {
            return wrongType(random);
        }
        if (schema.has("enum") && random.nextInt(4) > 0) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        String type = schema.path("type").isArray() ? schema.get("type").get(0).asText() : schema.path("type").asText();
        return switch (type) {
            case "object" -> {
                ObjectNode o = F.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    boolean required = contains(schema.path("required"), p.getKey());
                    if (required ? random.nextInt(8) > 0 : random.nextBoolean()) {
                        o.set(p.getKey(), value(p.getValue(), doc, random, depth + 1));
                    }
                }
                if (random.nextInt(8) == 0) {
                    o.put(sample(hostileStrings, random), sample(hostileStrings, random));
                }
                yield o;
            }
            case "array" -> {
                ArrayNode a = F.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(value(schema.path("items"), doc, random, depth + 1));
                }
                yield a;
            }
            case "integer" -> F.numberNode(random.nextBoolean() ? random.nextLong(-5, 1000) : random.nextLong());
            case "number" -> F.numberNode(switch (random.nextInt(4)) {
                case 0 -> 1e300;
                case 1 -> -0.000001;
                default -> random.nextDouble(-10, 10000);
            });
            case "boolean" -> F.booleanNode(random.nextBoolean());
            case "string" -> F.textNode(sample(hostileStrings, random));
            default -> random.nextBoolean() ? F.objectNode() : wrongType(random);
        };
    }

    private JsonNode wrongType(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> F.nullNode();
            case 1 -> F.textNode(sample(hostileStrings, random));
            case 2 -> F.numberNode(random.nextLong());
            case 3 -> F.arrayNode().add(1).add("x");
            default -> F.booleanNode(true);
        };
    }

    /** The README's example order with one member replaced by a generated value. */
    private JsonNode mutatedOrder(Random random) {
        ObjectNode order = order();
        List<String> names = new ArrayList<>();
        order.fieldNames().forEachRemaining(names::add);
        for (JsonNode line : order.withArray("lines")) {
            ((ObjectNode) line).put("sku", fuzzSku);
        }
        String field = names.get(random.nextInt(names.size()));
        order.set(field, random.nextBoolean() ? wrongType(random) : F.textNode(sample(hostileStrings, random)));
        if (random.nextBoolean()) {
            order.put("channel", random.nextBoolean() ? "b2b" : sample(hostileStrings, random));
        }
        return order;
    }

    private String text(JsonNode schema, JsonNode doc, Random random) {
        JsonNode s = schema.has("$ref") ? doc.at(schema.get("$ref").asText().substring(1)) : schema;
        if (random.nextInt(3) == 0) {
            return sample(hostileStrings, random);
        }
        JsonNode v = value(s, doc, random, 0);
        return v.isTextual() ? v.asText() : v.toString();
    }

    /** Ids that exist: any for reading; for changing, only the fuzzer's own product (other tests' data stays as is). */
    private String known(String name, boolean read, Random random) {
        if (!read) {
            return switch (name) {
                case "sku" -> fuzzSku;
                case "channel" -> "c".repeat(65);
                case "gateway" -> "stripe";
                case "carrier" -> "easypost";
                default -> "FUZZ-NONE";
            };
        }
        List<String> values = switch (name) {
            case "channel" -> List.of("webshop", "b2b", "c".repeat(65));
            case "sku" -> List.of("MUG-BLUE", "TEE-M", "reorder-suggestions");
            case "queue" -> List.of("DLQ", "orders.inbound.DLQ", "orders.inbound");
            case "gateway" -> List.of("stripe");
            case "carrier" -> List.of("easypost", "sandbox");
            case "id" -> List.of("ORD-000000001", "eu-central", "SHP-000000001", "1");
            default -> List.of("x");
        };
        return values.get(random.nextInt(values.size()));
    }

    private String sample(Arbitrary<String> ignored, Random random) {
        return strings.get(random.nextInt(strings.size()));
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }
}
