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
     * The stored order with these changes made: lines added, deleted or changed (the values a change names; the
     * others stay as stored). A line whose quantity and price stay the same keeps everything it had (total, tax,
     * discounts and charges, the document's price and the partner's item number). A changed quantity or price gives
     * a new line total, quantity x price minus the line's discounts plus its charges, to the cent: a discount or
     * charge given as a percentage is computed again on the new quantity x price; one given as a fixed amount cannot
     * be (per line or per unit? the document does not restate it) and refuses the change naming the line. The
     * line's tax amount, which the document does not restate, is dropped. Order level: subtotal is the sum of the line
     * totals again; the order's own discounts and charges stay (a percentage one computed again on the new subtotal,
     * the totals' discount and shipping moved by the difference); grandTotal = subtotal - discount + shipping + tax.
     * Refuses (naming the line) to add a line number that exists, to change or delete one that does not, or to delete
     * every line (that is a cancellation).
     */
    public static CanonicalOrder apply(CanonicalOrder stored, List<LineChange> changes) {
        return apply(stored, changes, HeaderChange.NONE);
    }

    /**
     * As {@link #apply(CanonicalOrder, List)}, with the document's order-level restatements ({@link HeaderChange}):
     * allowances and charges it lists replace the stored ones (a percentage one computed on the new subtotal, to the
     * cent) and make totals.discount and totals.shipping; a tax it states replaces the stored tax; a grand total it
     * states must be the changed order's (subtotal - discount + shipping + tax, within a cent), else the change is
     * refused naming the document's field and both figures (never a silently different total).
     */
    public static CanonicalOrder apply(CanonicalOrder stored, List<LineChange> changes, HeaderChange header) {
        HeaderChange h = header == null ? HeaderChange.NONE : header;
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
                        BigDecimal total = c.quantity() == null || c.unitPrice() == null ? null
                                : cents(c.quantity().multiply(c.unitPrice()));
                        lines.put(c.lineNo(), new CanonicalOrder.Line(c.lineNo(), c.sku(), c.description(), c.quantity(),
                                c.uom() == null ? "EA" : c.uom(), c.unitPrice(), total, null, c.buyerSku()));
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
                        CanonicalOrder.Line now = changed(was, c, problems);
                        if (now != null) {
                            lines.put(was.lineNo(), now);
                        }
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
        // the order's own percentage discounts and charges follow the new subtotal; fixed ones stay as they are
        List<CanonicalOrder.Adjustment> discounts = rebased(stored.discounts(), subtotal);
        List<CanonicalOrder.Adjustment> charges = rebased(stored.charges(), subtotal);
        discount = discount.add(sum(discounts).subtract(sum(stored.discounts())));
        shipping = shipping.add(sum(charges).subtract(sum(stored.charges())));
        // the document's restatements of the order level replace what is stored
        if (h.discounts() != null) {
            discounts = computed(h.discounts(), subtotal);
            discount = sum(discounts);
        }
        if (h.charges() != null) {
            charges = computed(h.charges(), subtotal);
            shipping = sum(charges);
        }
        if (h.tax() != null) {
            tax = h.tax();
        }
        BigDecimal grand = subtotal.subtract(discount).add(shipping).add(tax);
        if (h.grandTotal() != null && h.grandTotal().subtract(grand).abs().compareTo(CanonicalOrderValidator.TOLERANCE) > 0) {
            throw new RevisionRefused("/totals/grandTotal" + (h.grandTotalAt() == null ? "" : " (" + h.grandTotalAt() + ")")
                    + " is " + h.grandTotal().stripTrailingZeros().toPlainString() + " but the changed order's lines"
                    + " − discount + shipping + tax is " + grand.stripTrailingZeros().toPlainString() + " ("
                    + subtotal.toPlainString() + " − " + discount.toPlainString() + " + " + shipping.toPlainString()
                    + " + " + tax.toPlainString() + "); the change contradicts itself or the order the hub holds, nothing"
                    + " was changed");
        }
        CanonicalOrder.Totals totals = new CanonicalOrder.Totals(subtotal, discount, shipping, tax, grand);
        return new CanonicalOrder(stored.orderId(), stored.channel(), stored.externalId(), stored.orderDate(),
                stored.receivedAt(), stored.status(), stored.currency(), stored.customer(), stored.billTo(),
                stored.shipTo(), result, totals, stored.payment(), stored.shippingMethod(), stored.notes(), stored.source(),
                discounts, charges, stored.provenance());
    }

    /** The stored line with the change's values, or null (with the problem added) when it cannot be computed. */
    private static CanonicalOrder.Line changed(CanonicalOrder.Line was, LineChange c, List<String> problems) {
        BigDecimal quantity = c.quantity() == null ? was.quantity() : c.quantity();
        BigDecimal price = c.unitPrice() == null ? was.unitPrice() : c.unitPrice();
        String sku = c.sku() == null ? was.sku() : c.sku();
        String description = c.description() == null ? was.description() : c.description();
        String uom = c.uom() == null ? was.uom() : c.uom();
        String buyerSku = c.buyerSku() == null ? was.buyerSku() : c.buyerSku();
        // a new item number is ours as the change names it, no longer the partner's cross-referenced one
        String partnerSku = c.sku() == null ? was.partnerSku() : null;
        boolean sameMoney = quantity.compareTo(was.quantity()) == 0 && price.compareTo(was.unitPrice()) == 0;
        if (sameMoney) {
            return new CanonicalOrder.Line(was.lineNo(), sku, description, was.quantity(), uom, was.unitPrice(),
                    was.lineTotal(), was.taxAmount(), buyerSku, was.discounts(), was.charges(), was.source(), partnerSku);
        }
        List<String> fixed = new ArrayList<>();
        for (List<CanonicalOrder.Adjustment> list : java.util.Arrays.asList(was.discounts(), was.charges())) {
            for (CanonicalOrder.Adjustment a : list == null ? List.<CanonicalOrder.Adjustment>of() : list) {
                if (a.percent() == null) {
                    fixed.add((list == was.discounts() ? "a discount" : "a charge") + " of " + a.amount().toPlainString()
                            + (a.reason() == null ? "" : " (" + a.reason() + ")"));
                }
            }
        }
        if (!fixed.isEmpty()) {
            problems.add("line " + was.lineNo() + " has " + String.join(" and ", fixed) + " as a fixed amount, which a"
                    + " change of its quantity or price does not restate; send a replacement of the whole order instead");
            return null;
        }
        BigDecimal gross = quantity.multiply(price);
        List<CanonicalOrder.Adjustment> discounts = rebased(was.discounts(), gross);
        List<CanonicalOrder.Adjustment> charges = rebased(was.charges(), gross);
        BigDecimal total = cents(gross.subtract(sum(discounts)).add(sum(charges)));
        // the document's own price and basis describe the old price; kept only while the price is unchanged
        CanonicalOrder.LineSource source = price.compareTo(was.unitPrice()) == 0 ? was.source() : null;
        return new CanonicalOrder.Line(was.lineNo(), sku, description, quantity, uom, price, total, null, buyerSku,
                discounts, charges, source, partnerSku);
    }

    /** The adjustments with every percentage one computed again on {@code base}; null stays null. */
    private static List<CanonicalOrder.Adjustment> rebased(List<CanonicalOrder.Adjustment> adjustments, BigDecimal base) {
        if (adjustments == null) {
            return null;
        }
        return adjustments.stream().map(a -> a.percent() == null ? a : new CanonicalOrder.Adjustment(
                cents(base.multiply(a.percent()).movePointLeft(2)), a.reason(), a.description(), a.percent(), cents(base)))
                .toList();
    }

    /** The document's adjustments with a percentage-only one computed on {@code base} (to the cent). */
    private static List<CanonicalOrder.Adjustment> computed(List<CanonicalOrder.Adjustment> adjustments, BigDecimal base) {
        return adjustments.stream().map(a -> a.amount() != null ? a : new CanonicalOrder.Adjustment(
                cents(base.multiply(a.percent()).movePointLeft(2)), a.reason(), a.description(), a.percent(), cents(base)))
                .toList();
    }

    private static BigDecimal sum(List<CanonicalOrder.Adjustment> adjustments) {
        BigDecimal sum = BigDecimal.ZERO;
        for (CanonicalOrder.Adjustment a : adjustments == null ? List.<CanonicalOrder.Adjustment>of() : adjustments) {
            sum = sum.add(a.amount() == null ? BigDecimal.ZERO : a.amount());
        }
        return sum;
    }

    private static BigDecimal cents(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }
}
