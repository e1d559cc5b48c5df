package io.orderhub.payment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * An order paid by card may have more than one charge (the first one and the difference of a replacement after
 * payment, {@link AmendmentCharges}). A gateway refunds a charge (PaymentIntent, pspReference) up to its own amount
 * only, so a refund of the order is split over its charges: the newest first, each for at most what is left of it
 * (its amount − the refunds already recorded against it that did not fail). The total stays within
 * {@link RefundLimit}.
 */
final class ChargeShares {

    private ChargeShares() {
    }

    /** One charge and the part of a refund that goes back through it. */
    record Share(Payment charge, BigDecimal amount) {
    }

    /** The successful card charges of the order, oldest first. */
    static List<Payment> charges(List<Payment> rows) {
        return rows.stream().filter(p -> Payment.CHARGE.equals(p.kind()) && Payment.SUCCEEDED.equals(p.status())).toList();
    }

    /** What is left to refund of {@code charge}. */
    static BigDecimal leftOf(Payment charge, List<Payment> rows) {
        BigDecimal left = charge.amount();
        for (Payment p : rows) {
            if (Payment.REFUND.equals(p.kind()) && !Payment.FAILED.equals(p.status()) && !Payment.DECLINED.equals(p.status())
                    && p.intentId() != null && p.intentId().equals(charge.intentId())
                    && p.gateway() != null && p.gateway().equals(charge.gateway())) {
                left = left.subtract(p.amount());
            }
        }
        return left.max(BigDecimal.ZERO);
    }

    /** {@code amount} split over the order's card charges, newest first; less in total when the charges hold less. */
    static List<Share> split(List<Payment> rows, BigDecimal amount) {
        List<Share> shares = new ArrayList<>();
        BigDecimal wanted = amount;
        List<Payment> charges = new ArrayList<>(charges(rows));
        java.util.Collections.reverse(charges);
        for (Payment charge : charges) {
            if (wanted.signum() <= 0) {
                break;
            }
            BigDecimal part = leftOf(charge, rows).min(wanted);
            if (part.signum() > 0) {
                shares.add(new Share(charge, part));
                wanted = wanted.subtract(part);
            }
        }
        return shares;
    }

    /** The idempotency key of the {@code i}-th share (from 1) of a refund whose first share has {@code key}. */
    static String key(String key, int i) {
        return i == 1 ? key : key + "-" + i;
    }
}
