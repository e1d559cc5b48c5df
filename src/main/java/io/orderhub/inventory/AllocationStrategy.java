package io.orderhub.inventory;

/** How a paid order's lines are assigned to warehouses (chosen per channel). */
public enum AllocationStrategy {
    /** One warehouse if one can ship everything, else as few as possible (most units first). */
    FEWEST_SHIPMENTS,
    /** Warehouses nearest to the ship-to address first (same country, then same zone). */
    NEAREST,
    /** Warehouses in their configured priority order. */
    PRIORITY
}
