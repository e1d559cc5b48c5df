package io.orderhub.sandbox;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.security.ApiKeyAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox CRM (embedded default): the Salesforce REST upsert by external id,
 * {@code PATCH /services/data/<version>/sobjects/<type>/<externalIdField>/<id>}, answering 201
 * (created) or 200 (updated) with Salesforce's {@code {id, success, errors, created}}, and 400 with
 * Salesforce's error list when an Account has no Name. Stores what it receives.
 */
@RestController
@RequestMapping("/sandbox/crm")
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxCrmController {

    static final String SYSTEM = "crm";

    private final SandboxSupport sandbox;

    public SandboxCrmController(SandboxSupport sandbox) {
        this.sandbox = sandbox;
    }

    @PatchMapping(path = "/services/data/{version}/sobjects/{type}/{field}/{id}", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> upsert(@PathVariable String version, @PathVariable String type,
                                         @PathVariable String field, @PathVariable String id,
                                         @RequestBody(required = false) String body,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        ObjectNode record = sandbox.object(body);
        if (record == null) {
            return error("JSON_PARSER_ERROR", "the body must be a JSON object", List.of());
        }
        if ("Account".equals(type) && (!record.path("Name").isTextual() || record.path("Name").asText().isBlank())) {
            return error("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", List.of("Name"));
        }
        String path = "/sobjects/" + type + "/" + field + "/" + id;
        boolean existed = sandbox.store().seen(SYSTEM, path);
        sandbox.store().store(SYSTEM, "PATCH", path, key, body);
        String sfId = UUID.nameUUIDFromBytes(path.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString()
                .replace("-", "").substring(0, 18);
        return ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("id", sfId, "success", true, "errors", List.of(), "created", !existed));
    }

    /** What the sandbox CRM received (OPS or ADMIN key); {@code contains} filters by text, e.g. an order id. */
    @GetMapping("/received")
    public ResponseEntity<Object> received(@RequestHeader(name = ApiKeyAuthenticator.HEADER, required = false) String apiKey,
                                           @RequestParam(required = false) String contains,
                                           @RequestParam(required = false) Integer limit, HttpServletRequest request) {
        return sandbox.received(SYSTEM, apiKey, contains, limit, request.getRequestURI());
    }

    private static ResponseEntity<Object> error(String code, String message, List<String> fields) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                .body(List.of(Map.of("errorCode", code, "message", message, "fields", fields)));
    }
}
