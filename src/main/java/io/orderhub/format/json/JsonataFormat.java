package io.orderhub.format.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.format.CanonicalJsonFormat;
import io.orderhub.format.DocumentFormat;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatException;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;

/**
 * A JSON channel format whose mapping to the canonical order is a JSONata expression in
 * {@code mappings/<format>/...jsonata}. Java parses the document (exact decimals), runs the
 * expression with the decimal helpers of {@link JsonataFunctions}, and turns its result back into
 * canonical order trees; the mapping itself decides every field.
 *
 * <p>The expression returns one entry, or an array of entries, of the form
 * {@code {"source": "<JSON pointer of the order in the document>", "order": {...}}}. Problems the
 * mapping reports with {@code $fail} or {@code $decimal} belong to the order whose {@code source}
 * pointer they fall under, all others to the document.
 */
public abstract class JsonataFormat implements DocumentFormat {

    /** Bounds on one evaluation, so a runaway mapping cannot hold a worker. */
    static final long TIMEOUT_MS = 5_000;
    static final int MAX_DEPTH = 500;

    private final ObjectMapper json;
    private final String id;
    private final String defaultMapping;

    protected JsonataFormat(ObjectMapper json, String id, String defaultMapping) {
        this.json = json;
        this.id = id;
        this.defaultMapping = defaultMapping;
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * 80 when a JSON document's order object (wherever it stands: see {@link io.orderhub.format.JsonShape})
     * has at least one of the format's own markers among its keys and either {@code line_items} or a
     * second marker; 0 otherwise. Key order and document length do not matter.
     */
    protected static int recogniseByMarkers(DocumentHead head, List<String> markers) {
        if (!head.looksLikeJson()) {
            return 0;
        }
        java.util.Set<String> keys = head.json().orderKeys();
        long found = markers.stream().filter(keys::contains).count();
        if (found == 0) {
            return 0;
        }
        return found >= 2 || keys.contains("line_items") ? 80 : 0;
    }

    @Override
    public String mappingFile(MappingContext context) {
        return context.mappingFile(id, defaultMapping);
    }

    @Override
    public FormatResult read(byte[] document, MappingContext context) {
        String file = context.mappingFile(id, defaultMapping);
        Jsonata expression;
        try {
            expression = context.mappings().cached(file, JsonataFormat::compile);
        } catch (FormatException e) {
            return FormatResult.rejected(List.of(FieldError.of("mapping " + file, e.error().message())));
        }
        JsonNode node;
        try {
            node = CanonicalJsonFormat.parse(json, document);
        } catch (FormatException e) {
            return FormatResult.rejected(e.errors());
        }
        List<FieldError> errors = new ArrayList<>();
        Object result;
        try {
            Jsonata.Frame frame = expression.createFrame();
            frame.setRuntimeBounds(TIMEOUT_MS, MAX_DEPTH);
            JsonataFunctions.bind(frame, errors);
            result = expression.evaluate(JsonTrees.toJava(node), frame);
        } catch (JException e) {
            // a document whose values the mapping cannot work with (e.g. text where it adds numbers)
            return FormatResult.rejected(List.of(FieldError.of("mapping " + file,
                    "cannot map this document: " + e.getMessage())));
        } catch (RuntimeException e) {
            // the engine tripping over unusual content: the document stays stored and can be replayed
            return FormatResult.rejected(List.of(FieldError.of("mapping " + file,
                    "failed on this document: " + e.getClass().getSimpleName())));
        }
        return orders(result, errors, file);
    }

    private FormatResult orders(Object result, List<FieldError> errors, String file) {
        List<?> entries = result instanceof List<?> list ? list : result == null ? List.of() : List.of(result);
        List<MappedOrder> orders = new ArrayList<>();
        List<FieldError> unclaimed = new ArrayList<>(errors);
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map) || !(map.get("source") instanceof String source)) {
                return FormatResult.rejected(List.of(FieldError.of("mapping " + file,
                        "must return {\"source\": pointer, \"order\": {...}} entries, not " + describe(entry))));
            }
            List<FieldError> own = unclaimed.stream().filter(e -> belongsTo(e.field(), source)).toList();
            unclaimed.removeAll(own);
            JsonNode order = map.get("order") == null ? null : JsonTrees.toJson(map.get("order"));
            String documentId = order != null && order.path("externalId").isTextual() ? order.get("externalId").asText() : null;
            orders.add(new MappedOrder(order, documentId, orders.size() + 1, own));
        }
        if (orders.isEmpty() && unclaimed.isEmpty()) {
            unclaimed.add(FieldError.of("", "holds no order"));
        }
        if (!unclaimed.isEmpty()) {
            return new FormatResult(orders.isEmpty() ? List.of() : orders, unclaimed, null);
        }
        return FormatResult.of(orders);
    }

    private static boolean belongsTo(String field, String source) {
        return source.isEmpty() ? field.isEmpty() || field.startsWith("/")
                : field.equals(source) || field.startsWith(source + "/");
    }

    private static String describe(Object entry) {
        return entry == null ? "nothing" : entry.getClass().getSimpleName();
    }

    static Jsonata compile(byte[] bytes) {
        try {
            return JsonataCompiler.compile(new String(bytes, StandardCharsets.UTF_8));
        } catch (JException e) {
            throw new FormatException(FieldError.of("mapping", "cannot be compiled at character "
                    + e.getLocation() + ": " + e.getMessage()));
        }
    }
}
