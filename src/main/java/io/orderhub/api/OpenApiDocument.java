package io.orderhub.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrderValidator;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The API contract as clients see it: {@code openapi/orderhub-api.yaml} (OpenAPI 3.1, maintained beside the routes),
 * with the canonical order's schema of the mapping file in force ({@code canonical-order.schema.json}) as
 * {@code components.schemas.CanonicalOrder} (what a client submits) and {@code StoredOrder} (the same with the
 * members the hub assigns: orderId, status, receivedAt, source), so the contract and the validator never differ.
 */
@Component
public class OpenApiDocument {

    public static final String RESOURCE = "openapi/orderhub-api.yaml";
    private static final String DEFS = "#/$defs/";
    private static final String DEFS_IN_DOCUMENT = "#/components/schemas/CanonicalOrder/$defs/";
    private static final String STORED_DEFS_IN_DOCUMENT = "#/components/schemas/StoredOrder/$defs/";
    /** What a personal field of a stored order reads after its erasure (io.orderhub.privacy). */
    private static final String ERASED = "[erased]";

    private final MappingFiles mappings;
    private final ObjectMapper json = new ObjectMapper();

    public OpenApiDocument(MappingFiles mappings) {
        this.mappings = mappings;
    }

    /** The whole document, built anew on each call (the canonical schema can change with the mappings). */
    public ObjectNode document() {
        ObjectNode doc = load();
        JsonNode canonical;
        try {
            canonical = json.readTree(mappings.read(CanonicalOrderValidator.SCHEMA_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        merge(doc, (ObjectNode) canonical);
        return doc;
    }

    /** Places the canonical order's JSON schema into the document (static for tests that have no hub). */
    public static void merge(ObjectNode doc, ObjectNode canonicalSchema) {
        ObjectNode input = canonicalSchema.deepCopy();
        input.remove("$schema");
        input.remove("$id");
        rewriteRefs(input);
        // the stored order has its own copy of the definitions: after a personal data erasure (GDPR art. 17) its
        // personal fields read "[erased]", which the e-mail and phone patterns of a submitted order do not allow
        ObjectNode stored = canonicalSchema.deepCopy();
        stored.remove("$schema");
        stored.remove("$id");
        rewriteRefs(stored, STORED_DEFS_IN_DOCUMENT);
        ObjectNode storedDefs = (ObjectNode) stored.get("$defs");
        for (String erasable : new String[] {"email", "phone"}) {
            if (storedDefs != null && storedDefs.has(erasable)) {
                ObjectNode either = JsonNodeFactory.instance.objectNode();
                either.putArray("anyOf").add(storedDefs.get(erasable)).addObject().put("const", ERASED);
                storedDefs.set(erasable, either);
            }
        }
        stored.remove("additionalProperties");
        stored.put("description", "A stored order: the canonical order with the members the hub assigns");
        ObjectNode props = (ObjectNode) stored.get("properties");
        props.putObject("orderId").put("type", "string");
        props.putObject("status").put("$ref", "#/components/schemas/OrderStatus");
        props.putObject("receivedAt").put("type", "string");
        props.putObject("source").put("type", "object");
        ArrayNode required = stored.putArray("required");
        for (String name : new String[] {"orderId", "channel", "externalId", "status", "currency", "lines"}) {
            required.add(name);
        }
        ObjectNode schemas = (ObjectNode) doc.with("components").with("schemas");
        schemas.set("CanonicalOrder", input);
        schemas.set("StoredOrder", stored);
    }

    private static void rewriteRefs(JsonNode node) {
        rewriteRefs(node, DEFS_IN_DOCUMENT);
    }

    private static void rewriteRefs(JsonNode node, String defsInDocument) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getKey().equals("$ref") && f.getValue().isTextual() && f.getValue().asText().startsWith(DEFS)) {
                    f.setValue(TextNode.valueOf(defsInDocument + f.getValue().asText().substring(DEFS.length())));
                } else {
                    rewriteRefs(f.getValue(), defsInDocument);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(n -> rewriteRefs(n, defsInDocument));
        }
    }

    /** The hand-maintained document as it is on the classpath. */
    public static ObjectNode load() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            return (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " cannot be read", e);
        }
    }
}
