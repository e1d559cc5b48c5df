package io.orderhub.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Every formula against numbers computed by hand, with the edge cases. */
class InventoryMathTest {

    // daily demand 4, 6, 5, 9, 6: total 30, mean 6, max 9,
    // squared deviations 4 + 0 + 1 + 9 + 0 = 14, sample variance 14 / 4 = 3.5, σ = 1.870829
    static final double[] DAYS = {4, 6, 5, 9, 6};

    @Test
    void demandStatistics() {
        DemandStats s = DemandStats.of(DAYS);
        assertThat(s.days()).isEqualTo(5);
        assertThat(s.total()).isEqualTo(30);
        assertThat(s.average()).isEqualTo(6);
        assertThat(s.max()).isEqualTo(9);
        assertThat(s.standardDeviation()).isCloseTo(Math.sqrt(3.5), within(1e-12));
        assertThat(s.annualDemand()).isEqualTo(6 * 365);
    }

    @Test
    void maxAverageSafetyStock() {
        // lead times: supplier A 4 days (max 6), supplier B 8 days (max 10): average 6, max 10
        List<LeadTime> suppliers = List.of(new LeadTime("A", 4, 6), new LeadTime("B", 8, 10));
        assertThat(InventoryMath.averageLeadTime(suppliers)).isEqualTo(6);
        assertThat(InventoryMath.maxLeadTime(suppliers)).isEqualTo(10);
        // 9 × 10 − 6 × 6 = 90 − 36 = 54
        Figure ss = InventoryMath.maxAverageSafetyStock(DemandStats.of(DAYS), 6, 10);
        assertThat(ss.value()).isEqualByComparingTo("54");
        // reorder point 54 + 6 × 6 = 90
        assertThat(InventoryMath.reorderPoint(ss, DemandStats.of(DAYS), 6).value()).isEqualByComparingTo("90");
    }

