package io.orderhub.planning;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * The planning view of a SKU (inputs, figures per warehouse and overall, forecasts), its demand history,
 * and the reorder suggestions, all answered from the stored figures.
 */
@Component
class PlanningView {

    private final PlanningRepository repo;
    private final PlanningProperties settings;
    private final PlanningFigures figures;
    private final ObjectMapper json;

    PlanningView(PlanningRepository repo, PlanningProperties settings, PlanningFigures figures, ObjectMapper json) {
        this.repo = repo;
        this.settings = settings;
        this.figures = figures;
        this.json = json;
    }

    /** The planning view of a SKU: inputs, figures per warehouse and overall, forecasts. */
    public Map<String, Object> planning(String sku) {
        figures.requireProduct(sku);
        List<PlanningRepository.StoredFigures> stored = repo.figures(sku);
        if (stored.isEmpty()) {
            figures.recompute(sku);
            stored = repo.figures(sku);
        }
        PlanningCalculator.LeadTimes leadTimes = PlanningCalculator.LeadTimes.of(repo.leadTimes(sku), settings.defaultLeadTimeDays());
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("historyDays", settings.historyDays());
        inputs.put("leadTimes", leadTimes);
        PlanningSettings s = figures.settingsOf(sku);
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
        figures.requireProduct(sku);
        LocalDate today = figures.today();
        Map<String, TreeMap<LocalDate, Double>> demand = repo.demand(figures.since(today), sku).getOrDefault(sku, Map.of());
        TreeMap<LocalDate, Double> overall = demand.getOrDefault(PlanningRepository.ALL, new TreeMap<>());
        LocalDate from = overall.isEmpty() ? today : overall.firstKey();
        List<String> all = new ArrayList<>();
        all.add(PlanningRepository.ALL);
        all.addAll(repo.warehouses());
        List<Map<String, Object>> series = new ArrayList<>();
        for (String warehouse : all) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("warehouse", warehouse);
            one.put("daily", PlanningFigures.series(demand.getOrDefault(warehouse, new TreeMap<>()), from, today));
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

    private JsonNode read(String s) {
        try {
            return json.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
