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
        List<TargetRequest> out = new ArrayList<>();
        String eventId = event.path("eventId").asText();
        for (JsonNode upsert : mapping.apply(event)) {
            String type = apiName(upsert, "type");
            String field = apiName(upsert, "externalIdField");
            String id = upsert.path("id").asText("");
            if (id.isBlank()) {
                throw new TargetRejectedException(name(), null, "mapping " + mapping.file() + ": id (the external id of the "
                        + type + " record) is missing for event " + eventId);
            }
            if (!upsert.path("record").isObject()) {
                throw new TargetRejectedException(name(), null, "mapping " + mapping.file() + ": record must be an object");
            }
            String path = "/services/data/" + apiVersion + "/sobjects/" + type + "/" + field + "/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            out.add(new TargetRequest("PATCH", path, upsert.get("record"), eventId + "-" + (out.size() + 1)));
        }
        return out;
    }

    private String apiName(JsonNode upsert, String key) {
        String value = upsert.path(key).asText("");
        if (!API_NAME.matcher(value).matches()) {
            throw new TargetRejectedException(name(), null, "mapping " + mapping.file() + ": " + key
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
