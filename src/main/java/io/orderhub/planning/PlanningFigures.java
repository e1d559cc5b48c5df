package io.orderhub.planning;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.JobLeases;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.planning.PlanningService.Recomputed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The planning figures: recomputes and stores the figures of every SKU on a schedule (one instance at
 * a time, by the job's lock row) and of one SKU when its lead times or settings change, from the demand
 * history and the settings in force for the SKU (its own, its category's, the defaults).
 */
@Component("planningFigures")
public class PlanningFigures {

    private static final Logger log = LoggerFactory.getLogger(PlanningFigures.class);

    private final PlanningRepository repo;
    private final PlanningProperties settings;
    private final PlanningCalculator calculator;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final JobLeases leases;
    private final Duration recomputeInterval;

    PlanningFigures(PlanningRepository repo, PlanningProperties settings, ObjectMapper json, Clock clock,
                    PlatformTransactionManager transactions, JobLeases leases) {
        this.repo = repo;
        this.settings = settings;
        this.calculator = new PlanningCalculator(new Forecaster(settings.backtestStep(), settings.backtestOrigins()),
                settings.horizonDays());
        this.json = json;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.leases = leases;
        this.recomputeInterval = Duration.ofMillis(settings.recomputeIntervalMs());
    }

    /** Recomputes every SKU's figures now (operations, the seed); skipped (ran = false) while another instance runs it. */
    public Recomputed recomputeAll() {
        return recompute(true);
    }

    /** The timer's recomputation: once per interval across instances ({@link JobLeases}). */
    public Recomputed scheduledRecompute() {
        return recompute(false);
    }

    private Recomputed recompute(boolean now) {
        long started = System.nanoTime();
        Integer done = tx.execute(status -> {
            if (!(now ? leases.acquireForced(JobLeases.Job.PLANNING_RECOMPUTE)
                    : leases.acquire(JobLeases.Job.PLANNING_RECOMPUTE, recomputeInterval, Duration.ZERO))) {
                return null;
            }
            LocalDate today = today();
            Map<String, Map<String, TreeMap<LocalDate, Double>>> demand = repo.demand(since(today), null);
            List<String> warehouses = repo.warehouses();
            List<String> skus = repo.skus();
            for (String sku : skus) {
                store(sku, demand.getOrDefault(sku, Map.of()), warehouses, today);
            }
            return skus.size();
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (done == null) {
            return new Recomputed(false, 0, millis);
        }
        log.info("planning: recomputed the figures of {} SKUs in {} ms", done, millis);
        return new Recomputed(true, done, millis);
    }

    /** Recomputes one SKU (after its lead times or settings changed, or when it has no figures yet). */
    public void recompute(String sku) {
        tx.executeWithoutResult(status -> {
            LocalDate today = today();
            store(sku, repo.demand(since(today), sku).getOrDefault(sku, Map.of()), repo.warehouses(), today);
        });
    }

    private void store(String sku, Map<String, TreeMap<LocalDate, Double>> demand, List<String> warehouses, LocalDate today) {
        PlanningCalculator.LeadTimes leadTimes = PlanningCalculator.LeadTimes.of(repo.leadTimes(sku), settings.defaultLeadTimeDays());
        PlanningSettings s = settingsOf(sku);
        TreeMap<LocalDate, Double> overall = demand.getOrDefault(PlanningRepository.ALL, new TreeMap<>());
        // the history starts at the SKU's first day of demand, so a new product's figures are not diluted
        LocalDate from = overall.isEmpty() ? today : overall.firstKey();
        Instant now = clock.instant();
        List<String> all = new ArrayList<>();
        all.add(PlanningRepository.ALL);
        all.addAll(warehouses);
        for (String warehouse : all) {
            double[] daily = overall.isEmpty() ? new double[0] : series(demand.getOrDefault(warehouse, new TreeMap<>()), from, today);
            String source = warehouse.equals(PlanningRepository.ALL) ? "ordered units (order lines)"
                    : "units reserved from the warehouse (stock ledger)";
            WarehousePlan plan = calculator.plan(warehouse, from, daily, leadTimes, s, source);
            repo.storeFigures(sku, plan, now, write(plan));
        }
    }

    static double[] series(TreeMap<LocalDate, Double> days, LocalDate from, LocalDate to) {
        int n = (int) (to.toEpochDay() - from.toEpochDay()) + 1;
        double[] out = new double[Math.max(n, 0)];
        for (Map.Entry<LocalDate, Double> e : days.subMap(from, true, to, true).entrySet()) {
            out[(int) (e.getKey().toEpochDay() - from.toEpochDay())] = Math.max(0, e.getValue());
        }
        return out;
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    LocalDate since(LocalDate today) {
        return today.minusDays(settings.historyDays() - 1L);
    }

    /** The settings in force for a SKU: its own, its category's, the defaults, column by column. */
    public PlanningSettings settingsOf(String sku) {
        Optional<PlanningRepository.SettingsRow> own = repo.skuSettings(sku);
        String category = own.map(PlanningRepository.SettingsRow::category).orElse(null);
        Optional<PlanningRepository.SettingsRow> cat = category == null ? Optional.empty() : repo.categorySettings(category);
        PlanningProperties.Defaults d = settings.defaults();
        Pick<BigDecimal> s = pick(own.map(PlanningRepository.SettingsRow::orderingCost), cat.map(PlanningRepository.SettingsRow::orderingCost), category);
        Pick<BigDecimal> h = pick(own.map(PlanningRepository.SettingsRow::holdingCost), cat.map(PlanningRepository.SettingsRow::holdingCost), category);
        Pick<Integer> pack = pick(own.map(PlanningRepository.SettingsRow::packSize), cat.map(PlanningRepository.SettingsRow::packSize), category);
        Pick<BigDecimal> level = pick(own.map(PlanningRepository.SettingsRow::serviceLevel), cat.map(PlanningRepository.SettingsRow::serviceLevel), category);
        return new PlanningSettings(category,
                s.value() == null ? d.orderingCost() : s.value().doubleValue(), s.from(),
                h.value() == null ? d.holdingCost() : h.value().doubleValue(), h.from(),
                pack.value() == null ? d.packSize() : pack.value(), pack.from(),
                level.value() == null ? d.serviceLevel() : level.value().doubleValue(), level.from());
    }

    private record Pick<T>(T value, String from) {
    }

    private static <T> Pick<T> pick(Optional<T> own, Optional<T> category, String categoryName) {
        if (own.isPresent()) {
            return new Pick<>(own.get(), "sku");
        }
        if (category.isPresent()) {
            return new Pick<>(category.get(), "category:" + categoryName);
        }
        return new Pick<>(null, "default");
    }

    void requireProduct(String sku) {
        if (!io.orderhub.common.ItemNumbers.valid(sku)) {
            throw OrderHubException.field(Problem.INVALID, "sku", io.orderhub.common.ItemNumbers.RULE);
        }
        if (!repo.productExists(sku)) {
            throw OrderHubException.field(Problem.NOT_FOUND, "sku", "no product " + sku + " in the catalogue");
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
