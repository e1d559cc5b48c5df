package io.orderhub.planning;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Service;

/**
 * Inventory planning, seen from the API, the seed and the ERP feed: the figures of every SKU, recomputed
 * on a schedule and when a SKU's lead times or settings change ({@link PlanningFigures}); the planning
 * view and the reorder suggestions from the stored figures ({@link PlanningView}); the lead times and
 * settings operations change ({@link PlanningInputs}). Reorder-point crossings are detected by the
 * {@link ReorderMonitor}. This class only hands each call to the part that does it.
 */
@Service
public class PlanningService {

    private final PlanningFigures figures;
    private final PlanningView view;
    private final PlanningInputs inputs;

    PlanningService(PlanningFigures figures, PlanningView view, PlanningInputs inputs) {
        this.figures = figures;
        this.view = view;
        this.inputs = inputs;
    }

    /** What the scheduled recomputation did. */
    public record Recomputed(boolean ran, int skus, long millis) {
    }

    /** Recomputes every SKU's figures now (operations, the seed); skipped (ran = false) while another instance runs it. */
    public Recomputed recomputeAll() {
        return figures.recomputeAll();
    }

    /** Recomputes one SKU (after its lead times or settings changed, or when it has no figures yet). */
    public void recompute(String sku) {
        figures.recompute(sku);
    }

    /** The settings in force for a SKU: its own, its category's, the defaults, column by column. */
    public PlanningSettings settingsOf(String sku) {
        return figures.settingsOf(sku);
    }

    // reading

    /** The planning view of a SKU: inputs, figures per warehouse and overall, forecasts. */
    public Map<String, Object> planning(String sku) {
        return view.planning(sku);
    }

    /** The daily demand the figures are computed from, per warehouse and overall: see {@link PlanningView#demandHistory}. */
    public Map<String, Object> demandHistory(String sku) {
        return view.demandHistory(sku);
    }

    /** Warehouses at or below their reorder point now (current stock against the stored reorder points). */
    public List<ReorderSuggestion> reorderSuggestions() {
        return view.reorderSuggestions();
    }

    // settings

    /** {@code PUT /api/inventory/{sku}/lead-times}: {leadTimes: [{supplier, days, maxDays?}]} replaces the SKU's list. */
    public Map<String, Object> putLeadTimes(String sku, JsonNode body) {
        return inputs.putLeadTimes(sku, body);
    }

    /**
     * As {@link #putLeadTimes(String, JsonNode)}; without {@code recompute} the figures follow at the next
     * scheduled recomputation (the ERP catalogue feed, which may carry thousands of SKUs).
     */
    public Map<String, Object> putLeadTimes(String sku, JsonNode body, boolean recompute) {
        return inputs.putLeadTimes(sku, body, recompute);
    }

    /** {@code PUT /api/inventory/{sku}/planning-settings}: {category?, orderingCost?, holdingCost?, packSize?, serviceLevel?}. */
    public Map<String, Object> putSkuSettings(String sku, JsonNode body) {
        return inputs.putSkuSettings(sku, body);
    }

    /** {@code PUT /api/planning/categories/{category}}: {orderingCost?, holdingCost?, packSize?, serviceLevel?}. */
    public Map<String, Object> putCategorySettings(String category, JsonNode body) {
        return inputs.putCategorySettings(category, body);
    }
}
