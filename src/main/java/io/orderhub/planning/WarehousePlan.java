package io.orderhub.planning;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The figures of one SKU in one warehouse ({@code warehouse} "*" for all warehouses together): the
 * demand they come from, both safety stocks, the reorder point, the EOQ and the order quantity (EOQ
 * rounded up to whole packs), and the demand forecast.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WarehousePlan(String warehouse, Demand demand, Figure safetyStock, Figure statisticalSafetyStock,
                            Figure reorderPoint, Figure statisticalReorderPoint, Figure eoq, Long orderQuantity,
                            Forecaster.Forecast forecast) {

    /** Daily demand over the history: first and last day, days, total, average, max, σ, annual demand D. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Demand(String from, String to, int days, double total, double averageDaily, double maxDaily,
                         double standardDeviation, double annualDemand, String source) {
    }
}
