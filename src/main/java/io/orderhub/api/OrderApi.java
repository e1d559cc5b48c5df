package io.orderhub.api;

import java.util.HashMap;
import java.util.Map;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.ingest.DocumentIntake;
import io.orderhub.ingest.InboundDocument;
import io.orderhub.ingest.OrderIntake;
import io.orderhub.ingest.Receipt;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.ingest.Submission;
import io.orderhub.ingest.TransportIntake;
import io.orderhub.ingest.camel.IntakeSteps;
import io.orderhub.audit.AuditLog;
import io.orderhub.order.OrderQuery;
import io.orderhub.order.OrderQueryParser;
import io.orderhub.order.OrderService;
import io.orderhub.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads REST requests into service calls: each method takes what the route received (path and
 * query parameters as headers, the body) and leaves the result as the body for {@link ApiResponses}.
 */
@Component("orderApi")
public class OrderApi {

    private static final String VIA = "rest";

    private final ReceiptStore receipts;
    private final OrderIntake intake;
    private final TransportIntake steps;
    private final OrderService orders;
    private final OrderQueryParser queries;
    private final io.orderhub.mapping.MappingFiles mappingFiles;
    private final io.orderhub.format.FormatRegistry formats;
    private final AuditLog audit;
    private final io.orderhub.ops.OrderJourney journeys;

    public OrderApi(ReceiptStore receipts, OrderIntake intake, OrderService orders, OrderQueryParser queries,
                    io.orderhub.mapping.MappingFiles mappingFiles, io.orderhub.format.FormatRegistry formats,
                    AuditLog audit, io.orderhub.ops.OrderJourney journeys, TransportIntake steps) {
        this.steps = steps;
        this.audit = audit;
        this.journeys = journeys;
        this.mappingFiles = mappingFiles;
        this.formats = formats;
        this.receipts = receipts;
        this.intake = intake;
        this.orders = orders;
        this.queries = queries;
    }

    /** Stores the request body as a receipt before anything else may fail. */
    public void storeReceipt(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        String contentType = ApiExchange.header(exchange, Exchange.CONTENT_TYPE);
        String receiptId = receipts.store(new InboundDocument(ApiExchange.header(exchange, "channel"), VIA, contentType,
                body, false));
        exchange.setProperty(ApiExchange.RECEIPT_ID, receiptId);
        exchange.getMessage().setBody(body == null ? new byte[0] : body);
    }

    /** 415 unless the body is declared as JSON. */
    public void requireJson(Exchange exchange) {
        String contentType = ApiExchange.header(exchange, Exchange.CONTENT_TYPE);
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!(mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json")))) {
            throw OrderHubException.field(Problem.UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                    contentType == null ? "is missing; send application/json"
                            : "'" + contentType + "' is not accepted here; send application/json");
        }
    }

    /*
     * The two order submissions' own steps (routes/orders-api.camel.yaml) around the intake's shared ones
     * (intakeSteps: recognise, map, validate, create): the stored request's document on its way through them is
     * exchange property orderhubIntake; a refusal is recorded on the receipt and thrown (the problem answer).
     */

    /**
     * Read the canonical order (POST /api/orders; instead of recognise and map, it has no mapping): parsed once; its
     * channel is the caller's own for CHANNEL keys and the document's {@code channel} field for OPS and ADMIN.
     */
    public void readCanonical(Exchange exchange) {
        DocumentIntake document = steps.openRequest(ApiExchange.receiptId(exchange), null, null, null,
                exchange.getMessage().getBody(byte[].class), ApiExchange.caller(exchange), VIA);
        exchange.setProperty(IntakeSteps.DOCUMENT, document);
        steps.readCanonical(document);
    }

    /** A raw document posted to a channel's endpoint: the channel in the path, the format named or recognised. */
    public void openDocument(Exchange exchange) {
        exchange.setProperty(IntakeSteps.DOCUMENT, steps.openRequest(ApiExchange.receiptId(exchange),
                ApiExchange.header(exchange, "channel"), ApiExchange.header(exchange, "format"),
                ApiExchange.header(exchange, Exchange.CONTENT_TYPE), exchange.getMessage().getBody(byte[].class),
                ApiExchange.caller(exchange), VIA));
    }

    /** Create the orders; the submission (each order's result) is the body the answer reports (201, 200, 207). */
    public void create(Exchange exchange) {
        DocumentIntake document = IntakeSteps.document(exchange);
        steps.create(document);
        exchange.getMessage().setBody(document.submission());
    }

    public void get(Exchange exchange) {
        exchange.getMessage().setBody(orders.get(ApiExchange.header(exchange, "id"), ApiExchange.caller(exchange)));
    }

