package io.orderhub.outbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides and makes the documents an order event owes the channel's partner (docs/b2b-outbound.md):
 * {@code order.confirmed} and {@code order.backordered} → order response; {@code order.shipped} → ship
 * notice, and the invoice when the channel's {@code invoiceOn} is SHIPPED; {@code order.delivered} → the
 * invoice when it is DELIVERED; {@code return.refunded} → the credit note (X12, EDIFACT, cXML, UBL). The standard is the channel's {@code outbound.format}, else the one the
 * order came in (X12, EDIFACT, UBL by {@link UblDocuments} or cXML by {@link CxmlDocuments}). Each document
 * is recorded before it is sent, with the next control number of its partner and standard, in one
 * transaction; a document that fails its read-back (EDI) or validation (UBL) is recorded HELD with the errors and
 * never sent.
 * A redelivered event finds its documents: those still PENDING are sent (again), those SENT by JMS only when
 * the broker marks the event as redelivered (the crash may have come between sending and recording), always
 * under the same document id and control number. A document SENT by the REST callback or by mail is not sent
 * again (SENT is recorded, committed, right after the partner's 2xx or the mail server's acceptance), nor one
 * that failed (FAILED).
 */
@Service
public class OutboundDocuments {

    private static final Logger log = LoggerFactory.getLogger(OutboundDocuments.class);
    /** The transport that POSTs documents to the partner's callback URL. */
    public static final String REST = "rest";
    /** The transport that sends documents to the broker, in the event's transaction. */
    public static final String JMS = "jms";
    /** How much of a refusing answer is kept. */
    static final int ANSWER_KEPT = 500;

    private final ChannelRegistry channels;
    private final DocumentLedger ledger;
    private final EdiDocuments edi;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final EdiDocumentModel model;
    private final UblDocuments ubl;
    private final CxmlDocuments cxml;
    private final DocumentEvents events;

    public OutboundDocuments(ChannelRegistry channels, DocumentLedger ledger, EdiDocuments edi, TransactionTemplate tx,
                             ObjectMapper json) {
        this(channels, ledger, edi, null, tx, json, null, null);
    }

