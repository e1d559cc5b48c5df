package io.orderhub.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.ops.AuditLog;
import io.orderhub.order.OrderService;
import io.orderhub.outbound.DocumentLedger;
import io.orderhub.outbound.OutboundDocument;
import io.orderhub.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The partner documents of an order (docs/b2b-outbound.md): the list, the bytes as sent, and a resend
 * with the same control number (OPS, audited). A channel sees only its own orders' documents.
 */
@Component("documentApi")
public class DocumentApi {

    private final DocumentLedger ledger;
    private final OrderService orders;
    private final AuditLog audit;

    public DocumentApi(DocumentLedger ledger, OrderService orders, AuditLog audit) {
        this.ledger = ledger;
        this.orders = orders;
        this.audit = audit;
    }

    /** {@code [{documentId, type, standard, controlNumber, createdAt, status, transport}]}, with errors or reason when there are. */
    public void orderDocuments(Exchange exchange) {
        String orderId = ApiExchange.header(exchange, "id");
        orders.get(orderId, ApiExchange.caller(exchange)); // 404 for an order the caller may not see
        exchange.getMessage().setBody(ledger.ofOrder(orderId).stream().map(DocumentApi::summary).toList());
    }

    public void content(Exchange exchange) {
        OutboundDocument d = visible(exchange);
        exchange.getMessage().setBody(d.content());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, d.contentType());
    }

    /** The document to send again as it was (same bytes, id and control number); 409 when it was held. */
    public void resend(Exchange exchange) {
        OutboundDocument d = visible(exchange);
        if (OutboundDocument.HELD.equals(d.status())) {
            throw OrderHubException.field(Problem.CONFLICT, "documentId", "document " + d.documentId()
                    + " is held (it failed validation and was never sent): " + d.errors());
        }
        exchange.getMessage().setBody(d);
    }

    /** After the resend went: audited, and the document's state as the answer. */
    public void resent(Exchange exchange) {
        OutboundDocument d = exchange.getProperty(io.orderhub.outbound.camel.OutboundAdapter.DOCUMENT, OutboundDocument.class);
        OutboundDocument now = ledger.find(d.documentId()).orElseThrow();
        Caller caller = ApiExchange.caller(exchange);
        audit.record(caller, "document.resend", "document:" + d.documentId(), d.status(), now.status(),
                d.type() + " of order " + d.orderId() + ", control number " + d.controlNumber());
        exchange.getMessage().setBody(summary(now));
    }

    private OutboundDocument visible(Exchange exchange) {
        String id = ApiExchange.header(exchange, "documentId");
        Caller caller = ApiExchange.caller(exchange);
        return ledger.find(id).filter(d -> caller.maySee(d.channel()))
                .orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, "documentId", "no document " + id));
    }

    static Map<String, Object> summary(OutboundDocument d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("documentId", d.documentId());
        m.put("type", d.type());
        m.put("standard", d.standard());
        m.put("controlNumber", d.controlNumber());
        m.put("createdAt", d.createdAt());
        m.put("status", d.status());
        m.put("transport", d.transport());
        if (d.sentAt() != null) {
            m.put("sentAt", d.sentAt());
        }
        if (d.errors() != null) {
            m.put("errors", List.of(d.errors().split("; ")));
        }
        if (d.ackReason() != null) {
            m.put("reason", d.ackReason());
        }
        return m;
    }
}
