package io.orderhub.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.security.ApiKeyAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox carrier's HTTP face, in EasyPost v2's format: {@code POST /v2/shipments},
 * {@code GET /v2/shipments/{id}}, {@code POST /v2/shipments/{id}/buy}, {@code POST
 * /v2/shipments/{id}/refund}, {@code GET /v2/trackers/{id}}; Basic auth with the API key as user
 * name; errors as {@code {"error": {code, message, errors}}}. {@code GET /received} (OPS or ADMIN
 * key) lists what it was asked.
 */
@RestController
@RequestMapping("/sandbox/carrier")
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxCarrierController {

    private final SandboxCarrier carrier;
    private final SandboxSupport sandbox;
    private final TransactionTemplate tx;
    private final String apiKey;

    public SandboxCarrierController(SandboxCarrier carrier, SandboxSupport sandbox, PlatformTransactionManager transactions,
                                    SandboxProperties settings) {
        this.carrier = carrier;
        this.sandbox = sandbox;
        this.tx = new TransactionTemplate(transactions);
        this.apiKey = settings.carrier().apiKey();
    }

    @PostMapping(path = "/v2/shipments", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> create(@RequestHeader(name = "Authorization", required = false) String auth,
                                         @RequestBody(required = false) String body) {
        return answer(auth, "POST", "/v2/shipments", body, HttpStatus.CREATED, () -> carrier.create(sandbox.object(body)));
    }

    @GetMapping("/v2/shipments/{id}")
    public ResponseEntity<Object> get(@RequestHeader(name = "Authorization", required = false) String auth,
                                      @PathVariable String id) {
        return answer(auth, null, null, null, HttpStatus.OK, () -> carrier.shipment(id));
    }

    @PostMapping(path = "/v2/shipments/{id}/buy", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> buy(@RequestHeader(name = "Authorization", required = false) String auth,
                                      @PathVariable String id, @RequestBody(required = false) String body) {
        return answer(auth, "POST", "/v2/shipments/" + id + "/buy", body, HttpStatus.OK,
                () -> carrier.buy(id, sandbox.object(body)));
    }

    @PostMapping(path = "/v2/shipments/{id}/refund", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> refund(@RequestHeader(name = "Authorization", required = false) String auth,
                                         @PathVariable String id, @RequestBody(required = false) String body) {
        return answer(auth, "POST", "/v2/shipments/" + id + "/refund", body, HttpStatus.OK, () -> carrier.refund(id));
    }

    @GetMapping("/v2/trackers/{id}")
    public ResponseEntity<Object> tracker(@RequestHeader(name = "Authorization", required = false) String auth,
                                          @PathVariable String id) {
        return answer(auth, null, null, null, HttpStatus.OK, () -> carrier.tracker(id));
    }

    /** POST /v2/trackers ({@code {"tracker": {"tracking_code", "carrier"}}}): the tracker of a label bought here. */
    @PostMapping(path = "/v2/trackers", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> createTracker(@RequestHeader(name = "Authorization", required = false) String auth,
                                                @RequestBody(required = false) String body) {
        return answer(auth, "POST", "/v2/trackers", body, HttpStatus.CREATED, () -> carrier.createTracker(sandbox.object(body)));
    }

    /**
     * Every other request under the emulated API (an endpoint the sandbox lacks, a method a path does not take):
     * EasyPost's own 404 error, so an SDK reports it as EasyPost would.
     */
    @RequestMapping("/v2/**")
    public ResponseEntity<Object> unknown(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getRequestURI().indexOf("/v2/"));
        return error(new SandboxCarrier.CarrierError(404, "NOT_FOUND", "The requested resource could not be found: "
                + request.getMethod() + " " + path + " (this sandbox emulates part of EasyPost's API: see docs/shipping.md)",
                null));
    }

    /** A request the sandbox cannot read: EasyPost's 422 error shape. */
    @org.springframework.web.bind.annotation.ExceptionHandler(Exception.class)
    public ResponseEntity<Object> unreadable(Exception e, HttpServletRequest request) throws Exception {
        if (!request.getRequestURI().contains("/v2/")) {
            throw e;
        }
        return error(new SandboxCarrier.CarrierError(422, "PARAMETER.INVALID", "the request could not be read: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null));
    }

    /**
     * The carrier's public tracking page (no key, as on a carrier's website): the parcel's tracking
     * status by tracking code; the link in the hub's shipping notifications.
     */
    @GetMapping("/track/{trackingCode}")
    public ResponseEntity<Object> track(@PathVariable String trackingCode,
                                        @RequestHeader(name = "Accept", required = false) String accept) {
        // a person following the link in a mail gets a page; a program asking for JSON gets JSON
        boolean json = accept != null && accept.contains("json") && !accept.contains("text/html");
        try {
            ObjectNode t = carrier.trackerByCode(trackingCode);
            if (!json) {
                return ResponseEntity.ok().contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                        .body(trackingPage(t));
            }
            ObjectNode page = t.objectNode();
            page.put("carrier", t.path("carrier").asText());
            page.put("trackingCode", t.path("tracking_code").asText());
            page.put("status", t.path("status").asText());
            page.put("updatedAt", t.path("updated_at").asText());
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(page);
        } catch (SandboxCarrier.CarrierError e) {
            if (!json) {
                return ResponseEntity.status(e.status).contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                        .body(html("Parcel not found", "<p>" + escape(e.getMessage()) + "</p>"));
            }
            return error(e);
        }
    }

    /** The tracking page: the parcel's status and each step reached, in plain HTML (no scripts, no outside assets). */
    static String trackingPage(ObjectNode t) {
        StringBuilder steps = new StringBuilder("<ol>");
        for (com.fasterxml.jackson.databind.JsonNode d : t.path("tracking_details")) {
            steps.append("<li><time>").append(escape(d.path("datetime").asText())).append("</time> ")
                    .append(escape(d.path("message").asText())).append(" (").append(escape(d.path("status").asText()))
                    .append(")</li>");
        }
        steps.append("</ol>");
        String status = t.path("status").asText().replace('_', ' ');
        return html("Parcel " + t.path("tracking_code").asText(), "<p>Carrier: " + escape(t.path("carrier").asText())
                + "</p><p>Status: <strong id=\"status\">" + escape(status) + "</strong></p>" + steps);
    }

    private static String html(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body><h1>" + escape(title) + "</h1>" + body + "</body></html>";
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** What the sandbox carrier received (OPS or ADMIN key); {@code contains} filters by text, e.g. a shipment id. */
    @GetMapping("/received")
    public ResponseEntity<Object> received(@RequestHeader(name = ApiKeyAuthenticator.HEADER, required = false) String key,
                                           @RequestParam(required = false) String contains,
                                           @RequestParam(required = false) Integer limit, HttpServletRequest request) {
        return sandbox.received(SandboxCarrier.SYSTEM, key, contains, limit, request.getRequestURI());
    }

    private ResponseEntity<Object> answer(String auth, String method, String path, String body, HttpStatus ok,
                                          Supplier<ObjectNode> action) {
        if (!authorized(auth)) {
            return error(new SandboxCarrier.CarrierError(401, "APIKEY.INVALID",
                    "send the API key as the Basic auth user name", null));
        }
        try {
            // what the carrier did and its record of the request commit together (a label is never bought unrecorded)
            ObjectNode result = tx.execute(s -> {
                ObjectNode done = action.get();
                if (method != null) {
                    keep(method, path, body);
                }
                return done;
            });
            return ResponseEntity.status(ok).contentType(MediaType.APPLICATION_JSON).body(result);
        } catch (SandboxCarrier.CarrierError e) {
            if (method != null) {
                keep(method, path, body);
            }
            return error(e);
        }
    }

    /** Every request is kept, a repeated one too (a second buy is what the sandbox must show). */
    private void keep(String method, String path, String body) {
        sandbox.store().store(SandboxCarrier.SYSTEM, method, path, java.util.UUID.randomUUID().toString(), body);
    }

    private boolean authorized(String auth) {
        if (auth == null) {
            return false;
        }
        if (auth.startsWith("Bearer ")) {
            return auth.substring(7).trim().equals(apiKey);
        }
        if (!auth.startsWith("Basic ")) {
            return false;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return (colon < 0 ? decoded : decoded.substring(0, colon)).equals(apiKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ResponseEntity<Object> error(SandboxCarrier.CarrierError e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code);
        error.put("message", e.getMessage());
        error.put("errors", e.field == null ? List.of() : List.of(Map.of("field", e.field, "message", e.getMessage())));
        return ResponseEntity.status(e.status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", error));
    }
}
