package io.orderhub.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.audit.AuditLog;
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
    private final io.orderhub.outbound.Acknowledgements acknowledgements;
    private final io.orderhub.channel.ChannelRegistry channels;
    private final io.orderhub.outbound.DocumentsNeedingAttention attention;

    public DocumentApi(DocumentLedger ledger, OrderService orders, AuditLog audit,
                       io.orderhub.outbound.Acknowledgements acknowledgements, io.orderhub.channel.ChannelRegistry channels,
                       io.orderhub.outbound.DocumentsNeedingAttention attention) {
        this.attention = attention;
        this.acknowledgements = acknowledgements;
        this.channels = channels;
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
        ApiExchange.answerAsIs(exchange);
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

    /**
     * A partner's 997/999 or CONTRL for the channel's documents: matched, each document ACKNOWLEDGED or
     * REJECTED with the reason; {@code {matched, unmatched, documents}}. A channel key acts for its own
     * channel only (403 for another).
     */
    public void acknowledgement(Exchange exchange) {
        String channel = ApiExchange.header(exchange, "channel");
        Caller caller = ApiExchange.caller(exchange);
        channels.require(channel, "channel");
        if (caller.channelScope().isPresent() && !caller.channelScope().get().equals(channel)) {
            throw OrderHubException.field(Problem.FORBIDDEN, "channel", "this key acts for channel '"
                    + caller.channelScope().get() + "', not '" + channel + "'");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw OrderHubException.field(Problem.INVALID, "body", "send the 997, 999 or CONTRL interchange, or the UBL ApplicationResponse");
        }
        exchange.getMessage().setBody(io.orderhub.outbound.Acknowledgements.summary(acknowledgements.apply(channel, body)));
    }

    /** GET /api/ops/documents?state=held|unacknowledged&limit=: documents that need operations' attention. */
    public void needingAttention(Exchange exchange) {
        String state = ApiExchange.header(exchange, "state");
        if (state != null && !state.isBlank() && !io.orderhub.outbound.DocumentsNeedingAttention.STATES.contains(state)) {
            throw OrderHubException.field(Problem.INVALID, "state", "state is held, failed or unacknowledged, not '" + state + "'");
        }
        String limitText = ApiExchange.header(exchange, "limit");
        int limit;
        try {
            limit = limitText == null ? 100 : Integer.parseInt(limitText.trim());
        } catch (NumberFormatException e) {
            throw OrderHubException.field(Problem.INVALID, "limit", "limit is a whole number from 1 to 1000");
        }
        if (limit < 1 || limit > 1000) {
            throw OrderHubException.field(Problem.INVALID, "limit", "limit is a whole number from 1 to 1000");
        }
        exchange.getMessage().setBody(attention.find(state == null || state.isBlank() ? null : state, limit));
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
            // a held document's read-back problems; a failed one's single answer of the partner's callback
            m.put("errors", OutboundDocument.FAILED.equals(d.status()) ? List.of(d.errors()) : List.of(d.errors().split("; ")));
        }
        if (d.ackReason() != null) {
            m.put("reason", d.ackReason());
        }
        return m;
    }
}
