package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the stock and strategy, a plan ships every unit exactly once and never more than a warehouse can give. */
class AllocationPlannerProperties {

    static final List<Warehouse> WAREHOUSES = List.of(
            new Warehouse("eu-central", "EU", null, null, null, "DE", "EU", 1, null),
            new Warehouse("us-east", "US", null, null, null, "US", "NA", 2, null),
            new Warehouse("eu-west", "FR", null, null, null, "FR", "EU", 3, null));
    static final List<String> SKUS = List.of("A", "B", "C");

    record Case(List<Demand> lines, Map<String, Map<String, Integer>> capacity, AllocationStrategy strategy, String country) {
    }

    @Property(tries = 500)
    void plansCoverEveryLineExactlyWithinCapacity(@ForAll("cases") Case c) {
        Optional<List<AllocationPlanner.Pick>> plan = AllocationPlanner.plan(c.lines(), WAREHOUSES, c.capacity(),
                c.strategy(), c.country());
        Map<String, Integer> demand = new HashMap<>();
        c.lines().forEach(d -> demand.merge(d.sku(), d.quantity(), Integer::sum));
        boolean enough = demand.entrySet().stream().allMatch(e -> c.capacity().values().stream()
                .mapToInt(m -> m.getOrDefault(e.getKey(), 0)).sum() >= e.getValue());
        assertThat(plan.isPresent()).as("a plan exists exactly when the warehouses together have enough").isEqualTo(enough);
        if (plan.isEmpty()) {
            return;
        }
        for (Demand d : c.lines()) {
            int planned = plan.get().stream().filter(p -> p.lineNo() == d.lineNo()).mapToInt(AllocationPlanner.Pick::quantity).sum();
            assertThat(planned).as("line " + d.lineNo()).isEqualTo(d.quantity());
        }
        Map<String, Integer> used = new HashMap<>();
        plan.get().forEach(p -> {
            assertThat(p.quantity()).isPositive();
            used.merge(p.warehouse() + "/" + p.sku(), p.quantity(), Integer::sum);
        });
        used.forEach((k, q) -> {
            String[] wk = k.split("/");
            assertThat(q).as(k).isLessThanOrEqualTo(c.capacity().getOrDefault(wk[0], Map.of()).getOrDefault(wk[1], 0));
        });
        if (c.strategy() == AllocationStrategy.FEWEST_SHIPMENTS) {
            boolean oneCan = WAREHOUSES.stream().anyMatch(w -> demand.entrySet().stream().allMatch(e ->
                    c.capacity().getOrDefault(w.id(), Map.of()).getOrDefault(e.getKey(), 0) >= e.getValue()));
            Set<String> shipments = plan.get().stream().map(AllocationPlanner.Pick::warehouse).collect(Collectors.toSet());
            if (oneCan) {
                assertThat(shipments).hasSize(1);
            }
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<Demand>> lines = Combinators.combine(Arbitraries.of(SKUS), Arbitraries.integers().between(1, 10))
                .as((sku, q) -> new Object[] {sku, q}).list().ofMinSize(1).ofMaxSize(4).map(raw -> {
                    List<Demand> ds = new ArrayList<>();
                    for (int i = 0; i < raw.size(); i++) {
                        ds.add(new Demand(i + 1, (String) raw.get(i)[0], (Integer) raw.get(i)[1]));
                    }
                    return ds;
                });
        Arbitrary<Map<String, Map<String, Integer>>> capacity = Arbitraries.integers().between(0, 15).list()
                .ofSize(WAREHOUSES.size() * SKUS.size()).map(qs -> {
                    Map<String, Map<String, Integer>> m = new HashMap<>();
                    for (int w = 0; w < WAREHOUSES.size(); w++) {
                        for (int s = 0; s < SKUS.size(); s++) {
                            m.computeIfAbsent(WAREHOUSES.get(w).id(), k -> new HashMap<>()).put(SKUS.get(s), qs.get(w * SKUS.size() + s));
                        }
                    }
                    return m;
                });
        return Combinators.combine(lines, capacity, Arbitraries.of(AllocationStrategy.class), Arbitraries.of("DE", "US", "FR", "JP"))
                .as(Case::new);
    }
}
