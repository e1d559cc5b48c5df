package io.orderhub.sync.outbound;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.format.json.JsonTrees;
import io.orderhub.format.json.JsonataFunctions;
import io.orderhub.mapping.MappingFiles;

/**
 * Runs an outbound JSONata mapping file (e.g. {@code mappings/erp/sales-order.jsonata}) over an
 * {@code orders.events} event and returns what it produced: nothing (the target does not care
 * about this event), one object or an array of objects. Amounts stay exact decimals (the hub's
 * {@code $decimal}, {@code $times}, ... functions are available). The file is compiled once per
 * version in force ({@link MappingFiles#cached}).
 */
public class EventMapping {

    static final long TIMEOUT_MS = 5_000;
    static final int MAX_DEPTH = 500;

    private final String target;
    private final String file;
    private final MappingFiles mappings;

    public EventMapping(String target, String file, MappingFiles mappings) {
        this.target = target;
        this.file = file;
        this.mappings = mappings;
    }

    public String file() {
        return file;
    }

    /** The mapping's result entries as JSON trees; a mapping that fails rejects the event (dead letter). */
    public List<JsonNode> apply(JsonNode event) {
        Jsonata expression;
        try {
            expression = mappings.cached(file, EventMapping::compile);
        } catch (JException e) {
            throw new TargetRejectedException(target, null, "mapping " + file + " cannot be compiled at character "
                    + e.getLocation() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new TargetRejectedException(target, null, "mapping " + file + " cannot be loaded: " + e.getMessage());
        }
        List<FieldError> errors = new ArrayList<>();
        Object result;
        try {
            Jsonata.Frame frame = expression.createFrame();
            frame.setRuntimeBounds(TIMEOUT_MS, MAX_DEPTH);
            JsonataFunctions.bind(frame, errors);
            result = expression.evaluate(JsonTrees.toJava(event), frame);
        } catch (JException e) {
            throw new TargetRejectedException(target, null, "mapping " + file + " failed on event "
                    + event.path("eventId").asText() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new TargetRejectedException(target, null, "mapping " + file + " failed on event "
                    + event.path("eventId").asText() + ": " + e.getClass().getSimpleName());
        }
        if (!errors.isEmpty()) {
            throw new TargetRejectedException(target, null, "mapping " + file + " reported: "
                    + errors.stream().map(e -> e.field() + ": " + e.message()).toList());
        }
        List<?> entries = result instanceof List<?> list ? list : result == null ? List.of() : List.of(result);
        List<JsonNode> out = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?>)) {
                throw new TargetRejectedException(target, null, "mapping " + file + " must return objects, not "
                        + (entry == null ? "nothing" : entry.getClass().getSimpleName()));
            }
            out.add(JsonTrees.toJson(entry));
        }
        return out;
    }

    private static Jsonata compile(byte[] bytes) {
        return io.orderhub.format.json.JsonataCompiler.compile(new String(bytes, StandardCharsets.UTF_8));
    }
}
