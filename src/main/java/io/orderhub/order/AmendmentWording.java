package io.orderhub.order;

import java.math.BigDecimal;
import java.util.List;

/** The sentences of {@link OrderAmendments}: why a document is refused and what a replacement changed. */
final class AmendmentWording {

    private AmendmentWording() {
    }

    static String unknown(DocumentPurpose purpose, String channel, String externalId) {
        return "channel '" + channel + "' has no order with externalId '" + externalId + "' to " + verb(purpose)
                + "; a " + noun(purpose) + " acts only on an order the hub already has";
    }

    static String cancelRefusal(String orderId, OrderStatus status) {
        return "order " + orderId + " is " + status + switch (status) {
            case SHIPPED, DELIVERED -> ": the goods have left the warehouse and a cancellation document cannot recall"
                    + " them; ask for a return instead";
            case COMPLETED -> ": it is complete and can no longer be cancelled";
            case REJECTED -> ": it was never accepted, there is nothing to cancel";
            default -> " and cannot be cancelled";
        };
    }

    static String replaceRefusal(String orderId, OrderStatus status) {
        return "order " + orderId + " is " + status + switch (status) {
            case ALLOCATED -> ": its stock is allocated and pick lists are issued; it can no longer be replaced";
            case SHIPPED, DELIVERED, COMPLETED -> ": it has shipped and can no longer be replaced";
            case CANCELLED, REJECTED -> ": it can no longer be replaced; a new order needs an order number (externalId)"
                    + " of its own";
            default -> " and cannot be replaced";
        };
    }

    /** A short account of what the replacement changes, for the timeline. */
    static String changes(CanonicalOrder before, CanonicalOrder after) {
        StringBuilder s = new StringBuilder();
        List<CanonicalOrder.Line> a = before.lines() == null ? List.of() : before.lines();
        List<CanonicalOrder.Line> b = after.lines() == null ? List.of() : after.lines();
        s.append("lines ").append(describe(a)).append(" -> ").append(describe(b));
        BigDecimal was = before.totals() == null ? null : before.totals().grandTotal();
        BigDecimal is = after.totals() == null ? null : after.totals().grandTotal();
        s.append("; grand total ").append(was == null ? "?" : was.toPlainString()).append(" -> ")
                .append(is == null ? "?" : is.toPlainString()).append(' ').append(after.currency());
        if (!java.util.Objects.equals(before.shipTo(), after.shipTo())) {
            s.append("; ship-to changed");
        }
        if (!java.util.Objects.equals(before.billTo(), after.billTo())) {
            s.append("; bill-to changed");
        }
        return s.toString();
    }

    private static String describe(List<CanonicalOrder.Line> lines) {
        return "[" + String.join(", ", lines.stream().map(l -> l.lineNo() + ": " + l.quantity().stripTrailingZeros()
                .toPlainString() + " x " + l.sku()).toList()) + "]";
    }

    private static String verb(DocumentPurpose p) {
        return switch (p) {
            case CANCEL -> "cancel";
            case REPLACE -> "replace";
            case CHANGE -> "change";
            default -> "copy";
        };
    }

    private static String noun(DocumentPurpose p) {
        return switch (p) {
            case CANCEL -> "cancellation";
            case REPLACE -> "replacement";
            case CHANGE -> "change";
            default -> "duplicate";
        };
    }
}
