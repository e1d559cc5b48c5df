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
 * {@code taxAmount} when the order's lines state theirs (the shipping's tax is then what they leave of the order's);
 * otherwise the order's one tax is on its taxable amount, the goods after the discount plus the shipping when the
 * shipping bears tax ({@link #taxable}), and each line's net amount and the shipping bear their share (so every unit
 * back with the shipping refunds the grand total). The order's discount is shared over the lines by their totals. A
 * restocking fee keeps its part of the goods' tax back too, so what is credited is taxed at the order's rate (a UBL
 * credit note's VAT adds up).
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
        BigDecimal subtotal = BigDecimal.ZERO;
        boolean linesStateTax = false;
        for (CanonicalOrder.Line l : order.lines()) {
            subtotal = subtotal.add(nz(l.lineTotal()));
            linesStateTax |= l.taxAmount() != null;
        }
        CanonicalOrder.Totals totals = order.totals();
        BigDecimal share = subtotal.signum() > 0 ? lineTotal.divide(subtotal, MathContext.DECIMAL64) : BigDecimal.ZERO;
        BigDecimal discount = totals == null ? BigDecimal.ZERO : nz(totals.discount()).multiply(share);
        BigDecimal tax;
        if (linesStateTax) {
            tax = nz(line.taxAmount());
        } else {
            // the order's one tax is on its taxable amount (goods after the discount, and the shipping when it bears
            // tax, see taxable): the line's part is its net amount's share of that
            BigDecimal taxable = taxable(order);
            tax = totals == null || taxable.signum() <= 0 ? BigDecimal.ZERO
                    : nz(totals.tax()).multiply(lineTotal.subtract(discount)).divide(taxable, MathContext.DECIMAL64);
        }
        return new Unit(received, line.quantity(), lineTotal, discount, tax);
    }

    /**
     * The tax on the order's shipping charge, refunded with it: what the lines' own tax amounts leave of the order's tax
     * when they state theirs, else the shipping's share of the order's tax on its taxable amount.
     */
    public static BigDecimal shippingTax(CanonicalOrder order) {
        CanonicalOrder.Totals totals = order.totals();
        if (totals == null || nz(totals.shipping()).signum() <= 0 || nz(totals.tax()).signum() <= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stated = BigDecimal.ZERO;
        boolean linesStateTax = false;
        for (CanonicalOrder.Line l : order.lines()) {
            linesStateTax |= l.taxAmount() != null;
            stated = stated.add(nz(l.taxAmount()));
        }
        if (linesStateTax) {
            return totals.tax().subtract(stated).max(BigDecimal.ZERO);
        }
        BigDecimal taxable = taxable(order);
        boolean shippingTaxed = taxable.compareTo(goods(order)) != 0;
        return taxable.signum() <= 0 || !shippingTaxed ? BigDecimal.ZERO
                : totals.tax().multiply(totals.shipping()).divide(taxable, MathContext.DECIMAL64);
    }

    /**
     * What the order's one tax is on: the goods after the discount, plus the shipping when the shipping bears tax. A
     * canonical order does not say whether it does, so the tax itself tells: the base on which it is a whole or half
     * percent (within the cent it was rounded to) is the one; both or neither: with the shipping, as the order's UBL
     * invoice states it. The tour's WEB-10001: 7.39 is 19 % of the goods (38.90) and 16.87 % with the shipping (43.80),
     * so its shipping bears none.
     */
    static BigDecimal taxable(CanonicalOrder order) {
        CanonicalOrder.Totals totals = order.totals();
        if (totals == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal goods = goods(order);
        BigDecimal withShipping = goods.add(nz(totals.shipping()));
        BigDecimal tax = nz(totals.tax());
        if (nz(totals.shipping()).signum() <= 0 || tax.signum() <= 0) {
            return withShipping;
        }
        return cleanRate(tax, goods) && !cleanRate(tax, withShipping) ? goods : withShipping;
    }

    /** The goods after the order's discount: its lines' totals less the discount. */
    private static BigDecimal goods(CanonicalOrder order) {
        BigDecimal subtotal = BigDecimal.ZERO;
        for (CanonicalOrder.Line l : order.lines()) {
            subtotal = subtotal.add(nz(l.lineTotal()));
        }
        return subtotal.subtract(order.totals() == null ? BigDecimal.ZERO : nz(order.totals().discount()));
    }

    /** True when {@code tax} is a whole or half percent of {@code base}, give or take the half cent it was rounded by. */
    private static boolean cleanRate(BigDecimal tax, BigDecimal base) {
        if (base.signum() <= 0) {
            return false;
        }
        BigDecimal percent = tax.multiply(BigDecimal.valueOf(100)).divide(base, MathContext.DECIMAL64);
        BigDecimal halves = percent.multiply(BigDecimal.valueOf(2)).setScale(0, RoundingMode.HALF_UP)
                .divide(BigDecimal.valueOf(2));
        BigDecimal tolerance = new BigDecimal("0.5").divide(base, MathContext.DECIMAL64).add(new BigDecimal("0.0001"));
        return percent.subtract(halves).abs().compareTo(tolerance) <= 0;
    }

    /** The value of {@code units} of a line. */
    public static BigDecimal lineAmount(int units, BigDecimal orderedQuantity, BigDecimal lineTotal) {
        if (units <= 0 || orderedQuantity == null || orderedQuantity.signum() <= 0 || lineTotal == null) {
            return BigDecimal.ZERO.setScale(2);
        }
        return lineTotal.multiply(BigDecimal.valueOf(units)).divide(orderedQuantity, 2, RoundingMode.HALF_UP);
    }

    /** As below, for an order whose shipping bears no tax. */
    public static Breakdown refund(List<Unit> units, BigDecimal orderShipping, ReturnProperties.Rules rules,
                                   boolean lastUnitsBack, boolean shippingRefundedBefore) {
        return refund(units, orderShipping, BigDecimal.ZERO, rules, lastUnitsBack, shippingRefundedBefore);
    }

    /**
     * @param shippingTax       the tax on the order's shipping ({@link #shippingTax}), refunded with the shipping
     * @param lastUnitsBack     true when, with this return, every shipped unit of the order has come back
     * @param shippingRefundedBefore true when an earlier return of the order refunded the shipping charge
     */
    public static Breakdown refund(List<Unit> units, BigDecimal orderShipping, BigDecimal shippingTax,
                                   ReturnProperties.Rules rules, boolean lastUnitsBack, boolean shippingRefundedBefore) {
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
                tax = tax.add(nz(shippingTax).setScale(2, RoundingMode.HALF_UP));
            }
        }
        // the fee is kept back from what the goods were sold for (after the discount), and with it its part of their
        // tax: the credited taxable amount is then goods - discount - fee + shipping, taxed at the order's rate
        BigDecimal net = goods.subtract(orderDiscount);
        BigDecimal fee = net.multiply(rules.restockingFeePercent()).divide(new BigDecimal(100), 2, RoundingMode.HALF_UP);
        BigDecimal goodsTax = tax.subtract(shipping.signum() > 0 ? nz(shippingTax).setScale(2, RoundingMode.HALF_UP)
                : BigDecimal.ZERO);
        if (fee.signum() > 0 && net.signum() > 0) {
            tax = tax.subtract(goodsTax.multiply(fee).divide(net, 2, RoundingMode.HALF_UP));
        }
        BigDecimal total = net.add(tax).add(shipping).subtract(fee);
        return new Breakdown(goods, orderDiscount, tax, shipping, fee,
                total.signum() < 0 ? BigDecimal.ZERO.setScale(2) : total);
    }

    private static BigDecimal nz(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }
}
