package io.orderhub.planning;

/**
 * The settings the figures of a SKU use: ordering cost S per order, holding cost H per unit and year,
 * pack size, cycle service level, and where each came from ({@code sku}, {@code category:<name>} or {@code default}).
 */
public record PlanningSettings(String category, double orderingCost, String orderingCostFrom, double holdingCost,
                               String holdingCostFrom, int packSize, String packSizeFrom, double serviceLevel,
                               String serviceLevelFrom) {
}
