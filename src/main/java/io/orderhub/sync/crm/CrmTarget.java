package io.orderhub.sync.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.sync.outbound.EventMapping;
import io.orderhub.sync.outbound.HttpTarget;
import io.orderhub.sync.outbound.SyncTarget;
import io.orderhub.sync.outbound.TargetRejectedException;
import io.orderhub.sync.outbound.TargetRequest;

/**
 * The CRM over the Salesforce REST API: every record is an upsert by external id,
 * {@code PATCH /services/data/<version>/sobjects/<type>/<externalIdField>/<id>}, so a repeat is
 * harmless. The mapping file ({@code mappings/crm/customer.jsonata} by default) returns
 * {@code {"type", "externalIdField", "id", "record"}} entries: the customer (Account) with the
 * order summarised onto it, and the order summary record.
 */
public class CrmTarget implements SyncTarget {

    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final EventMapping mapping;
    private final HttpTarget http;
    private final String apiVersion;

    public CrmTarget(EventMapping mapping, HttpTarget http, String apiVersion) {
        this.mapping = mapping;
        this.http = http;
        this.apiVersion = apiVersion;
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
        return upserts(name(), mapping.file(), apiVersion, event.path("eventId").asText(), mapping.apply(event));
    }

    /**
     * The Salesforce upserts a CRM mapping's result asks for: each entry {@code {"type", "externalIdField", "id",
     * "record"}} becomes {@code PATCH /services/data/<apiVersion>/sobjects/<type>/<externalIdField>/<id>} with the
     * idempotency key {@code <eventId>-<n>}. Used by this target and by {@code routes/crm-sync.camel.yaml}.
     */
    public static List<TargetRequest> upserts(String target, String mappingFile, String apiVersion, String eventId,
                                              List<JsonNode> mapped) {
        List<TargetRequest> out = new ArrayList<>();
        for (JsonNode upsert : mapped) {
            String type = apiName(target, mappingFile, upsert, "type");
            String field = apiName(target, mappingFile, upsert, "externalIdField");
            String id = upsert.path("id").asText("");
            if (id.isBlank()) {
                throw new TargetRejectedException(target, null, "mapping " + mappingFile + ": id (the external id of the "
                        + type + " record) is missing for event " + eventId);
            }
            if (!upsert.path("record").isObject()) {
                throw new TargetRejectedException(target, null, "mapping " + mappingFile + ": record must be an object");
            }
            String path = "/services/data/" + apiVersion + "/sobjects/" + type + "/" + field + "/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            out.add(new TargetRequest("PATCH", path, upsert.get("record"), eventId + "-" + (out.size() + 1)));
        }
        return out;
    }

    private static String apiName(String target, String mappingFile, JsonNode upsert, String key) {
        String value = upsert.path(key).asText("");
        if (!API_NAME.matcher(value).matches()) {
            throw new TargetRejectedException(target, null, "mapping " + mappingFile + ": " + key
                    + " must be a Salesforce API name, not '" + value + "'");
        }
        return value;
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
