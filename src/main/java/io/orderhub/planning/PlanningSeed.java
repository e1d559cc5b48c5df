package io.orderhub.planning;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Demo history for the embedded default ({@code POST /api/ops/planning/seed}, orderhub.planning.seed-enabled):
 * a year of daily demand per catalogue SKU and warehouse with a weekly pattern (busy Fridays and
 * Saturdays, quiet Sundays), a trend, and Poisson noise, deterministic per SKU; two suppliers' lead
 * times for SKUs that have none; then the figures are recomputed. Seeding again replaces the seeded history.
 */
@Service
public class PlanningSeed {

    /** Monday .. Sunday. */
    static final double[] WEEK = {1.0, 0.9, 0.95, 1.05, 1.3, 1.45, 0.55};

    private final PlanningRepository repo;
    private final PlanningService planning;
    private final PlanningProperties settings;
    private final Clock clock;
    private final TransactionTemplate tx;

    public PlanningSeed(PlanningRepository repo, PlanningService planning, PlanningProperties settings, Clock clock,
                        PlatformTransactionManager transactions) {
        this.repo = repo;
        this.planning = planning;
        this.settings = settings;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    public Map<String, Object> seed(int days) {
        if (!settings.seedEnabled()) {
            throw new OrderHubException(Problem.CONFLICT,
                    "seeding demo history is off (orderhub.planning.seed-enabled is on only in the embedded default)");
        }
        if (days < 28 || days > 730) {
            throw OrderHubException.field(Problem.INVALID, "days", "must be between 28 and 730");
        }
        LocalDate end = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        LocalDate start = end.minusDays(days - 1L);
        List<String> warehouses = repo.warehouses();
        int rows = tx.execute(status -> {
            int n = 0;
            for (String sku : repo.skus()) {
                List<Object[]> history = history(sku, warehouses, start, end);
                repo.replaceSeededDemand(sku, history);
                n += history.size();
                if (repo.leadTimes(sku).isEmpty()) {
                    SplittableRandom r = new SplittableRandom(sku.hashCode());
                    int fast = 3 + r.nextInt(5);
                    int slow = fast + 3 + r.nextInt(6);
                    repo.replaceLeadTimes(sku, List.of(new LeadTime("acme-supply", fast, fast + 2 + r.nextInt(4)),
                            new LeadTime("globex-wholesale", slow, slow + 3 + r.nextInt(6))), clock.instant());
                }
            }
            return n;
        });
        PlanningService.Recomputed recomputed = planning.recomputeAll();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", start.toString());
        out.put("to", end.toString());
        out.put("skus", repo.skus().size());
        out.put("rows", rows);
        out.put("recomputed", recomputed);
        return out;
    }

    /** Rows (warehouse, day, units) of one SKU: level × weekday factor × (1 + trend), Poisson noise. */
    static List<Object[]> history(String sku, List<String> warehouses, LocalDate start, LocalDate end) {
        SplittableRandom random = new SplittableRandom(sku.hashCode() * 31L + 7);
        List<Object[]> rows = new ArrayList<>();
        int days = (int) (end.toEpochDay() - start.toEpochDay()) + 1;
        for (int w = 0; w < warehouses.size(); w++) {
            double level = 2 + random.nextInt(18) / (w + 1.0);
            double yearlyGrowth = -0.1 + random.nextDouble() * 0.5;
            for (int i = 0; i < days; i++) {
                LocalDate day = start.plusDays(i);
                double mean = level * WEEK[day.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()]
                        * (1 + yearlyGrowth * i / 365.0);
                rows.add(new Object[] {warehouses.get(w), day, poisson(random, Math.max(mean, 0))});
            }
        }
        return rows;
    }

    /** Knuth's method; the means here are small (under 40). */
    static int poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > limit);
        return k - 1;
    }
}