    public OutboundDocuments(ChannelRegistry channels, DocumentLedger ledger, EdiDocuments edi, UblDocuments ubl,
                             TransactionTemplate tx, ObjectMapper json) {
        this(channels, ledger, edi, ubl, tx, json, null, null);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public OutboundDocuments(ChannelRegistry channels, DocumentLedger ledger, EdiDocuments edi, UblDocuments ubl,
                             TransactionTemplate tx, ObjectMapper json, CxmlDocuments cxml, DocumentEvents events) {
        this.ubl = ubl;
        this.events = events;
        this.channels = channels;
        this.ledger = ledger;
        this.edi = edi;
        this.tx = tx;
        this.json = json;
        this.model = new EdiDocumentModel(ledger);
        this.cxml = cxml;
    }

    /** The documents to send for this event now (recorded first); empty when none is due. */
    public List<OutboundDocument> prepare(String payload, boolean redelivered) {
        JsonNode event = parse(payload);
        String eventType = event.path("type").asText("");
        JsonNode order = event.path("data").path("order");
        String orderId = event.path("orderId").asText("");
        String eventId = event.path("eventId").asText("");
        if (!order.isObject() || orderId.isEmpty() || eventId.isEmpty()) {
            return List.of();
        }
        Optional<Channel> channel = channels.find(order.path("channel").asText(null));
        if (channel.isEmpty() || channel.get().outbound() == null) {
            return List.of();
        }
        Channel.Outbound outbound = channel.get().outbound();
        List<String> types = types(eventType, outbound);
        if (types.isEmpty()) {
            return List.of();
        }
        Optional<String> standard = Optional.ofNullable(outbound.format()).or(() -> ledger.sourceFormat(orderId)
                .map(OutboundDocuments::standardOf));
        if (standard.isEmpty() || standard.get() == null) {
            log.debug("order {} of channel {} came in a format with no partner standard: no {} sent", orderId,
                    channel.get().id(), types);
            return List.of();
        }
        List<OutboundDocument> due = new ArrayList<>();
        for (String type : types) {
            OutboundDocument d = ledger.find(eventId, channel.get().id(), type)
                    .orElseGet(() -> make(event, channel.get(), type, standard.get()));
            if (OutboundDocument.PENDING.equals(d.status())
                    || redelivered && OutboundDocument.SENT.equals(d.status()) && JMS.equals(d.transport())) {
                due.add(d);
            }
        }
        return due;
    }

    /** The transport took the document: SENT, and document.sent published the first time. */
    /**
     * The partner's callback took a document (2xx) and answered {@code answer}: SENT; for a cXML document whose
     * answer is a cXML Response, its Status then decides: 2xx ACKNOWLEDGED, 4xx REJECTED with the code, text and
     * content (other codes leave it SENT), each with its event.
     */
    public void sent(OutboundDocument d, String answer) {
        sent(d);
        if (!CxmlDocuments.CXML.equals(d.standard()) || events == null) {
            return;
        }
        CxmlDocuments.responseStatus(answer).filter(st -> st.accepted() || st.rejected()).ifPresent(st -> {
            String status = st.accepted() ? OutboundDocument.ACKNOWLEDGED : OutboundDocument.REJECTED;
            String reason = st.accepted() ? null : st.reason();
            tx.executeWithoutResult(t -> {
                if (ledger.acknowledge(d.documentId(), status, reason)) {
                    events.acknowledged(d, status, reason);
                }
            });
            log.info("{} {} of order {} {} by the partner's cXML Response {}", d.type(), d.documentId(), d.orderId(),
                    status.toLowerCase(java.util.Locale.ROOT), st.code());
        });
    }

    public void sent(OutboundDocument d) {
        // SENT and its event (document.sent, outbox and timeline) in one transaction, told only when it became SENT
        tx.executeWithoutResult(st -> {
            if (ledger.markSent(d.documentId()) && events != null) {
                events.sent(d);
            }
        });
        log.info("{} {} ({} control number {}) of order {} sent to channel {} by {}", d.type(), d.documentId(), d.standard(),
                d.controlNumber(), d.orderId(), d.channel(), d.transport());
    }

    /**
     * The partner's callback refused the document (a 4xx answer): recorded FAILED with the status and the
     * answer's first {@value #ANSWER_KEPT} characters, listed by {@code GET /api/ops/documents?state=failed};
     * not sent again by a redelivered event (an operator resends it once the partner's side is fixed).
     */
    /**
     * A document the transport cannot deliver for good (a mail with no recipient): FAILED with the reason,
     * listed for operations like a refused one.
     */
    public void undeliverable(OutboundDocument d, String reason) {
        ledger.markFailed(d.documentId(), reason);
        log.warn("{} {} of order {} for channel {} not sent: {}", d.type(), d.documentId(), d.orderId(), d.channel(), reason);
    }

    /** The address of the e-mail the order came in, if it came by e-mail. */
    public Optional<String> orderMailSender(String orderId) {
        return ledger.orderMailSender(orderId);
    }

    public void refused(OutboundDocument d, int status, String answer) {
        String text = answer == null ? "" : answer.strip();
        if (text.length() > ANSWER_KEPT) {
            text = text.substring(0, ANSWER_KEPT);
        }
        String reason = "callback answered " + status + (text.isEmpty() ? "" : ": " + text);
        ledger.markFailed(d.documentId(), reason);
        log.warn("{} {} of order {} refused by channel {}'s callback: HTTP {}", d.type(), d.documentId(), d.orderId(),
                d.channel(), status);
    }

    static List<String> types(String eventType, Channel.Outbound outbound) {
        List<String> types = new ArrayList<>();
        switch (eventType) {
            case "order.confirmed", "order.backordered" -> types.add(OutboundDocument.ORDER_RESPONSE);
            case "order.shipped" -> {
                types.add(OutboundDocument.SHIP_NOTICE);
                if ("SHIPPED".equals(outbound.invoiceOn())) {
                    types.add(OutboundDocument.INVOICE);
                }
            }
            case "order.delivered" -> {
                if ("DELIVERED".equals(outbound.invoiceOn())) {
                    types.add(OutboundDocument.INVOICE);
                }
            }
            // a refunded return (issue 22): its credit note
            case "return.refunded" -> types.add(OutboundDocument.CREDIT_NOTE);
            default -> {
            }
        }
        return types.stream().filter(outbound::sends).toList();
    }

    /** The partner standard of an inbound format: x12-850 → x12, edifact-orders → edifact, ubl, cxml; else null. */
    static String standardOf(String format) {
        if (format == null) {
            return null;
        }
        if (format.startsWith("x12")) {
            return EdiDocuments.X12;
        }
        if (format.startsWith("edifact")) {
            return EdiDocuments.EDIFACT;
        }
        return format.equals("ubl") || format.equals("cxml") ? format : null;
    }

    /** The document's id: derived from (event, channel, type), so every attempt names it alike. */
    static String documentId(String eventId, String channel, String type) {
        return "DOC-" + UUID.nameUUIDFromBytes((eventId + "\u0000" + channel + "\u0000" + type)
                .getBytes(StandardCharsets.UTF_8));
    }

    private OutboundDocument make(JsonNode event, Channel channel, String type, String standard) {
        String eventId = event.path("eventId").asText();
        String orderId = event.path("orderId").asText();
        Channel.Outbound outbound = channel.outbound();
        String transport = outbound.transport().type();
        Instant now = ledger.now();
        String id = documentId(eventId, channel.id(), type);
        if (CxmlDocuments.CXML.equals(standard) && cxml != null) {
            OutboundDocument d = cxml.make(event, channel, type, model(event, type, standard, now), id, now);
            record(d);
            if (OutboundDocument.HELD.equals(d.status())) {
                log.warn("{} {} of order {} for channel {} held: {}", type, id, orderId, channel.id(), d.errors());
            }
            return ledger.find(eventId, channel.id(), type).orElse(d);
        }
        boolean isUbl = UblDocuments.UBL.equals(standard);
        Channel.PartnerIds ids = EdiDocuments.X12.equals(standard) ? outbound.x12()
                : EdiDocuments.EDIFACT.equals(standard) ? outbound.edifact() : isUbl ? outbound.ubl() : null;
        String problem = null;
        if (isUbl) {
            if (ubl == null || !ubl.hasMapping(type)) {
                problem = "no mapping mappings/" + UblDocuments.mapping(type);
            }
        } else if (!EdiDocuments.X12.equals(standard) && !EdiDocuments.EDIFACT.equals(standard)) {
            problem = "no writer for " + standard + " " + type + " documents yet (docs/b2b-outbound.md)";
        } else if (!edi.hasMapping(standard, type)) {
            problem = "no mapping mappings/" + EdiDocuments.mapping(standard, type) + " with its schema";
        } else if (ids == null || ids.senderId() == null || ids.receiverId() == null) {
            problem = ChannelRegistry.FILE + ": channel '" + channel.id() + "' outbound." + standard
                    + " names no senderId and receiverId for the envelope";
        }
        String partner = ids == null || ids.receiverId() == null ? channel.id() : ids.partnerKey();
        if (problem != null) {
            OutboundDocument held = new OutboundDocument(id, eventId, event.path("type").asText(), channel.id(), orderId,
                    type, standard, partner, null, null, null, "text/plain", new byte[0], OutboundDocument.HELD, transport,
                    problem, null, 0, now, null, null);
            record(held);
            log.warn("{} of order {} for channel {} held: {}", type, orderId, channel.id(), problem);
            return ledger.find(eventId, channel.id(), type).orElse(held);
        }
        Map<String, Object> model = model(event, type, standard, now);
        OutboundDocument made = tx.execute(s -> {
            if (isUbl) {
                long control = ledger.nextControlNumber(partner, standard);
                UblDocuments.Written w;
                try {
                    w = ubl.write(type, model, ids, id, control, now);
                } catch (EdiDocuments.MappingFailure e) {
                    w = new UblDocuments.Written("", List.of(e.getMessage()));
                }
                String errors = w.errors().isEmpty() ? null : String.join("; ", w.errors());
                OutboundDocument d = new OutboundDocument(id, eventId, event.path("type").asText(), channel.id(), orderId,
                        type, standard, partner, control, null, null, "application/xml",
                        w.text().getBytes(StandardCharsets.UTF_8), errors == null ? OutboundDocument.PENDING
                        : OutboundDocument.HELD, transport, errors, null, 0, now, null, null);
                if (!ledger.insert(d)) {
                    s.setRollbackOnly(); // made by a twin delivery meanwhile: its number stands, ours goes back
                    return null;
                }
                return d;
            }
            long control = ledger.nextControlNumber(partner, standard);
            EdiDocuments.Written w;
            String errors;
            try {
                w = edi.write(standard, type, model, ids, control, EdiDocuments.utc(now));
                errors = w.errors().isEmpty() ? null : String.join("; ", w.errors());
            } catch (EdiDocuments.MappingFailure e) {
                w = new EdiDocuments.Written("", null, null, List.of(e.getMessage()));
                errors = e.getMessage();
            }
            OutboundDocument d = new OutboundDocument(id, eventId, event.path("type").asText(), channel.id(), orderId, type,
                    standard, partner, control, w.groupControl(), w.setControl(),
                    EdiDocuments.X12.equals(standard) ? "application/edi-x12" : "application/edifact",
                    w.text().getBytes(StandardCharsets.UTF_8), errors == null ? OutboundDocument.PENDING : OutboundDocument.HELD,
                    transport, errors, null, 0, now, null, null);
            if (!ledger.insert(d)) {
                s.setRollbackOnly(); // made by a twin delivery meanwhile: its number stands, ours goes back
                return null;
            }
            return d;
        });
        if (made == null) {
            return ledger.find(eventId, channel.id(), type).orElseThrow();
        }
        if (OutboundDocument.HELD.equals(made.status())) {
            log.warn("{} {} of order {} for channel {} failed its validation and is held: {}", type, id, orderId,
                    channel.id(), made.errors());
        }
        return made;
    }

    private void record(OutboundDocument d) {
        tx.executeWithoutResult(s -> ledger.insert(d));
    }

    /** What a mapping sees: see {@link EdiDocumentModel#model}. */
    Map<String, Object> model(JsonNode event, String type, String standard, Instant now) {
        return model.model(event, type, standard, now);
    }

    private JsonNode parse(String payload) {
        try {
            return json.readTree(payload == null ? "" : payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("the message is not an orders.events event: " + e.getMessage(), e);
        }
    }
}
