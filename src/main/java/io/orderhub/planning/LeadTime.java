package io.orderhub.planning;

/**
 * A supplier's replenishment lead time for a SKU, in days: the usual one and the longest seen
 * (at least the usual one).
 */
public record LeadTime(String supplier, double days, double maxDays) {

    public LeadTime {
        if (days < 0 || maxDays < days || Double.isNaN(days) || Double.isNaN(maxDays)) {
            throw new IllegalArgumentException("lead time needs 0 <= days <= maxDays, was " + days + ", " + maxDays);
        }
    }
}
