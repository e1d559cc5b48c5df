package io.orderhub.planning;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The planning settings operations and the ERP feed change: a SKU's supplier lead times, its own
 * settings and its category's, each checked field by field and followed by the recomputation of the
 * figures it affects.
 */
@Component
class PlanningInputs {

    static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9 ._/-]{0,99}";

    private final PlanningRepository repo;
    private final PlanningProperties settings;
    private final PlanningFigures figures;
    private final Clock clock;
    private final TransactionTemplate tx;

    PlanningInputs(PlanningRepository repo, PlanningProperties settings, PlanningFigures figures, Clock clock,
                   PlatformTransactionManager transactions) {
        this.repo = repo;
        this.settings = settings;
        this.figures = figures;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    /** {@code PUT /api/inventory/{sku}/lead-times}: {leadTimes: [{supplier, days, maxDays?}]} replaces the SKU's list. */
    public Map<String, Object> putLeadTimes(String sku, JsonNode body) {
        return putLeadTimes(sku, body, true);
    }

    /**
     * As {@link #putLeadTimes(String, JsonNode)}; without {@code recompute} the figures follow at the next
     * scheduled recomputation (the ERP catalogue feed, which may carry thousands of SKUs).
     */
    public Map<String, Object> putLeadTimes(String sku, JsonNode body, boolean recompute) {
        figures.requireProduct(sku);
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
            figures.recompute(sku);
        }
        return Map.of("sku", sku, "leadTimes", PlanningCalculator.LeadTimes.of(repo.leadTimes(sku), settings.defaultLeadTimeDays()));
    }

    /** {@code PUT /api/inventory/{sku}/planning-settings}: {category?, orderingCost?, holdingCost?, packSize?, serviceLevel?}. */
    public Map<String, Object> putSkuSettings(String sku, JsonNode body) {
        figures.requireProduct(sku);
        PlanningRepository.SettingsRow row = settingsRow(body, true);
        tx.executeWithoutResult(s -> repo.putSkuSettings(sku, row, clock.instant()));
        figures.recompute(sku);
        return Map.of("sku", sku, "settings", figures.settingsOf(sku));
    }

    /** {@code PUT /api/planning/categories/{category}}: {orderingCost?, holdingCost?, packSize?, serviceLevel?}. */
    public Map<String, Object> putCategorySettings(String category, JsonNode body) {
        if (category == null || !category.matches(NAME_PATTERN)) {
            throw OrderHubException.field(Problem.INVALID, "category", "must be 1-100 letters, digits, spaces, '.', '_', '/' or '-'");
        }
        PlanningRepository.SettingsRow row = settingsRow(body, false);
        tx.executeWithoutResult(s -> repo.putCategorySettings(category, row, clock.instant()));
        List<String> skus = repo.skusOfCategory(category);
        skus.forEach(figures::recompute);
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
}
