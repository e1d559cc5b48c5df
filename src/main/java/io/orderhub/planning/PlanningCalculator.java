package io.orderhub.planning;

import java.time.LocalDate;
import java.util.List;

/**
 * Computes a {@link WarehousePlan} from a daily demand series, the lead times and the settings. Pure:
 * the service feeds it what the database holds.
 */
public final class PlanningCalculator {

    private final Forecaster forecaster;
    private final int horizon;

    public PlanningCalculator(Forecaster forecaster, int horizon) {
        this.forecaster = forecaster;
        this.horizon = horizon;
    }

    /** Lead times in force: the suppliers' or, without any, the default. */
    public record LeadTimes(List<LeadTime> suppliers, double average, double max, String source) {

        public static LeadTimes of(List<LeadTime> suppliers, double defaultDays) {
            if (suppliers.isEmpty()) {
                return new LeadTimes(List.of(), defaultDays, defaultDays, "default");
            }
            return new LeadTimes(List.copyOf(suppliers), InventoryMath.averageLeadTime(suppliers),
                    InventoryMath.maxLeadTime(suppliers), "suppliers");
        }
    }

    /** {@code daily[i]} is the demand of day {@code from + i}. */
    public WarehousePlan plan(String warehouse, LocalDate from, double[] daily, LeadTimes leadTimes,
                              PlanningSettings settings, String source) {
        DemandStats stats = DemandStats.of(daily);
        WarehousePlan.Demand demand = new WarehousePlan.Demand(stats.empty() ? null : from.toString(),
                stats.empty() ? null : from.plusDays(daily.length - 1L).toString(), stats.days(), round(stats.total()),
                round(stats.average()), round(stats.max()), round(stats.standardDeviation()), round(stats.annualDemand()),
                source);
        Figure safety = InventoryMath.maxAverageSafetyStock(stats, leadTimes.average(), leadTimes.max());
        Figure statistical = InventoryMath.statisticalSafetyStock(stats, settings.serviceLevel(), leadTimes.average());
        Figure reorderPoint = InventoryMath.reorderPoint(safety, stats, leadTimes.average());
        Figure statisticalReorderPoint = InventoryMath.reorderPoint(statistical, stats, leadTimes.average());
        Figure eoq = stats.empty() ? Figure.unavailable(InventoryMath.EOQ, "no order history")
                : InventoryMath.eoq(stats.annualDemand(), settings.orderingCost(), settings.holdingCost());
        Long quantity = eoq.available() && eoq.value().signum() > 0
                ? InventoryMath.roundUpToPack(eoq.doubleValue(), settings.packSize()) : null;
        Forecaster.Forecast forecast = forecaster.forecast(daily, horizon);
        return new WarehousePlan(warehouse, demand, safety, statistical, reorderPoint, statisticalReorderPoint, eoq,
                quantity, forecast);
    }

    private static double round(double v) {
        return Figure.round(v).doubleValue();
    }
}