    /** The order's whole journey: receipt, state changes, outbound systems, dead letters. */
    public void journey(Exchange exchange) {
        exchange.getMessage().setBody(journeys.of(ApiExchange.header(exchange, "id"), ApiExchange.caller(exchange)));
    }

    public void events(Exchange exchange) {
        exchange.getMessage().setBody(orders.events(ApiExchange.header(exchange, "id"), ApiExchange.caller(exchange)));
    }

    public void list(Exchange exchange) {
        Map<String, String> params = new HashMap<>();
        for (String name : OrderQueryParser.PARAMETERS) {
            String value = ApiExchange.header(exchange, name);
            if (value != null) {
                params.put(name, value);
            }
        }
        OrderQuery query = queries.parse(params);
        exchange.getMessage().setBody(orders.list(query, ApiExchange.caller(exchange)));
    }

    public void cancel(Exchange exchange) {
        String reason = null;
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > 0) {
            reason = CancelRequest.reason(body);
        }
        exchange.getMessage().setBody(orders.cancel(ApiExchange.header(exchange, "id"), reason,
                ApiExchange.caller(exchange)));
    }

    /** Maps a document without storing anything ({@code format} and {@code channel} query parameters optional). */
    public void preview(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is empty; send the document to preview");
        }
        exchange.getMessage().setBody(intake.preview(ApiExchange.header(exchange, "format"),
                ApiExchange.header(exchange, "channel"), ApiExchange.header(exchange, Exchange.CONTENT_TYPE), body));
    }

    /** Runs a stored document again through today's mappings. */
    public void replay(Exchange exchange) {
        Receipt receipt = visibleReceipt(exchange);
        byte[] body = receipts.content(receipt.receiptId()).orElseThrow();
        exchange.setProperty(ApiExchange.RECEIPT_ID, receipt.receiptId());
        String before = receipt.status() + " " + receipt.orderIds();
        try {
            Submission result = intake.replay(receipt, body);
            audit.record(ApiExchange.caller(exchange), "receipt.replay", receipt.receiptId(), before,
                    receipts.find(receipt.receiptId()).map(r -> r.status() + " " + r.orderIds()).orElse(null), null);
            exchange.getMessage().setBody(result);
        } catch (OrderHubException e) {
            audit.record(ApiExchange.caller(exchange), "receipt.replay", receipt.receiptId(), before,
                    receipts.find(receipt.receiptId()).map(r -> r.status().name()).orElse(null), e.getMessage());
            throw e;
        }
    }

    /** The audit log, newest first ({@code target}, {@code from} and {@code limit} optional). */
    public void auditLog(Exchange exchange) {
        Map<String, String> p = new HashMap<>();
        p.put("from", ApiExchange.header(exchange, "from"));
        String limit = ApiExchange.header(exchange, "limit");
        int n;
        try {
            n = limit == null ? 100 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw OrderHubException.field(Problem.MALFORMED, "limit", "must be a whole number");
        }
        if (n < 1 || n > 1000) {
            throw OrderHubException.field(Problem.MALFORMED, "limit", "must be between 1 and 1000");
        }
        java.time.Instant from = queries.parse(p).from();
        exchange.getMessage().setBody(audit.find(ApiExchange.header(exchange, "target"), from, n));
    }

    /** The raw stored document (card numbers removed), with its original content type. */
    public void receiptContent(Exchange exchange) {
        Receipt receipt = visibleReceipt(exchange);
        if (receipts.contentRemoved(receipt.receiptId())) {
            throw OrderHubException.field(Problem.GONE, "receiptId", "the document of receipt " + receipt.receiptId()
                    + " was removed by retention or a personal data erasure; its record remains");
        }
        exchange.getMessage().setBody(receipts.content(receipt.receiptId()).orElseThrow());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE,
                receipt.contentType() == null ? "application/octet-stream" : receipt.contentType());
        ApiExchange.answerAsIs(exchange);
    }

    /** Mapping files in force, their versions, and changes refused by the golden cases. */
    public void mappingStatus(Exchange exchange) {
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("location", mappingFiles.location());
        status.put("formats", formats.ids());
        status.put("files", mappingFiles.versions());
        status.put("refusedChanges", mappingFiles.rejections().values());
        exchange.getMessage().setBody(status);
    }

    public void receipt(Exchange exchange) {
        exchange.getMessage().setBody(visibleReceipt(exchange));
    }

    private Receipt visibleReceipt(Exchange exchange) {
        String id = ApiExchange.header(exchange, "receiptId");
        Caller caller = ApiExchange.caller(exchange);
        return receipts.find(id).filter(r -> caller.maySee(r.channel()))
                .orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, "receiptId", "no receipt " + id));
    }
}
