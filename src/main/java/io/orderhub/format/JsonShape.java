package io.orderhub.format;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * The keys of a JSON document that tell formats apart, read in one streaming pass (no tree is built):
 * the keys of the order object (the document itself, or the first order under an envelope such as
 * {@code {"order": ...}}, {@code {"orders": [...]}}, {@code {"data": ...}}, or the first element of a
 * top-level array) and the keys of its first line ({@code line_items} or {@code lines}). Key order and
 * document length do not matter: a Shopify order whose keys are sorted is still a Shopify order.
 *
 * <p>Bounded: at most {@link #MAX_TOKENS} tokens are read and only the first element of an array is
 * looked into. A document that is not valid JSON keeps what was read before the error; reading it
 * for real then reports the error with its line and column.
 */
public final class JsonShape {

    public static final int MAX_TOKENS = 2_000_000;
    static final List<String> ENVELOPES = List.of("order", "orders", "data");
    static final List<String> LINE_ARRAYS = List.of("line_items", "lines");

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build()).build();

    private final Set<String> topKeys = new LinkedHashSet<>();
    private final Set<String> envelopeKeys = new LinkedHashSet<>();
    private final Set<String> topLineKeys = new LinkedHashSet<>();
    private final Set<String> envelopeLineKeys = new LinkedHashSet<>();
    private String envelope;
    private int tokens;

    private JsonShape() {
    }

    /** The shape of a JSON document ({@code start} skips a byte order mark); empty when it is not JSON. */
    public static JsonShape of(byte[] body, int start) {
        JsonShape shape = new JsonShape();
        try (JsonParser p = FACTORY.createParser(body, start, body.length - start)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                shape.readOrder(p, shape.topKeys, shape.topLineKeys, true);
            } else if (first == JsonToken.START_ARRAY && shape.next(p) == JsonToken.START_OBJECT) {
                shape.readOrder(p, shape.topKeys, shape.topLineKeys, false);
            }
        } catch (IOException | LimitReached e) {
            // keep what was read: recognition works on the part before the error or the bound
        }
        return shape;
    }

    /** The keys of the order object: under the envelope when the document has one, else the top level. */
    public Set<String> orderKeys() {
        return envelope != null ? envelopeKeys : topKeys;
    }

    /** The keys of the order's first line ({@code line_items} or {@code lines} element). */
    public Set<String> lineKeys() {
        return envelope != null ? envelopeLineKeys : topLineKeys;
    }

    /** The envelope key the order sits under ({@code order}, {@code orders}, {@code data}), or null. */
    public String envelope() {
        return envelope;
    }

    public boolean hasOrderKey(String key) {
        return orderKeys().contains(key);
    }

    /** Reads an object whose START_OBJECT was just read, collecting its keys and its first line's keys. */
    private void readOrder(JsonParser p, Set<String> keys, Set<String> lineKeys, boolean top) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            keys.add(name);
            JsonToken value = next(p);
            if (LINE_ARRAYS.contains(name) && value == JsonToken.START_ARRAY) {
                if (next(p) == JsonToken.START_OBJECT) {
                    readKeys(p, lineKeys);
                    skipRest(p);
                }
            } else if (top && ENVELOPES.contains(name) && envelope == null
                    && (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)) {
                if (value == JsonToken.START_ARRAY) {
                    if (next(p) == JsonToken.START_OBJECT) {
                        envelope = name;
                        readOrder(p, envelopeKeys, envelopeLineKeys, false);
                    }
                    skipRest(p);
                } else {
                    envelope = name;
                    readOrder(p, envelopeKeys, envelopeLineKeys, false);
                }
            } else if (value.isStructStart()) {
                skip(p);
            }
        }
        if (top && envelope != null && (topKeys.size() > 1 && (topKeys.contains("line_items") || topKeys.contains("lines")
                || topKeys.contains("externalId")))) {
            // "order"/"data" was a field of the order itself, not an envelope around it
            envelope = null;
        }
    }

    /** Reads the keys of the object whose START_OBJECT was just read, skipping their values. */
    private void readKeys(JsonParser p, Set<String> keys) throws IOException {
        while (next(p) == JsonToken.FIELD_NAME) {
            keys.add(p.currentName());
            if (next(p).isStructStart()) {
                skip(p);
            }
        }
    }

    /** Skips the rest of the array the parser is in (after its first element). */
    private void skipRest(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = next(p)) != null && t != JsonToken.END_ARRAY) {
            if (t.isStructStart()) {
                skip(p);
            }
        }
    }

    private void skip(JsonParser p) throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken t = next(p);
            if (t == null) {
                return;
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            }
        }
    }

    private JsonToken next(JsonParser p) throws IOException {
        if (++tokens > MAX_TOKENS) {
            throw new LimitReached();
        }
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new LimitReached();
        }
        return t;
    }

    private static final class LimitReached extends RuntimeException {
        LimitReached() {
            super(null, null, false, false);
        }
    }
}
