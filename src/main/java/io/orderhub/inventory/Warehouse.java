package io.orderhub.inventory;

/** A warehouse: where it is (country and zone for "nearest"), its priority (1 = first) and cut-off time. */
public record Warehouse(String id, String name, String line1, String city, String postalCode, String country, String zone,
                        int priority, String cutoff) {
}
