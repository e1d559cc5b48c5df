package io.orderhub.planning;

import java.util.List;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The classic inventory formulas, as pure functions. Each returns a {@link Figure}: a value, or no
 * value with the reason (never NaN or infinity). See docs/planning.md for where each comes from.
 */
public final class InventoryMath {

    public static final String MAX_AVERAGE_SAFETY_STOCK = "maxDailySales × maxLeadTime − avgDailySales × avgLeadTime";
    public static final String STATISTICAL_SAFETY_STOCK = "z(serviceLevel) × σ(daily demand) × √leadTime";
    public static final String REORDER_POINT = "safetyStock + avgDailySales × avgLeadTime";
    public static final String STATISTICAL_REORDER_POINT = "statisticalSafetyStock + avgDailySales × avgLeadTime";
    public static final String EOQ = "√(2 × D × S / H)";

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    private InventoryMath() {
    }

    /** Average and longest lead time over a SKU's suppliers (average of their usual lead times, max of their longest). */
    public static double averageLeadTime(List<LeadTime> leadTimes) {
        return leadTimes.stream().mapToDouble(LeadTime::days).average().orElseThrow();
    }

    public static double maxLeadTime(List<LeadTime> leadTimes) {
        return leadTimes.stream().mapToDouble(LeadTime::maxDays).max().orElseThrow();
    }

    /** The max–average safety stock heuristic: (max daily sales × max lead time) − (avg daily sales × avg lead time). */
    public static Figure maxAverageSafetyStock(DemandStats demand, double avgLeadTime, double maxLeadTime) {
        if (demand.empty()) {
            return Figure.unavailable(MAX_AVERAGE_SAFETY_STOCK, "no order history");
        }
        double value = demand.max() * maxLeadTime - demand.average() * avgLeadTime;
        // max >= average and maxLeadTime >= avgLeadTime make it >= 0; rounding noise must not make it negative
        return Figure.of(Math.max(0, value), MAX_AVERAGE_SAFETY_STOCK);
    }

    /** z for a cycle service level p: the standard normal's inverse CDF; p must lie in (0, 1). */
    public static double z(double serviceLevel) {
        if (!(serviceLevel > 0 && serviceLevel < 1)) {
            throw new IllegalArgumentException("service level must lie strictly between 0 and 1, was " + serviceLevel);
        }
        return STANDARD_NORMAL.inverseCumulativeProbability(serviceLevel);
    }

    /** The normal-demand safety stock: z × σ(daily demand) × √(lead time); never below 0 (service levels under 50 %). */
    public static Figure statisticalSafetyStock(DemandStats demand, double serviceLevel, double leadTime) {
        if (demand.empty()) {
            return Figure.unavailable(STATISTICAL_SAFETY_STOCK, "no order history");
        }
        if (demand.days() < 2) {
            return Figure.unavailable(STATISTICAL_SAFETY_STOCK, "σ needs at least 2 days of history");
        }
        double value = z(serviceLevel) * demand.standardDeviation() * Math.sqrt(leadTime);
        return Figure.of(Math.max(0, value), STATISTICAL_SAFETY_STOCK);
    }

    /** Reorder point = safety stock + average daily sales × lead time. */
    public static Figure reorderPoint(Figure safetyStock, DemandStats demand, double leadTime) {
        String formula = safetyStock.formula() != null && safetyStock.formula().equals(STATISTICAL_SAFETY_STOCK)
                ? STATISTICAL_REORDER_POINT : REORDER_POINT;
        if (!safetyStock.available()) {
            return Figure.unavailable(formula, "no safety stock: " + safetyStock.reason());
        }
        return Figure.of(safetyStock.doubleValue() + demand.average() * leadTime, formula);
    }

    /**
     * Harris's economic order quantity √(2DS/H) with annual demand D, ordering cost S per order and
     * holding cost H per unit and year. H ≤ 0 has no finite EOQ; D = 0 needs no order.
     */
    public static Figure eoq(double annualDemand, double orderingCost, double holdingCost) {
        if (holdingCost <= 0) {
            return Figure.unavailable(EOQ, "holding cost H must be > 0 (with H = 0 the EOQ is unbounded)");
        }
        if (orderingCost < 0) {
            return Figure.unavailable(EOQ, "ordering cost S must be >= 0");
        }
        if (annualDemand <= 0) {
            return new Figure(Figure.round(0), EOQ, "no demand: nothing to order");
        }
        return Figure.of(Math.sqrt(2 * annualDemand * orderingCost / holdingCost), EOQ);
    }

    /** The order quantity: at least one pack, rounded up to whole packs. */
    public static long roundUpToPack(double quantity, int packSize) {
        if (packSize < 1) {
            throw new IllegalArgumentException("pack size must be >= 1, was " + packSize);
        }
        long packs = (long) Math.ceil(Math.max(quantity, 0) / packSize - 1e-9);
        return Math.max(1, packs) * packSize;
    }
}
