package io.orderhub.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The one order shape every channel format is turned into (DESIGN §4). Amounts are exact decimals
 * in the order's currency; optional fields are null and left out of the JSON. {@code provenance} names,
 * by JSON pointer, the values a mapping took by a fallback rule and where in the document they came from.
 */
public record CanonicalOrder(
        String orderId,
        String channel,
        String externalId,
        String orderDate,
        Instant receivedAt,
        OrderStatus status,
        String currency,
        Customer customer,
        Address billTo,
        Address shipTo,
        List<Line> lines,
        Totals totals,
        Payment payment,
        String shippingMethod,
        String notes,
        Source source,
        Map<String, String> provenance) {

    public record Customer(String externalId, String name, String email, String phone, String company, String vatId) {
    }

    public record Address(String name, String company, String line1, String line2, String city, String region,
                          String postalCode, String country, String phone, String email) {
    }

    /**
     * An order line. {@code partnerSku} is the item number as the partner's document wrote it when the
     * channel's item cross-reference turned it into our {@code sku} (null otherwise).
     */
    public record Line(Integer lineNo, String sku, String description, BigDecimal quantity, String uom,
                       BigDecimal unitPrice, BigDecimal lineTotal, BigDecimal taxAmount, String buyerSku,
                       String partnerSku) {

        public Line withSku(String ourSku, String documentSku) {
            return new Line(lineNo, ourSku, description, quantity, uom, unitPrice, lineTotal, taxAmount, buyerSku,
                    documentSku);
        }
    }

    public CanonicalOrder withLines(List<Line> newLines) {
        return new CanonicalOrder(orderId, channel, externalId, orderDate, receivedAt, status, currency, customer,
                billTo, shipTo, newLines, totals, payment, shippingMethod, notes, source, provenance);
    }

    public record Totals(BigDecimal subtotal, BigDecimal discount, BigDecimal shipping, BigDecimal tax,
                         BigDecimal grandTotal) {
    }

    public record Payment(String method, String token, String reference, String terms) {
    }

    public record Source(String format, String via, String receiptId, String documentId, Integer position) {
    }

    /** The order as the hub stores it: hub-assigned fields set, defaults filled in. */
    public CanonicalOrder assign(String newOrderId, String newChannel, Instant newReceivedAt, OrderStatus newStatus,
                                 Source newSource) {
        List<Line> normalized = lines == null ? List.of() : lines.stream()
                .map(l -> l.uom() == null ? new Line(l.lineNo(), l.sku(), l.description(), l.quantity(), "EA",
                        l.unitPrice(), l.lineTotal(), l.taxAmount(), l.buyerSku(), l.partnerSku()) : l)
                .toList();
        return new CanonicalOrder(newOrderId, newChannel, externalId, orderDate, newReceivedAt, newStatus, currency,
                customer, billTo, shipTo, normalized, totals, payment, shippingMethod, notes, newSource, provenance);
    }

    public CanonicalOrder withStatus(OrderStatus newStatus) {
        return new CanonicalOrder(orderId, channel, externalId, orderDate, receivedAt, newStatus, currency, customer,
                billTo, shipTo, lines, totals, payment, shippingMethod, notes, source, provenance);
    }
}
