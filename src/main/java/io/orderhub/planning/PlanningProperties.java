package io.orderhub.planning;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Planning settings ({@code orderhub.planning.*}); defaults in {@code application.yaml}.
 *
 * @param historyDays             days of order history the figures are computed from
 * @param horizonDays             days the stored forecast reaches ahead
 * @param backtestStep            days each backtest origin forecasts ahead
 * @param backtestOrigins         rolling origins of the backtest
 * @param defaultLeadTimeDays     lead time of SKUs without supplier lead times (flagged as the default)
 * @param defaults                settings of SKUs with no SKU or category setting
 * @param seedEnabled             whether {@code POST /api/ops/planning/seed} may write demo history (embedded default only)
 * @param recomputeIntervalMs     the figures' recomputation interval (milliseconds: routes/planning-jobs.camel.yaml's
 *                                timer reads the same key)
 * @param reorderCheckIntervalMs  the reorder check's interval (milliseconds, as above)
 * @param reorderQueue            where reorder suggestions go (the ERP's queue)
 * @param reorderSendTimeout      a suggestion the broker does not take within this time rolls the check back
 */
@ConfigurationProperties("orderhub.planning")
public record PlanningProperties(int historyDays, int horizonDays, int backtestStep, int backtestOrigins,
                                 double defaultLeadTimeDays, Defaults defaults, boolean seedEnabled,
                                 long recomputeIntervalMs, long reorderCheckIntervalMs, String reorderQueue,
                                 Duration reorderSendTimeout) {

    /** S per order, H per unit and year, pack size, cycle service level. */
    public record Defaults(double orderingCost, double holdingCost, int packSize, double serviceLevel) {
    }
}
