package io.orderhub.sandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.api.ProblemDocument;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.security.ApiKeyAuthenticator;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** What both sandboxes share: the operator check of {@code /received}, its answer, and JSON bodies. */
@Component
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxSupport {

    static final int MAX_RECEIVED = 10_000;

    private final ApiKeyAuthenticator authenticator;
    private final SandboxStore store;
    private final ObjectMapper json;

    public SandboxSupport(ApiKeyAuthenticator authenticator, SandboxStore store, ObjectMapper json) {
        this.authenticator = authenticator;
        this.store = store;
        this.json = json;
    }

    SandboxStore store() {
        return store;
    }

    ObjectMapper json() {
        return json;
    }

    /** {@code GET /sandbox/<system>/received}: OPS or ADMIN key; the requests, bodies as JSON. */
    ResponseEntity<Object> received(String system, String apiKey, String contains, Integer limit, String uri) {
        try {
            Caller caller = authenticator.authenticate(apiKey);
            if (!EnumSet.of(Role.OPS, Role.ADMIN).contains(caller.role())) {
                throw OrderHubException.field(Problem.FORBIDDEN, ApiKeyAuthenticator.HEADER,
                        "a " + caller.role() + " key may not call this endpoint; it needs [OPS, ADMIN]");
            }
        } catch (OrderHubException e) {
            return problem(e, uri);
        }
        int n = limit == null ? 200 : Math.max(1, Math.min(limit, MAX_RECEIVED));
        List<Object> out = new ArrayList<>();
        for (SandboxStore.Received r : store.received(system, contains, n)) {
            out.add(Map.of("id", r.id(), "method", r.method(), "path", r.path(), "receivedAt", r.receivedAt().toString(),
                    "body", r.body() == null ? json.nullNode() : parseOrText(r.body())));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(out);
    }

    ResponseEntity<Object> problem(OrderHubException e, String uri) {
        return ResponseEntity.status(e.problem().status()).contentType(MediaType.parseMediaType(ProblemDocument.MEDIA_TYPE))
                .body(ProblemDocument.of(e.problem(), e.getMessage(), e.errors().isEmpty() ? null : e.errors(), uri, null));
    }

    /** The body as a JSON object, or null when it is not one. */
    ObjectNode object(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private JsonNode parseOrText(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(body);
        }
    }
}
