package io.orderhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.orderhub.api.OpenApiDocument;

/**
 * The API contract ({@code src/main/resources/openapi/orderhub-api.yaml} with the canonical order's schema, as the hub
 * serves it) as a checker of real HTTP exchanges: the path and method are documented (or the answer is the 404/405
 * problem document), the status is one the operation documents, the answer's media type is one it documents and
 * its body conforms to that schema, and, for a request the hub accepted (2xx), its query parameters and JSON body
 * conform too (a request the document calls invalid that the hub accepts means the document is wrong). A refused
 * request (4xx) may be invalid on purpose: only its answer is checked. Every REST test goes through it
 * ({@link HubTestSupport}).
 */
public final class ApiContract {

    private static final String BASE = "urn:orderhub:openapi";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile ApiContract shared;

    private final JsonNode doc;
    private final JsonSchemaFactory schemas;
    private final SchemaValidatorsConfig config;
    private final List<Template> templates = new ArrayList<>();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    private record Template(String path, Pattern regex, List<String> names, int variables) {
    }

    public ApiContract(JsonNode doc) {
        this.doc = doc;
        String text = doc.toString();
        this.schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaLoaders(l -> l.schemas(Map.of(BASE, text))));
        this.config = SchemaValidatorsConfig.builder().build();
        doc.get("paths").fieldNames().forEachRemaining(p -> {
            List<String> names = new ArrayList<>();
            StringBuilder regex = new StringBuilder();
            var m = Pattern.compile("\\{([^}]+)}").matcher(p);
            int last = 0;
            while (m.find()) {
                regex.append(Pattern.quote(p.substring(last, m.start()))).append("([^/]+)");
                names.add(m.group(1));
                last = m.end();
            }
            regex.append(Pattern.quote(p.substring(last)));
            templates.add(new Template(p, Pattern.compile(regex.toString()), names, names.size()));
        });
        templates.sort(Comparator.comparingInt(Template::variables));
    }

    /** The document as the hub serves it, built from the sources of this working tree. */
    public static ApiContract shared() {
        ApiContract c = shared;
        if (c == null) {
            ObjectNode d = OpenApiDocument.load();
            try {
                OpenApiDocument.merge(d, (ObjectNode) JSON.readTree(Files.readAllBytes(
                        Path.of("mappings", "canonical-order.schema.json"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            c = new ApiContract(d);
            shared = c;
        }
        return c;
    }

    public JsonNode document() {
        return doc;
    }

    /** Whether the URI is one the contract speaks for (the REST API; not the document and Swagger UI themselves). */
    public static boolean covers(URI uri) {
        String path = uri.getRawPath();
        return path.startsWith("/api/") && !path.equals("/api/openapi.json") && !path.equals("/api/openapi.yaml")
                && !path.startsWith("/api/docs");
    }

    /** Every way the exchange departs from the contract; empty when it conforms. */
    public List<String> check(String method, URI uri, String requestContentType, byte[] requestBody, int status,
                              String responseContentType, byte[] responseBody) {
        List<String> problems = new ArrayList<>();
        if (!covers(uri)) {
            return problems;
        }
        String verb = method.toLowerCase(Locale.ROOT);
        String path = uri.getRawPath().substring("/api".length());
        Optional<Map.Entry<Template, Map<String, String>>> found = match(path);
        String what = method + " " + uri.getRawPath() + " -> " + status;
        if (verb.equals("head") || verb.equals("options")) {
            return problems;
        }
        JsonNode operation = found.map(f -> doc.get("paths").get(f.getKey().path()).get(verb)).orElse(null);
        if (operation == null) {
            int expected = found.isEmpty() ? 404 : 405;
            // a request refused before routing (a malformed query string: 400; a rate limit: 429) is no departure
            if (status != expected && status != 400 && status != 429 && !(found.isEmpty() && status == 405)) {
                problems.add(what + ": " + (found.isEmpty() ? "path" : "method") + " not in the contract, so the answer "
                        + "must be " + expected);
            }
            problemBody(what, responseContentType, responseBody, problems);
            return problems;
        }
        String pointer = "/paths/" + escape(found.get().getKey().path()) + "/" + verb;
        JsonNode response = operation.at("/responses/" + status);
        String responsePointer = pointer + "/responses/" + status;
        if (response.isMissingNode()) {
            response = operation.at("/responses/default");
            responsePointer = pointer + "/responses/default";
        }
        if (response.isMissingNode()) {
            problems.add(what + ": status " + status + " is not documented for " + operation.path("operationId").asText());
            return problems;
        }
        if (response.has("$ref")) {
            responsePointer = response.get("$ref").asText().substring(1);
            response = doc.at(responsePointer);
        }
        checkBody(what + " (answer)", response.path("content"), responsePointer + "/content", responseContentType,
                responseBody, false, problems);
        if (status >= 200 && status < 300) {
            checkRequest(what, operation, pointer, found.get().getKey(), found.get().getValue(), uri,
                    requestContentType, requestBody, problems);
        }
        return problems;
    }

    private void checkRequest(String what, JsonNode operation, String pointer, Template template,
                              Map<String, String> pathValues, URI uri, String contentType, byte[] body,
                              List<String> problems) {
        Map<String, String> query = query(uri.getRawQuery());
        List<Map.Entry<JsonNode, String>> params = new ArrayList<>();
        JsonNode pathItem = doc.get("paths").get(template.path());
        collect(pathItem.path("parameters"), "/paths/" + escape(template.path()) + "/parameters", params);
        collect(operation.path("parameters"), pointer + "/parameters", params);
        for (Map.Entry<JsonNode, String> p : params) {
            JsonNode param = p.getKey();
            String in = param.path("in").asText();
            String name = param.path("name").asText();
            String value = in.equals("query") ? query.get(name) : in.equals("path") ? pathValues.get(name) : null;
            if (in.equals("header")) {
                continue;
            }
            if (value == null) {
                if (param.path("required").asBoolean()) {
                    problems.add(what + ": required " + in + " parameter " + name + " is missing");
                }
                continue;
            }
            JsonNode typed = typed(param.path("schema"), value);
            for (ValidationMessage m : schema(p.getValue() + "/schema").validate(typed)) {
                problems.add(what + ": " + in + " parameter " + name + "=" + value + ": " + m.getMessage());
            }
        }
        JsonNode requestBody = operation.path("requestBody");
        if (requestBody.isMissingNode()) {
            return;
        }
        boolean empty = body == null || body.length == 0;
        if (empty) {
            if (requestBody.path("required").asBoolean()) {
                problems.add(what + ": the request body is required");
            }
            return;
        }
        checkBody(what + " (request)", requestBody.path("content"), pointer + "/requestBody/content", contentType, body,
                true, problems);
    }

    private void collect(JsonNode list, String pointer, List<Map.Entry<JsonNode, String>> into) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String at = pointer + "/" + i;
            if (p.has("$ref")) {
                at = p.get("$ref").asText().substring(1);
                p = doc.at(at);
            }
            into.add(Map.entry(p, at));
        }
    }

    private void checkBody(String what, JsonNode content, String pointer, String contentType, byte[] body,
                           boolean request, List<String> problems) {
        boolean empty = body == null || body.length == 0;
        if (content.isMissingNode() || content.isEmpty()) {
            if (!empty && !request) {
                problems.add(what + ": has a body where the contract documents none");
            }
            return;
        }
        if (empty && !request) {
            problems.add(what + ": has no body where the contract documents " + fieldNames(content));
            return;
        }
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        String key = null;
        for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equals(mime) || k.equals("*/*") || (k.endsWith("/*") && mime.startsWith(k.substring(0, k.length() - 1)))) {
                key = k;
                break;
            }
        }
        if (key == null) {
            problems.add(what + ": media type '" + contentType + "' is not among " + fieldNames(content));
            return;
        }
        if (!(mime.equals("application/json") || mime.endsWith("+json"))) {
            return;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            if (!request) {
                problems.add(what + ": declared " + mime + " but is not JSON");
            }
            return;
        }
        if (parsed == null) {
            return;
        }
        for (ValidationMessage m : schema(pointer + "/" + escape(key) + "/schema").validate(parsed)) {
            problems.add(what + ": " + m.getMessage());
        }
    }

    private void problemBody(String what, String contentType, byte[] body, List<String> problems) {
        checkBody(what, doc.at("/components/responses/Problem/content"), "/components/responses/Problem/content",
                contentType, body, false, problems);
    }

    /** A compiled schema at a JSON pointer of the document (its $refs resolve within the document). */
    public JsonSchema schema(String pointer) {
        return compiled.computeIfAbsent(pointer, p -> schemas.getSchema(SchemaLocation.of(BASE + "#" + p), config));
    }

    private Optional<Map.Entry<Template, Map<String, String>>> match(String path) {
        for (Template t : templates) {
            var m = t.regex().matcher(path);
            if (m.matches()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < t.names().size(); i++) {
                    values.put(t.names().get(i), URLDecoder.decode(m.group(i + 1).replace("+", "%2B"),
                            StandardCharsets.UTF_8));
                }
                return Optional.of(Map.entry(t, values));
            }
        }
        return Optional.empty();
    }

    private JsonNode typed(JsonNode schema, String value) {
        JsonNode s = schema.has("$ref") ? doc.at(schema.get("$ref").asText().substring(1)) : schema;
        String type = s.path("type").asText();
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            return switch (type) {
                case "integer" -> value.matches("-?\\d{1,18}") ? f.numberNode(Long.parseLong(value)) : f.textNode(value);
                case "number" -> f.numberNode(new java.math.BigDecimal(value));
                case "boolean" -> value.equals("true") || value.equals("false") ? f.booleanNode(Boolean.parseBoolean(value))
                        : f.textNode(value);
                default -> f.textNode(value);
            };
        } catch (NumberFormatException e) {
            return f.textNode(value);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                values.putIfAbsent(pair, pair);
            }
        }
        return values;
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.toString();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
