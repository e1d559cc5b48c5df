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
        List<Adjustment> discounts,
        List<Adjustment> charges,
        Map<String, String> provenance) {

    /** An order without order-level discounts and charges and without provenance (the shape before issue 18). */
    public CanonicalOrder(String orderId, String channel, String externalId, String orderDate, Instant receivedAt,
                          OrderStatus status, String currency, Customer customer, Address billTo, Address shipTo,
                          List<Line> lines, Totals totals, Payment payment, String shippingMethod, String notes,
                          Source source) {
        this(orderId, channel, externalId, orderDate, receivedAt, status, currency, customer, billTo, shipTo, lines,
                totals, payment, shippingMethod, notes, source, null, null, null);
    }

    public record Customer(String externalId, String name, String email, String phone, String company, String vatId) {
    }

    public record Address(String name, String company, String line1, String line2, String city, String region,
                          String postalCode, String country, String phone, String email) {
    }

    /**
     * One line. unitPrice is per ordered unit (after the document's price basis); lineTotal =
     * quantity × unitPrice − discounts + charges; source keeps the price as the document wrote it.
     * {@code partnerSku} is the item number as the partner's document wrote it when the channel's item
     * cross-reference turned it into our {@code sku} (null otherwise).
     */
    public record Line(Integer lineNo, String sku, String description, BigDecimal quantity, String uom,
                       BigDecimal unitPrice, BigDecimal lineTotal, BigDecimal taxAmount, String buyerSku,
                       List<Adjustment> discounts, List<Adjustment> charges, LineSource source, String partnerSku) {

        public Line(Integer lineNo, String sku, String description, BigDecimal quantity, String uom,
                    BigDecimal unitPrice, BigDecimal lineTotal, BigDecimal taxAmount, String buyerSku) {
            this(lineNo, sku, description, quantity, uom, unitPrice, lineTotal, taxAmount, buyerSku, null, null, null,
                    null);
        }

        Line withUom(String newUom) {
            return new Line(lineNo, sku, description, quantity, newUom, unitPrice, lineTotal, taxAmount, buyerSku,
                    discounts, charges, source, partnerSku);
        }

        public Line withSku(String ourSku, String documentSku) {
            return new Line(lineNo, ourSku, description, quantity, uom, unitPrice, lineTotal, taxAmount, buyerSku,
                    discounts, charges, source, documentSku);
        }
    }

    public CanonicalOrder withLines(List<Line> newLines) {
        return new CanonicalOrder(orderId, channel, externalId, orderDate, receivedAt, status, currency, customer,
                billTo, shipTo, newLines, totals, payment, shippingMethod, notes, source, discounts, charges, provenance);
    }

    /**
     * An allowance or a charge: amount (positive) with the document's reason code and text, and the
     * percentage and base it was computed from when the document gave one.
     */
    public record Adjustment(BigDecimal amount, String reason, String description, BigDecimal percent,
                             BigDecimal baseAmount) {
    }

    /** A line's price as the document wrote it: price for basisQuantity basisUnit, basis code, line amount. */
    public record LineSource(BigDecimal price, BigDecimal basisQuantity, String basisUnit, String basisCode,
                             BigDecimal lineAmount) {
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
                .map(l -> l.uom() == null ? l.withUom("EA") : l)
                .toList();
        return new CanonicalOrder(newOrderId, newChannel, externalId, orderDate, newReceivedAt, newStatus, currency,
                customer, billTo, shipTo, normalized, totals, payment, shippingMethod, notes, newSource, discounts,
                charges, provenance);
    }

    public CanonicalOrder withStatus(OrderStatus newStatus) {
        return new CanonicalOrder(orderId, channel, externalId, orderDate, receivedAt, newStatus, currency, customer,
                billTo, shipTo, lines, totals, payment, shippingMethod, notes, source, discounts, charges, provenance);
    }
}
