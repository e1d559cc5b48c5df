package io.orderhub.returns;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

import io.orderhub.order.CanonicalOrder;

/**
 * What a return is worth to the customer: what they paid for each received unit, that is its line's price per unit
 * (the line total — the line's discounts and charges included — divided by the ordered quantity), less its share
 * of the order's own discount, plus its tax; the order's shipping charge when the channel's rule says so; less the
 * channel's restocking fee on the goods. Each part is rounded to the currency's cents (half up); the total is never
 * below zero. The refund actually sent is then capped by what was captured ({@code io.orderhub.payment.RefundLimit}).
 *
 * <p>A canonical order is net: its grand total is subtotal - discount + shipping + tax. A line's tax is its own
 * {@code taxAmount} when the order's lines state theirs; otherwise the order's tax is shared over the lines by
 * their totals (so every line back, with the shipping, refunds the grand total). The order's discount is shared
 * the same way.
 */
public final class ReturnMoney {

    private ReturnMoney() {
    }

    /**
     * A returned line: units counted back, the order line's quantity and total, and the line's share of the order's
     * discount and of its tax (each for the whole ordered quantity).
     */
    public record Unit(int received, BigDecimal orderedQuantity, BigDecimal lineTotal, BigDecimal orderDiscount,
                       BigDecimal tax) {

        /** A line of an order without discount or tax. */
        public Unit(int received, BigDecimal orderedQuantity, BigDecimal lineTotal) {
            this(received, orderedQuantity, lineTotal, BigDecimal.ZERO, BigDecimal.ZERO);
        }
    }

    /**
     * @param goods         the received units at their lines' prices
     * @param orderDiscount their share of the order's discount (subtracted)
     * @param tax           their tax (added)
     */
    public record Breakdown(BigDecimal goods, BigDecimal orderDiscount, BigDecimal tax, BigDecimal shipping,
                            BigDecimal restockingFee, BigDecimal total) {
    }

    /** {@code received} units of the order's {@code line}, with the line's shares of the order's discount and tax. */
    public static Unit unit(CanonicalOrder order, CanonicalOrder.Line line, int received) {
        BigDecimal lineTotal = nz(line.lineTotal());
        BigDecimal all = BigDecimal.ZERO;
        boolean linesStateTax = false;
        for (CanonicalOrder.Line l : order.lines()) {
            all = all.add(nz(l.lineTotal()));
            linesStateTax |= l.taxAmount() != null;
        }
        CanonicalOrder.Totals totals = order.totals();
        BigDecimal share = all.signum() > 0 ? lineTotal.divide(all, MathContext.DECIMAL64) : BigDecimal.ZERO;
        BigDecimal discount = totals == null ? BigDecimal.ZERO : nz(totals.discount()).multiply(share);
        BigDecimal tax = linesStateTax ? nz(line.taxAmount())
                : totals == null ? BigDecimal.ZERO : nz(totals.tax()).multiply(share);
        return new Unit(received, line.quantity(), lineTotal, discount, tax);
    }

    /** The value of {@code units} of a line. */
    public static BigDecimal lineAmount(int units, BigDecimal orderedQuantity, BigDecimal lineTotal) {
        if (units <= 0 || orderedQuantity == null || orderedQuantity.signum() <= 0 || lineTotal == null) {
            return BigDecimal.ZERO.setScale(2);
        }
        return lineTotal.multiply(BigDecimal.valueOf(units)).divide(orderedQuantity, 2, RoundingMode.HALF_UP);
    }

    /**
     * @param lastUnitsBack     true when, with this return, every shipped unit of the order has come back
     * @param shippingRefundedBefore true when an earlier return of the order refunded the shipping charge
     */
    public static Breakdown refund(List<Unit> units, BigDecimal orderShipping, ReturnProperties.Rules rules,
                                   boolean lastUnitsBack, boolean shippingRefundedBefore) {
        BigDecimal goods = BigDecimal.ZERO.setScale(2);
        BigDecimal orderDiscount = BigDecimal.ZERO.setScale(2);
        BigDecimal tax = BigDecimal.ZERO.setScale(2);
        for (Unit u : units) {
            goods = goods.add(lineAmount(u.received(), u.orderedQuantity(), u.lineTotal()));
            orderDiscount = orderDiscount.add(lineAmount(u.received(), u.orderedQuantity(), u.orderDiscount()));
            tax = tax.add(lineAmount(u.received(), u.orderedQuantity(), u.tax()));
        }
        BigDecimal shipping = BigDecimal.ZERO.setScale(2);
        boolean anyBack = units.stream().anyMatch(u -> u.received() > 0);
        if (orderShipping != null && anyBack && !shippingRefundedBefore) {
            if ("always".equals(rules.shippingRefund()) || "full-return".equals(rules.shippingRefund()) && lastUnitsBack) {
                shipping = orderShipping.setScale(2, RoundingMode.HALF_UP);
            }
        }
        // the fee is on what the goods were sold for, before tax
        BigDecimal fee = goods.subtract(orderDiscount).multiply(rules.restockingFeePercent())
                .divide(new BigDecimal(100), 2, RoundingMode.HALF_UP);
        BigDecimal total = goods.subtract(orderDiscount).add(tax).add(shipping).subtract(fee);
        return new Breakdown(goods, orderDiscount, tax, shipping, fee,
                total.signum() < 0 ? BigDecimal.ZERO.setScale(2) : total);
    }

    private static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
