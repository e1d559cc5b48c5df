package io.orderhub.order;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a change document (X12 860 POC, EDIFACT ORDCHG LIN): add a line, delete one, or change the
 * values it names (the others stay as stored). {@link #apply} makes the changed order from the stored one.
 */
public record LineChange(Action action, int lineNo, String sku, String description, BigDecimal quantity, String uom,
                         BigDecimal unitPrice, String buyerSku) {

    public enum Action { ADD, CHANGE, DELETE }

    /**
     * The stored order with these changes made: lines added, deleted or changed (a changed quantity or price
     * gives a new line total, quantity x price to the cent, and drops the line's tax amount, which the
     * document does not restate); subtotal is the sum of the line totals again and grandTotal = subtotal -
     * discount + shipping + tax with the stored discount, shipping and tax. Refuses (naming the line) to add a
     * line number that exists, to change or delete one that does not, or to delete every line (that is a
     * cancellation).
     */
    public static CanonicalOrder apply(CanonicalOrder stored, List<LineChange> changes) {
        Map<Integer, CanonicalOrder.Line> lines = new LinkedHashMap<>();
        for (CanonicalOrder.Line l : stored.lines()) {
            lines.put(l.lineNo(), l);
        }
        List<String> problems = new ArrayList<>();
        for (LineChange c : changes) {
            CanonicalOrder.Line was = lines.get(c.lineNo());
            switch (c.action()) {
                case ADD -> {
                    if (was != null) {
                        problems.add("line " + c.lineNo() + " is to be added but the order has a line " + c.lineNo()
                                + " already");
                    } else {
                        lines.put(c.lineNo(), line(c.lineNo(), c.sku(), c.description(), c.quantity(), c.uom(),
                                c.unitPrice(), null, c.buyerSku()));
                    }
                }
                case DELETE -> {
                    if (was == null) {
                        problems.add("line " + c.lineNo() + " is to be deleted but the order has no line " + c.lineNo());
                    } else {
                        lines.remove(c.lineNo());
                    }
                }
                case CHANGE -> {
                    if (was == null) {
                        problems.add("line " + c.lineNo() + " is to be changed but the order has no line " + c.lineNo());
                    } else {
                        BigDecimal quantity = c.quantity() == null ? was.quantity() : c.quantity();
                        BigDecimal price = c.unitPrice() == null ? was.unitPrice() : c.unitPrice();
                        boolean sameMoney = quantity.compareTo(was.quantity()) == 0 && price.compareTo(was.unitPrice()) == 0;
                        CanonicalOrder.Line now = line(was.lineNo(), c.sku() == null ? was.sku() : c.sku(),
                                c.description() == null ? was.description() : c.description(), quantity,
                                c.uom() == null ? was.uom() : c.uom(), price, sameMoney ? was.taxAmount() : null,
                                c.buyerSku() == null ? was.buyerSku() : c.buyerSku());
                        lines.put(was.lineNo(), sameMoney ? new CanonicalOrder.Line(now.lineNo(), now.sku(),
                                now.description(), now.quantity(), now.uom(), now.unitPrice(), was.lineTotal(),
                                now.taxAmount(), now.buyerSku()) : now);
                    }
                }
            }
        }
        if (problems.isEmpty() && lines.isEmpty()) {
            problems.add("the change deletes every line of the order; send a cancellation instead");
        }
        if (!problems.isEmpty()) {
            throw new RevisionRefused(String.join("; ", problems));
        }
        List<CanonicalOrder.Line> result = lines.values().stream()
                .sorted(java.util.Comparator.comparing(CanonicalOrder.Line::lineNo)).toList();
        BigDecimal subtotal = BigDecimal.ZERO;
        for (CanonicalOrder.Line l : result) {
            subtotal = subtotal.add(l.lineTotal() == null ? BigDecimal.ZERO : l.lineTotal());
        }
        CanonicalOrder.Totals t = stored.totals();
        BigDecimal discount = t == null || t.discount() == null ? BigDecimal.ZERO : t.discount();
        BigDecimal shipping = t == null || t.shipping() == null ? BigDecimal.ZERO : t.shipping();
        BigDecimal tax = t == null || t.tax() == null ? BigDecimal.ZERO : t.tax();
        CanonicalOrder.Totals totals = new CanonicalOrder.Totals(subtotal, discount, shipping, tax,
                subtotal.subtract(discount).add(shipping).add(tax));
        return new CanonicalOrder(stored.orderId(), stored.channel(), stored.externalId(), stored.orderDate(),
                stored.receivedAt(), stored.status(), stored.currency(), stored.customer(), stored.billTo(),
                stored.shipTo(), result, totals, stored.payment(), stored.shippingMethod(), stored.notes(), stored.source());
    }

    private static CanonicalOrder.Line line(int lineNo, String sku, String description, BigDecimal quantity, String uom,
                                            BigDecimal unitPrice, BigDecimal taxAmount, String buyerSku) {
        BigDecimal total = quantity == null || unitPrice == null ? null
                : quantity.multiply(unitPrice).setScale(2, RoundingMode.HALF_UP);
        return new CanonicalOrder.Line(lineNo, sku, description, quantity, uom == null ? "EA" : uom, unitPrice, total,
                taxAmount, buyerSku);
    }
}
