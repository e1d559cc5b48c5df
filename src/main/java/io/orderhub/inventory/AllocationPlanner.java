package io.orderhub.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which warehouse ships which units of a paid order. Pure: given the lines, the warehouses
 * and what each warehouse can give per SKU (the order's own reservation there plus what is free),
 * returns the assignment, or empty when the warehouses together cannot cover the order.
 */
public final class AllocationPlanner {

    private static final Set<String> EU = Set.of("AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
            "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK");
    private static final Set<String> NA = Set.of("US", "CA", "MX");

    /** Units of one line assigned to one warehouse. */
    public record Pick(int lineNo, String sku, String warehouse, int quantity) {
    }

    private AllocationPlanner() {
    }

    /** 0 same country, 1 same zone, 2 elsewhere. */
    public static int distance(String shipToCountry, Warehouse w) {
        if (shipToCountry == null) {
            return 2;
        }
        if (shipToCountry.equalsIgnoreCase(w.country())) {
            return 0;
        }
        return w.zone().equals(zone(shipToCountry)) ? 1 : 2;
    }

    static String zone(String country) {
        String c = country.toUpperCase(java.util.Locale.ROOT);
        return EU.contains(c) ? "EU" : NA.contains(c) ? "NA" : "";
    }

    /**
     * @param capacity warehouse id → sku → units it can give this order
     */
    public static Optional<List<Pick>> plan(List<Demand> lines, List<Warehouse> warehouses,
                                            Map<String, Map<String, Integer>> capacity, AllocationStrategy strategy,
                                            String shipToCountry) {
        Comparator<Warehouse> byPriority = Comparator.comparingInt(Warehouse::priority).thenComparing(Warehouse::id);
        Comparator<Warehouse> byDistance = Comparator.comparingInt((Warehouse w) -> distance(shipToCountry, w))
                .thenComparing(byPriority);
        List<Warehouse> order = new ArrayList<>(warehouses);
        order.sort(strategy == AllocationStrategy.PRIORITY ? byPriority : byDistance);
        Map<String, Map<String, Integer>> left = new HashMap<>();
        capacity.forEach((w, m) -> left.put(w, new HashMap<>(m)));
        List<Pick> picks = new ArrayList<>();
        Map<Integer, Integer> remaining = new HashMap<>();
        lines.forEach(d -> remaining.merge(d.lineNo(), d.quantity(), Integer::sum));

        if (strategy == AllocationStrategy.FEWEST_SHIPMENTS) {
            Optional<Warehouse> single = order.stream().filter(w -> coversAll(lines, left.get(w.id()))).findFirst();
            List<Warehouse> used = single.map(List::of).orElse(List.of());
            if (single.isEmpty()) {
                // greedy set cover: the warehouse giving the most still-missing units next
                List<Warehouse> pool = new ArrayList<>(order);
                List<Warehouse> chosen = new ArrayList<>();
                while (remaining.values().stream().anyMatch(q -> q > 0) && !pool.isEmpty()) {
                    Warehouse best = pool.stream().max(Comparator.comparingInt((Warehouse w) ->
                                    gives(lines, remaining, left.get(w.id())))
                            .thenComparing(byDistance.reversed())).orElseThrow();
                    if (gives(lines, remaining, left.get(best.id())) == 0) {
                        break;
                    }
                    take(lines, remaining, left, best, picks);
                    chosen.add(best);
                    pool.remove(best);
                }
                return remaining.values().stream().allMatch(q -> q == 0) ? Optional.of(picks) : Optional.empty();
            }
            order = used;
        }
        for (Warehouse w : order) {
            take(lines, remaining, left, w, picks);
        }
        return remaining.values().stream().allMatch(q -> q == 0) ? Optional.of(picks) : Optional.empty();
    }

    private static boolean coversAll(List<Demand> lines, Map<String, Integer> cap) {
        Map<String, Integer> need = new HashMap<>();
        lines.forEach(d -> need.merge(d.sku(), d.quantity(), Integer::sum));
        return need.entrySet().stream().allMatch(e -> cap != null && cap.getOrDefault(e.getKey(), 0) >= e.getValue());
    }

    private static int gives(List<Demand> lines, Map<Integer, Integer> remaining, Map<String, Integer> cap) {
        if (cap == null) {
            return 0;
        }
        Map<String, Integer> c = new HashMap<>(cap);
        int units = 0;
        for (Demand d : lines) {
            int t = Math.min(remaining.get(d.lineNo()), c.getOrDefault(d.sku(), 0));
            c.merge(d.sku(), -t, Integer::sum);
            units += t;
        }
        return units;
    }

    private static void take(List<Demand> lines, Map<Integer, Integer> remaining, Map<String, Map<String, Integer>> left,
                             Warehouse w, List<Pick> picks) {
        Map<String, Integer> cap = left.get(w.id());
        if (cap == null) {
            return;
        }
        for (Demand d : lines) {
            int t = Math.min(remaining.get(d.lineNo()), cap.getOrDefault(d.sku(), 0));
            if (t > 0) {
                picks.add(new Pick(d.lineNo(), d.sku(), w.id(), t));
                cap.merge(d.sku(), -t, Integer::sum);
                remaining.merge(d.lineNo(), -t, Integer::sum);
            }
        }
    }
}
