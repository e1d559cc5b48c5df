package io.orderhub.sync.erp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.sync.outbound.EventMapping;
import io.orderhub.sync.outbound.HttpTarget;
import io.orderhub.sync.outbound.SyncTarget;
import io.orderhub.sync.outbound.TargetRejectedException;
import io.orderhub.sync.outbound.TargetRequest;

/**
 * The ERP over REST/JSON. What it receives is decided entirely by the mapping file
 * ({@code mappings/erp/sales-order.jsonata} by default): for each event the mapping returns zero or
 * more {@code {"method", "path", "body"}} calls (sales order created, status updated, invoice
 * requested, ...), so another ERP is another mapping file and base URL, not new Java. Each call
 * carries the idempotency key {@code <eventId>-<n>} (or the mapping's own {@code idempotencyKey}).
 */
public class ErpTarget implements SyncTarget {

    static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final EventMapping mapping;
    private final HttpTarget http;

    public ErpTarget(EventMapping mapping, HttpTarget http) {
        this.mapping = mapping;
        this.http = http;
    }

    @Override
    public String name() {
        return http.name();
    }

    @Override
    public String mappingFile() {
        return mapping.file();
    }

    @Override
    public List<TargetRequest> requests(JsonNode event) {
        return calls(name(), mapping.file(), event.path("eventId").asText(), mapping.apply(event));
    }

    /**
     * The calls a REST mapping's result asks for: each entry {@code {"method", "path", "body", "idempotencyKey"?}}
     * (method POST when left out), with the idempotency key {@code <eventId>-<n>} unless the mapping gives one. Used
     * by this target and by the partner routes ({@code routes/erp-sync.camel.yaml}, the partner-events template).
     */
    public static List<TargetRequest> calls(String target, String mappingFile, String eventId, List<JsonNode> mapped) {
        List<TargetRequest> out = new ArrayList<>();
        for (JsonNode call : mapped) {
            String method = call.path("method").asText("POST").toUpperCase(Locale.ROOT);
            String path = call.path("path").asText("");
            if (!METHODS.contains(method)) {
                throw new TargetRejectedException(target, null, "mapping " + mappingFile + ": method must be one of "
                        + METHODS + ", not '" + method + "'");
            }
            if (!path.startsWith("/")) {
                throw new TargetRejectedException(target, null, "mapping " + mappingFile
                        + ": path must start with '/', not '" + path + "'");
            }
            String key = call.hasNonNull("idempotencyKey") ? call.get("idempotencyKey").asText()
                    : eventId + "-" + (out.size() + 1);
            out.add(new TargetRequest(method, path, call.hasNonNull("body") ? call.get("body") : null, key));
        }
        return out;
    }

    @Override
    public io.orderhub.common.CallRecord calls() {
        return http.calls();
    }

    @Override
    public void send(TargetRequest request) {
        http.send(request);
    }
}
