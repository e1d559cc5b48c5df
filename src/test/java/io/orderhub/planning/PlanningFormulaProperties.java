package io.orderhub.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

/** Properties of the formulas over random demand and lead times. */
class PlanningFormulaProperties {

    @Property
    void safetyStocksAreNeverNegativeAndTheReorderPointCoversLeadTimeDemand(
            @ForAll @Size(min = 2, max = 60) List<@DoubleRange(min = 0, max = 500) Double> days,
            @ForAll @DoubleRange(min = 0, max = 60) double leadTime, @ForAll @DoubleRange(min = 0, max = 30) double extra,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double serviceLevel) {
        DemandStats s = DemandStats.of(days.stream().mapToDouble(Double::doubleValue).toArray());
        Figure ss = InventoryMath.maxAverageSafetyStock(s, leadTime, leadTime + extra);
        assertThat(ss.value().signum()).isGreaterThanOrEqualTo(0);
        assertThat(InventoryMath.statisticalSafetyStock(s, serviceLevel, leadTime).value().signum()).isGreaterThanOrEqualTo(0);
        assertThat(InventoryMath.reorderPoint(ss, s, leadTime).value().doubleValue())
                .isGreaterThanOrEqualTo(Figure.round(s.average() * leadTime).doubleValue() - 0.01);
    }

    @Property
    void orderQuantityIsWholePacksCoveringTheEoq(@ForAll @DoubleRange(min = 0, max = 1e6) double demand,
                                                 @ForAll @DoubleRange(min = 0.01, max = 1000) double s,
                                                 @ForAll @DoubleRange(min = 0.01, max = 100) double h,
                                                 @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 500) int pack) {
        Figure eoq = InventoryMath.eoq(demand, s, h);
        long q = InventoryMath.roundUpToPack(eoq.doubleValue(), pack);
        assertThat(q % pack).isZero();
        assertThat((double) q).isGreaterThanOrEqualTo(eoq.doubleValue() - 0.01);
        assertThat((double) q).isLessThan(eoq.doubleValue() + pack + 0.01);
    }
}
