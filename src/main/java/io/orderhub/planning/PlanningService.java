package io.orderhub.planning;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.JobLeases;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inventory planning: recomputes and stores the figures of every SKU on a schedule (one instance at a
 * time, by the job's lock row) and of one SKU when its lead times or settings change; answers the
 * planning view and the reorder suggestions from the stored figures; detects reorder-point crossings
 * so each is sent to the ERP once.
 */
@Service
public class PlanningService {

    private static final Logger log = LoggerFactory.getLogger(PlanningService.class);

    static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9 ._/-]{0,99}";

    private final PlanningRepository repo;
    private final PlanningProperties settings;
    private final PlanningCalculator calculator;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final JobLeases leases;
    private final Duration recomputeInterval;
    private final Duration reorderCheckInterval;

    public PlanningService(PlanningRepository repo, PlanningProperties settings, ObjectMapper json, Clock clock,
                           PlatformTransactionManager transactions, JobLeases leases,
                           @Value("${orderhub.planning.recompute-interval-ms}") long recomputeIntervalMs,
                           @Value("${orderhub.planning.reorder-check-interval-ms}") long reorderCheckIntervalMs) {
        this.repo = repo;
        this.settings = settings;
        this.calculator = new PlanningCalculator(new Forecaster(settings.backtestStep(), settings.backtestOrigins()),
                settings.horizonDays());
        this.json = json;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.leases = leases;
        this.recomputeInterval = Duration.ofMillis(recomputeIntervalMs);
        this.reorderCheckInterval = Duration.ofMillis(reorderCheckIntervalMs);
    }

    /** What the scheduled recomputation did. */
    public record Recomputed(boolean ran, int skus, long millis) {
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

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private LocalDate since(LocalDate today) {
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

    // reading

    /** The planning view of a SKU: inputs, figures per warehouse and overall, forecasts. */
    public Map<String, Object> planning(String sku) {
        requireProduct(sku);
        List<PlanningRepository.StoredFigures> stored = repo.figures(sku);
        if (stored.isEmpty()) {
            recompute(sku);
            stored = repo.figures(sku);
        }
        PlanningCalculator.LeadTimes leadTimes = PlanningCalculator.LeadTimes.of(repo.leadTimes(sku), settings.defaultLeadTimeDays());
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("historyDays", settings.historyDays());
        inputs.put("leadTimes", leadTimes);
        PlanningSettings s = settingsOf(sku);
        inputs.put("settings", s);
        inputs.put("z", Figure.round(InventoryMath.z(s.serviceLevel())));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sku", sku);
        view.put("computedAt", stored.stream().map(PlanningRepository.StoredFigures::computedAt).max(Instant::compareTo).orElse(null));
        view.put("inputs", inputs);
        List<JsonNode> warehouses = new ArrayList<>();
        for (PlanningRepository.StoredFigures f : stored) {
            JsonNode doc = read(f.document());
            if (f.warehouse().equals(PlanningRepository.ALL)) {
                view.put("overall", doc);
            } else {
                warehouses.add(doc);
            }
        }
        view.put("warehouses", warehouses);
        return view;
    }

    /**
     * The daily demand the figures are computed from, per warehouse (units reserved from it) and overall
     * ({@code "*"}, ordered units), from the SKU's first day of demand (at most the planning history) to
     * today, one number per day: what the planning view's forecast continues.
     */
    public Map<String, Object> demandHistory(String sku) {
        requireProduct(sku);
        LocalDate today = today();
        Map<String, TreeMap<LocalDate, Double>> demand = repo.demand(since(today), sku).getOrDefault(sku, Map.of());
        TreeMap<LocalDate, Double> overall = demand.getOrDefault(PlanningRepository.ALL, new TreeMap<>());
        LocalDate from = overall.isEmpty() ? today : overall.firstKey();
        List<String> all = new ArrayList<>();
        all.add(PlanningRepository.ALL);
        all.addAll(repo.warehouses());
        List<Map<String, Object>> series = new ArrayList<>();
        for (String warehouse : all) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("warehouse", warehouse);
            one.put("daily", series(demand.getOrDefault(warehouse, new TreeMap<>()), from, today));
            series.add(one);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sku", sku);
        view.put("from", from.toString());
        view.put("to", today.toString());
        view.put("days", (int) (today.toEpochDay() - from.toEpochDay()) + 1);
        view.put("series", series);
        return view;
    }

    /** Warehouses at or below their reorder point now (current stock against the stored reorder points). */
    public List<ReorderSuggestion> reorderSuggestions() {
        List<ReorderSuggestion> out = new ArrayList<>();
        for (PlanningRepository.Below b : repo.belowReorderPoint()) {
            out.add(new ReorderSuggestion(null, b.sku(), b.warehouse(), b.available(), b.reorderPoint(), b.orderQuantity(),
                    b.orderQuantity() == null ? "no order quantity: " + eoqReason(b.sku(), b.warehouse()) : null, null,
                    b.computedAt()));
        }
        return out;
    }

    private String eoqReason(String sku, String warehouse) {
        return repo.figures(sku).stream().filter(f -> f.warehouse().equals(warehouse)).findFirst()
                .map(f -> read(f.document()).path("eoq").path("reason").asText("EOQ unavailable")).orElse("EOQ unavailable");
    }

    /**
     * Marks new reorder-point crossings and returns the suggestions not yet sent to the ERP (up to 100).
     * Runs in the caller's transaction, which holds the check's lock until the suggestions are sent and
     * marked ({@link #markNotified}); empty when another instance holds it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<ReorderSuggestion> claimCrossings() {
        Instant now = clock.instant();
        if (!leases.acquire(JobLeases.Job.REORDER_CHECK, reorderCheckInterval, Duration.ZERO)) {
            return List.of();
        }
        Set<String> marked = new HashSet<>(repo.markedBelow());
        Set<String> below = new HashSet<>();
        for (PlanningRepository.Below b : repo.belowReorderPoint()) {
            String key = b.sku() + "\t" + b.warehouse();
            below.add(key);
            if (!marked.contains(key)) {
                repo.markCrossed(b, UUID.randomUUID().toString(), now);
            }
        }
        for (String key : marked) {
            if (!below.contains(key)) {
                String[] parts = key.split("\t", 2);
                repo.markAbove(parts[0], parts[1]);
            }
        }
        List<ReorderSuggestion> pending = new ArrayList<>();
        for (PlanningRepository.Crossing c : repo.unnotified(100)) {
            pending.add(new ReorderSuggestion(c.suggestionId(), c.sku(), c.warehouse(), c.available(), c.reorderPoint(),
                    c.quantity(), c.quantity() == null ? "no order quantity (see the SKU's planning figures)" : null,
                    c.crossedAt(), null));
        }
        return pending;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void markNotified(List<ReorderSuggestion> sent) {
        repo.markNotified(sent.stream().map(ReorderSuggestion::suggestionId).toList(), clock.instant());
    }

    // settings

    /** {@code PUT /api/inventory/{sku}/lead-times}: {leadTimes: [{supplier, days, maxDays?}]} replaces the SKU's list. */
    public Map<String, Object> putLeadTimes(String sku, JsonNode body) {
        return putLeadTimes(sku, body, true);
    }

    /**
     * As {@link #putLeadTimes(String, JsonNode)}; without {@code recompute} the figures follow at the next
     * scheduled recomputation (the ERP catalogue feed, which may carry thousands of SKUs).
     */
    public Map<String, Object> putLeadTimes(String sku, JsonNode body, boolean recompute) {
        requireProduct(sku);
        List<FieldError> errors = new ArrayList<>();
        JsonNode list = body == null ? null : body.get("leadTimes");
        List<LeadTime> leadTimes = new ArrayList<>();
        if (list == null || !list.isArray()) {
            errors.add(FieldError.of("/leadTimes", "is required: an array of {supplier, days, maxDays?}"));
        } else if (list.size() > 50) {
            errors.add(FieldError.of("/leadTimes", "has " + list.size() + " entries; at most 50"));
        } else {
            Set<String> suppliers = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode e = list.get(i);
                String at = "/leadTimes/" + i;
                JsonNode supplier = e.get("supplier");
                if (supplier == null || !supplier.isTextual() || !supplier.asText().matches(NAME_PATTERN)) {
                    errors.add(FieldError.of(at + "/supplier", "is required: 1-100 letters, digits, spaces, '.', '_', '/' or '-'"));
                    continue;
                }
                if (!suppliers.add(supplier.asText())) {
                    errors.add(FieldError.of(at + "/supplier", "appears twice"));
                }
                Double days = number(e, "days", at, 0, 365, true, errors);
                Double max = number(e, "maxDays", at, 0, 365, false, errors);
                if (days != null) {
                    double m = max == null ? days : max;
                    if (m < days) {
                        errors.add(FieldError.of(at + "/maxDays", "must be >= days (" + days + ")"));
                    } else {
                        leadTimes.add(new LeadTime(supplier.asText(), days, m));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the lead times have " + errors.size() + " problem(s)", errors);
        }
        tx.executeWithoutResult(s -> repo.replaceLeadTimes(sku, leadTimes, clock.instant()));
        if (recompute) {
            recompute(sku);
        }
        return Map.of("sku", sku, "leadTimes", PlanningCalculator.LeadTimes.of(repo.leadTimes(sku), settings.defaultLeadTimeDays()));
    }

    /** {@code PUT /api/inventory/{sku}/planning-settings}: {category?, orderingCost?, holdingCost?, packSize?, serviceLevel?}. */
    public Map<String, Object> putSkuSettings(String sku, JsonNode body) {
        requireProduct(sku);
        PlanningRepository.SettingsRow row = settingsRow(body, true);
        tx.executeWithoutResult(s -> repo.putSkuSettings(sku, row, clock.instant()));
        recompute(sku);
        return Map.of("sku", sku, "settings", settingsOf(sku));
    }

    /** {@code PUT /api/planning/categories/{category}}: {orderingCost?, holdingCost?, packSize?, serviceLevel?}. */
    public Map<String, Object> putCategorySettings(String category, JsonNode body) {
        if (category == null || !category.matches(NAME_PATTERN)) {
            throw OrderHubException.field(Problem.INVALID, "category", "must be 1-100 letters, digits, spaces, '.', '_', '/' or '-'");
        }
        PlanningRepository.SettingsRow row = settingsRow(body, false);
        tx.executeWithoutResult(s -> repo.putCategorySettings(category, row, clock.instant()));
        List<String> skus = repo.skusOfCategory(category);
        skus.forEach(this::recompute);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("category", category);
        out.put("settings", row);
        out.put("recomputedSkus", skus);
        return out;
    }

    private PlanningRepository.SettingsRow settingsRow(JsonNode body, boolean withCategory) {
        if (body == null || !body.isObject()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String category = null;
        if (withCategory && body.hasNonNull("category")) {
            JsonNode c = body.get("category");
            if (!c.isTextual() || !c.asText().matches(NAME_PATTERN)) {
                errors.add(FieldError.of("/category", "must be 1-100 letters, digits, spaces, '.', '_', '/' or '-'"));
            } else {
                category = c.asText();
            }
        }
        Double s = number(body, "orderingCost", "", 0, 1e9, false, errors);
        Double h = number(body, "holdingCost", "", 0, 1e9, false, errors);
        Double pack = number(body, "packSize", "", 1, 1e6, false, errors);
        if (pack != null && pack != Math.rint(pack)) {
            errors.add(FieldError.of("/packSize", "must be a whole number"));
        }
        Double level = number(body, "serviceLevel", "", 0, 1, false, errors);
        if (level != null && (level <= 0 || level >= 1)) {
            errors.add(FieldError.of("/serviceLevel", "must lie strictly between 0 and 1 (e.g. 0.95)"));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the planning settings have " + errors.size() + " problem(s)", errors);
        }
        return new PlanningRepository.SettingsRow(category, s == null ? null : BigDecimal.valueOf(s),
                h == null ? null : BigDecimal.valueOf(h), pack == null ? null : pack.intValue(),
                level == null ? null : BigDecimal.valueOf(level));
    }

    private static Double number(JsonNode node, String field, String at, double min, double max, boolean required,
                                 List<FieldError> errors) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(FieldError.of(at + "/" + field, "is required"));
            }
            return null;
        }
        if (!v.isNumber()) {
            errors.add(FieldError.of(at + "/" + field, "must be a number"));
            return null;
        }
        double d = v.doubleValue();
        if (d < min || d > max || Double.isNaN(d)) {
            errors.add(FieldError.of(at + "/" + field, "must be between " + fmt(min) + " and " + fmt(max)));
            return null;
        }
        return d;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
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

    private JsonNode read(String s) {
        try {
            return json.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
