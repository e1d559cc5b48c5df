package io.orderhub.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.security.ApiKeyAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox ERP (embedded default): the REST/JSON API the packaged {@code mappings/erp/} mapping
 * talks to. Stores what it receives; answers 400 to a sales order without number or lines, 404 to a
 * status update or invoice for a sales order it never received, as a real ERP would; a repeated
 * Idempotency-Key is answered without storing twice.
 */
@RestController
@RequestMapping("/sandbox/erp")
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxErpController {

    static final String SYSTEM = "erp";

    private final SandboxSupport sandbox;

    public SandboxErpController(SandboxSupport sandbox) {
        this.sandbox = sandbox;
    }

    @PostMapping(path = "/sales-orders", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> salesOrder(@RequestBody(required = false) String body,
                                             @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        ObjectNode order = sandbox.object(body);
        List<String> missing = new ArrayList<>();
        if (order == null || !order.path("salesOrderNo").isTextual()) {
            missing.add("salesOrderNo");
        }
        if (order == null || !order.path("lines").isArray() || order.path("lines").isEmpty()) {
            missing.add("lines");
        }
        if (!missing.isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, "required fields missing: " + missing);
        }
        return accept("POST", "/sales-orders/" + order.get("salesOrderNo").asText(), key, body, HttpStatus.CREATED,
                Map.of("salesOrderNo", order.get("salesOrderNo").asText()));
    }

    @PutMapping(path = "/sales-orders/{salesOrderNo}/status", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> status(@PathVariable String salesOrderNo, @RequestBody(required = false) String body,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        ObjectNode update = sandbox.object(body);
        if (update == null || !update.path("status").isTextual()) {
            return error(HttpStatus.BAD_REQUEST, "required field missing: status");
        }
        if (!sandbox.store().seen(SYSTEM, "/sales-orders/" + salesOrderNo)) {
            return error(HttpStatus.NOT_FOUND, "no sales order " + salesOrderNo);
        }
        return accept("PUT", "/sales-orders/" + salesOrderNo + "/status", key, body, HttpStatus.OK,
                Map.of("salesOrderNo", salesOrderNo, "status", update.get("status").asText()));
    }

    /** Replaces a sales order the ERP has (a partner's replacement document changed the order's lines). */
    @PutMapping(path = "/sales-orders/{salesOrderNo}", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> replace(@PathVariable String salesOrderNo, @RequestBody(required = false) String body,
                                          @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        ObjectNode order = sandbox.object(body);
        if (order == null || !order.path("lines").isArray() || order.path("lines").isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, "required field missing: lines");
        }
        if (!salesOrderNo.equals(order.path("salesOrderNo").asText())) {
            return error(HttpStatus.BAD_REQUEST, "salesOrderNo in the body must be " + salesOrderNo);
        }
        if (!sandbox.store().seen(SYSTEM, "/sales-orders/" + salesOrderNo)) {
            return error(HttpStatus.NOT_FOUND, "no sales order " + salesOrderNo);
        }
        return accept("PUT", "/sales-orders/" + salesOrderNo + "/replacement", key, body, HttpStatus.OK,
                Map.of("salesOrderNo", salesOrderNo, "replaced", true));
    }

    @PostMapping(path = "/invoices", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> invoice(@RequestBody(required = false) String body,
                                          @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        ObjectNode invoice = sandbox.object(body);
        if (invoice == null || !invoice.path("salesOrderNo").isTextual() || !invoice.path("amount").isNumber()) {
            return error(HttpStatus.BAD_REQUEST, "required fields missing: salesOrderNo, amount");
        }
        String no = invoice.get("salesOrderNo").asText();
        if (!sandbox.store().seen(SYSTEM, "/sales-orders/" + no)) {
            return error(HttpStatus.NOT_FOUND, "no sales order " + no);
        }
        return accept("POST", "/invoices/" + no, key, body, HttpStatus.CREATED, Map.of("salesOrderNo", no));
    }

    /** A return receipt (units counted back at a warehouse) of a sales order the ERP knows, once per return. */
    @PostMapping(path = "/return-receipts", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> returnReceipt(@RequestBody(required = false) String body,
                                                @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return returnDocument(body, key, "/return-receipts/", "returnId", "lines");
    }

    /** A credit note (refund or store credit of a return) of a sales order the ERP knows, once per return. */
    @PostMapping(path = "/credit-notes", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> creditNote(@RequestBody(required = false) String body,
                                             @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return returnDocument(body, key, "/credit-notes/", "creditNoteNo", "amount");
    }

    private ResponseEntity<Object> returnDocument(String body, String key, String path, String idField, String required) {
        ObjectNode doc = sandbox.object(body);
        if (doc == null || !doc.path("salesOrderNo").isTextual() || !doc.path(idField).isTextual() || !doc.has(required)) {
            return error(HttpStatus.BAD_REQUEST, "required fields missing: salesOrderNo, " + idField + ", " + required);
        }
        String no = doc.get("salesOrderNo").asText();
        if (!sandbox.store().seen(SYSTEM, "/sales-orders/" + no)) {
            return error(HttpStatus.NOT_FOUND, "no sales order " + no);
        }
        String id = doc.get(idField).asText();
        return accept("POST", path + id, key, body, HttpStatus.CREATED, Map.of(idField, id, "salesOrderNo", no));
    }

    /** What the sandbox ERP received (OPS or ADMIN key); {@code contains} filters by text, e.g. an order id. */
    @GetMapping("/received")
    public ResponseEntity<Object> received(@RequestHeader(name = ApiKeyAuthenticator.HEADER, required = false) String apiKey,
                                           @RequestParam(required = false) String contains,
                                           @RequestParam(required = false) Integer limit, HttpServletRequest request) {
        return sandbox.received(SYSTEM, apiKey, contains, limit, request.getRequestURI());
    }

    /** Stores the request under the resource path it created or changed; a repeat is answered 200 without storing. */
    private ResponseEntity<Object> accept(String method, String path, String key, String body, HttpStatus created,
                                          Map<String, Object> answer) {
        boolean fresh = sandbox.store().store(SYSTEM, method, path, key, body);
        return ResponseEntity.status(fresh ? created : HttpStatus.OK).contentType(MediaType.APPLICATION_JSON)
                .body(fresh ? answer : Map.of("duplicate", true, "result", answer));
    }

    private static ResponseEntity<Object> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", status.getReasonPhrase(), "message", message));
    }
}
