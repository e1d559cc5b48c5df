package io.orderhub.planning;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Planning settings ({@code orderhub.planning.*}).
 *
 * @param historyDays          days of order history the figures are computed from
 * @param horizonDays          days the stored forecast reaches ahead
 * @param backtestStep         days each backtest origin forecasts ahead
 * @param backtestOrigins      rolling origins of the backtest
 * @param defaultLeadTimeDays  lead time of SKUs without supplier lead times (flagged as the default)
 * @param defaults             settings of SKUs with no SKU or category setting
 * @param seedEnabled          whether {@code POST /api/ops/planning/seed} may write demo history (embedded default only)
 */
@ConfigurationProperties("orderhub.planning")
public record PlanningProperties(Integer historyDays, Integer horizonDays, Integer backtestStep, Integer backtestOrigins,
                                 Double defaultLeadTimeDays, Defaults defaults, Boolean seedEnabled) {

    /** S per order, H per unit and year, pack size, cycle service level. */
    public record Defaults(Double orderingCost, Double holdingCost, Integer packSize, Double serviceLevel) {
        public Defaults {
            orderingCost = orderingCost == null ? 50.0 : orderingCost;
            holdingCost = holdingCost == null ? 2.0 : holdingCost;
            packSize = packSize == null ? 1 : packSize;
            serviceLevel = serviceLevel == null ? 0.95 : serviceLevel;
        }
    }

    public PlanningProperties {
        historyDays = historyDays == null ? 365 : historyDays;
        horizonDays = horizonDays == null ? 28 : horizonDays;
        backtestStep = backtestStep == null ? 7 : backtestStep;
        backtestOrigins = backtestOrigins == null ? 4 : backtestOrigins;
        defaultLeadTimeDays = defaultLeadTimeDays == null ? 7.0 : defaultLeadTimeDays;
        defaults = defaults == null ? new Defaults(null, null, null, null) : defaults;
        seedEnabled = seedEnabled != null && seedEnabled;
    }
}
