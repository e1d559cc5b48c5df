package io.orderhub.returns;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What a return is worth to the customer: each received unit at its line's price per unit (the line total —
 * discounts and charges included — divided by the ordered quantity), the order's shipping charge when the
 * channel's rule says so, less the channel's restocking fee on the goods. Rounded to the currency's cents
 * (half up), never below zero. The refund actually sent is then capped by what was captured
 * ({@code io.orderhub.payment.RefundLimit}).
 */
public final class ReturnMoney {

    private ReturnMoney() {
    }

    /** A returned line: units counted back, and the order line's quantity and total. */
    public record Unit(int received, BigDecimal orderedQuantity, BigDecimal lineTotal) {
    }

    public record Breakdown(BigDecimal goods, BigDecimal shipping, BigDecimal restockingFee, BigDecimal total) {
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
        for (Unit u : units) {
            goods = goods.add(lineAmount(u.received(), u.orderedQuantity(), u.lineTotal()));
        }
        BigDecimal shipping = BigDecimal.ZERO.setScale(2);
        boolean anyBack = units.stream().anyMatch(u -> u.received() > 0);
        if (orderShipping != null && anyBack && !shippingRefundedBefore) {
            if ("always".equals(rules.shippingRefund()) || "full-return".equals(rules.shippingRefund()) && lastUnitsBack) {
                shipping = orderShipping.setScale(2, RoundingMode.HALF_UP);
            }
        }
        BigDecimal fee = goods.multiply(rules.restockingFeePercent()).divide(new BigDecimal(100), 2, RoundingMode.HALF_UP);
        BigDecimal total = goods.add(shipping).subtract(fee);
        return new Breakdown(goods, shipping, fee, total.signum() < 0 ? BigDecimal.ZERO.setScale(2) : total);
    }
}
