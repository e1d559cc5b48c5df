package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The strategies on small, readable cases (AllocationPlannerProperties covers the general rules). */
class AllocationPlannerTest {

    static final List<Warehouse> WAREHOUSES = AllocationPlannerProperties.WAREHOUSES; // eu-central 1, us-east 2, eu-west 3

    @Test
    void fewestShipmentsPrefersOneWarehouseOverPriority() {
        var plan = AllocationPlanner.plan(List.of(new Demand(1, "A", 4), new Demand(2, "B", 1)), WAREHOUSES,
                Map.of("eu-central", Map.of("A", 4), "us-east", Map.of("A", 4, "B", 1)), AllocationStrategy.FEWEST_SHIPMENTS, "DE");
        assertThat(plan).get().asList().containsExactlyInAnyOrder(new AllocationPlanner.Pick(1, "A", "us-east", 4),
                new AllocationPlanner.Pick(2, "B", "us-east", 1));
    }

    @Test
    void nearestTakesTheShipToCountryThenItsZone() {
        Map<String, Map<String, Integer>> capacity = Map.of("eu-central", Map.of("A", 2), "us-east", Map.of("A", 5),
                "eu-west", Map.of("A", 5));
        assertThat(AllocationPlanner.plan(List.of(new Demand(1, "A", 3)), WAREHOUSES, capacity, AllocationStrategy.NEAREST, "US"))
                .get().asList().containsExactly(new AllocationPlanner.Pick(1, "A", "us-east", 3));
        // to France: eu-west (same country) first
        assertThat(AllocationPlanner.plan(List.of(new Demand(1, "A", 3)), WAREHOUSES, capacity, AllocationStrategy.NEAREST, "FR"))
                .get().asList().containsExactly(new AllocationPlanner.Pick(1, "A", "eu-west", 3));
        // to Austria: no warehouse in the country; the EU ones by priority, split when the first is short
        assertThat(AllocationPlanner.plan(List.of(new Demand(1, "A", 3)), WAREHOUSES, capacity, AllocationStrategy.NEAREST, "AT"))
                .get().asList().containsExactly(new AllocationPlanner.Pick(1, "A", "eu-central", 2),
                        new AllocationPlanner.Pick(1, "A", "eu-west", 1));
    }

    @Test
    void priorityIgnoresDistanceAndSplitsWhenNoWarehouseHasEnough() {
        Map<String, Map<String, Integer>> capacity = Map.of("eu-central", Map.of("A", 1), "us-east", Map.of("A", 1),
                "eu-west", Map.of("A", 1));
        assertThat(AllocationPlanner.plan(List.of(new Demand(1, "A", 3)), WAREHOUSES, capacity, AllocationStrategy.PRIORITY, "FR"))
                .get().asList().containsExactly(new AllocationPlanner.Pick(1, "A", "eu-central", 1),
                        new AllocationPlanner.Pick(1, "A", "us-east", 1), new AllocationPlanner.Pick(1, "A", "eu-west", 1));
        assertThat(AllocationPlanner.plan(List.of(new Demand(1, "A", 4)), WAREHOUSES, capacity, AllocationStrategy.PRIORITY, "FR"))
                .isEmpty();
    }
}
