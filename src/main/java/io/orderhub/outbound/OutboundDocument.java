package io.orderhub.outbound;

import java.time.Instant;

/**
 * One document made for a channel's partner (docs/b2b-outbound.md), as the ledger keeps it: what it
 * answers (event, order), its type ({@code order-response}, {@code ship-notice}, {@code invoice},
 * {@code credit-note}), its
 * standard and partner, its control number, the bytes as sent, and where it stands ({@value #PENDING}
 * recorded and not yet sent, {@value #HELD} invalid and never sent, {@value #SENT}, {@value #FAILED} refused
 * by the partner's callback with a 4xx answer (its status and text in {@code errors}), {@value #ACKNOWLEDGED},
 * {@value #REJECTED}).
 */
public record OutboundDocument(String documentId, String eventId, String eventType, String channel, String orderId,
                               String type, String standard, String partner, Long controlNumber, String groupControl,
                               String setControl, String contentType, byte[] content, String status, String transport,
                               String errors, String ackReason, int attempts, Instant createdAt, Instant sentAt,
                               Instant acknowledgedAt) {

    public static final String PENDING = "PENDING";
    public static final String HELD = "HELD";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String REJECTED = "REJECTED";

    public static final String ORDER_RESPONSE = "order-response";
    public static final String SHIP_NOTICE = "ship-notice";
    public static final String INVOICE = "invoice";
    /** The credit note of a refunded return (X12 810 credit memo, EDIFACT INVOIC 381). */
    public static final String CREDIT_NOTE = "credit-note";

    /** The document as text (EDI and XML documents are UTF-8). */
    public String text() {
        return new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }
}