    @Test
    void statisticalSafetyStock() {
        // z(0.95) = 1.644854; 1.644854 × 1.870829 × √4 = 6.154522
        assertThat(InventoryMath.z(0.95)).isCloseTo(1.644854, within(1e-6));
        assertThat(InventoryMath.z(0.5)).isCloseTo(0, within(1e-12));
        Figure ss = InventoryMath.statisticalSafetyStock(DemandStats.of(DAYS), 0.95, 4);
        assertThat(ss.value()).isEqualByComparingTo("6.15");
        // below 50 % z is negative: no negative stock
        assertThat(InventoryMath.statisticalSafetyStock(DemandStats.of(DAYS), 0.3, 4).value()).isEqualByComparingTo("0");
        assertThatThrownBy(() -> InventoryMath.z(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InventoryMath.z(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void economicOrderQuantity() {
        // D = 1000, S = 50, H = 4: √(2 × 1000 × 50 / 4) = √25000 = 158.113883
        assertThat(InventoryMath.eoq(1000, 50, 4).value()).isEqualByComparingTo("158.11");
        // 158.11 in packs of 12: 14 packs = 168
        assertThat(InventoryMath.roundUpToPack(158.113883, 12)).isEqualTo(168);
        assertThat(InventoryMath.roundUpToPack(24, 12)).isEqualTo(24);
        assertThat(InventoryMath.roundUpToPack(0.2, 1)).isEqualTo(1);
        assertThatThrownBy(() -> InventoryMath.roundUpToPack(5, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void holdingCostZeroHasNoEoq() {
        Figure eoq = InventoryMath.eoq(1000, 50, 0);
        assertThat(eoq.value()).isNull();
        assertThat(eoq.reason()).contains("holding cost H must be > 0");
    }

    @Test
    void zeroDemandNeedsNoOrderAndNoSafetyStock() {
        DemandStats none = DemandStats.of(new double[] {0, 0, 0, 0});
        assertThat(none.standardDeviation()).isZero();
        assertThat(InventoryMath.maxAverageSafetyStock(none, 5, 9).value()).isEqualByComparingTo("0");
        assertThat(InventoryMath.statisticalSafetyStock(none, 0.99, 5).value()).isEqualByComparingTo("0");
        assertThat(InventoryMath.reorderPoint(InventoryMath.maxAverageSafetyStock(none, 5, 9), none, 5).value())
                .isEqualByComparingTo("0");
        Figure eoq = InventoryMath.eoq(0, 50, 2);
        assertThat(eoq.value()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(eoq.reason()).contains("no demand");
    }

    @Test
    void noHistoryGivesReasonsNotNumbers() {
        Figure ss = InventoryMath.maxAverageSafetyStock(DemandStats.NONE, 5, 9);
        assertThat(ss.value()).isNull();
        assertThat(ss.reason()).isEqualTo("no order history");
        assertThat(InventoryMath.statisticalSafetyStock(DemandStats.NONE, 0.95, 5).reason()).isEqualTo("no order history");
        assertThat(InventoryMath.reorderPoint(ss, DemandStats.NONE, 5).reason()).contains("no order history");
        // one day: no σ
        assertThat(InventoryMath.statisticalSafetyStock(DemandStats.of(new double[] {3}), 0.95, 5).reason()).contains("2 days");
    }

    @Test
    void leadTimeZeroMeansNoSafetyStockAndReorderAtZero() {
        DemandStats s = DemandStats.of(DAYS);
        Figure ss = InventoryMath.maxAverageSafetyStock(s, 0, 0);
        assertThat(ss.value()).isEqualByComparingTo("0");
        assertThat(InventoryMath.statisticalSafetyStock(s, 0.95, 0).value()).isEqualByComparingTo("0");
        assertThat(InventoryMath.reorderPoint(ss, s, 0).value()).isEqualByComparingTo("0");
    }

    @Test
    void calculatorPutsItTogether() {
        PlanningCalculator calc = new PlanningCalculator(new Forecaster(7, 4), 7);
        PlanningSettings settings = new PlanningSettings(null, 50, "default", 4, "sku", 12, "sku", 0.95, "default");
        PlanningCalculator.LeadTimes lt = PlanningCalculator.LeadTimes.of(List.of(new LeadTime("A", 4, 6),
                new LeadTime("B", 8, 10)), 7);
        WarehousePlan plan = calc.plan("*", java.time.LocalDate.of(2026, 1, 1), DAYS, lt, settings, "test");
        assertThat(plan.safetyStock().value()).isEqualByComparingTo("54");
        assertThat(plan.reorderPoint().value()).isEqualByComparingTo("90");
        // statistical: 1.644854 × 1.870829 × √6 = 7.537700; its reorder point 7.54 + 36 = 43.54
        assertThat(plan.statisticalSafetyStock().value()).isEqualByComparingTo("7.54");
        assertThat(plan.statisticalReorderPoint().value()).isEqualByComparingTo("43.54");
        // D = 6 × 365 = 2190: √(2 × 2190 × 50 / 4) = √54750 = 233.987; 20 packs of 12 = 240
        assertThat(plan.eoq().value()).isEqualByComparingTo("233.99");
        assertThat(plan.orderQuantity()).isEqualTo(240);
        assertThat(plan.demand().to()).isEqualTo("2026-01-05");
        // five days are too few to backtest: a forecast without an error, saying why
        assertThat(plan.forecast().reason()).contains("too short");
        assertThat(plan.forecast().error()).isNull();

        WarehousePlan empty = calc.plan("*", java.time.LocalDate.of(2026, 1, 1), new double[0],
                PlanningCalculator.LeadTimes.of(List.of(), 7), settings, "test");
        assertThat(empty.safetyStock().reason()).isEqualTo("no order history");
        assertThat(empty.eoq().reason()).isEqualTo("no order history");
        assertThat(empty.orderQuantity()).isNull();
        assertThat(empty.forecast().reason()).isEqualTo("no order history");
    }
}
