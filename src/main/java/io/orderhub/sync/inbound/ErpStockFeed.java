package io.orderhub.sync.inbound;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.inventory.CatalogueService;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stock levels and catalogue entries from the ERP, however they arrive (REST push, the queue
 * {@code erp.stock-updates}, the scheduled pull). An update is
 * {@code {updateId?, products?: [{sku, description, unitPrice, currency, weightKg}], levels?: [{sku, warehouse, onHand, safetyStock?}]}}.
 * It is applied all or nothing in one transaction through the inventory's {@link CatalogueService}
 * (so arriving stock confirms backordered orders first-in-first-out there); a problem in any entry
 * refuses the whole update with the entry's position in the field ({@code /levels/2/onHand}). An
 * update with an {@code updateId} seen before changes nothing. A level equal to the hub's on-hand
 * count is left alone (no ledger entry).
 */
@Service
public class ErpStockFeed {

    public static final int MAX_ENTRIES = 10_000;

    /** What an update did. */
    public record Outcome(String updateId, boolean duplicate, List<String> products, List<Level> applied, int unchanged,
                          List<String> confirmedBackorders) {
    }

    public record Level(String sku, String warehouse, int onHand) {
    }

    private final CatalogueService catalogue;
    private final io.orderhub.planning.PlanningService planning;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final TransactionTemplate ownTx;
    private final io.orderhub.inventory.ItemCrossReference crossReference;

    public ErpStockFeed(CatalogueService catalogue, io.orderhub.planning.PlanningService planning,
                        NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions,
                        io.orderhub.inventory.ItemCrossReference crossReference) {
        this.crossReference = crossReference;
        this.catalogue = catalogue;
        this.planning = planning;
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.ownTx = new TransactionTemplate(transactions);
        this.ownTx.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
    }

    /** Stores the product's cross-reference entries (in the update's transaction: all or nothing). */
    private void crossReferences(JsonNode entries, String sku, String at) {
        if (!entries.isArray()) {
            throw OrderHubException.field(Problem.INVALID, at, "must be an array of {channel, partnerItem, kind?}");
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = at + "/" + i;
            if (!entry.isObject()) {
                throw OrderHubException.field(Problem.INVALID, where, "must be an object {channel, partnerItem, kind?}");
            }
            ObjectNode body = entry.deepCopy();
            body.remove("channel");
            body.put("sku", sku);
            String channel = entry.path("channel").asText(null);
            located(where, () -> crossReference.put(channel, body, "erp"));
        }
    }

    /** As {@link #apply}, in a transaction of its own even when the caller has one (the pull, holding its lock). */
    public Outcome applyOnItsOwn(JsonNode update, String via) {
        return ownTx.execute(status -> apply(update, via, null));
    }

    /**
     * Applies an update; {@code via} is rest, jms or poll; {@code fallbackId} (e.g. the JMS message id)
     * identifies the update when the body has no {@code updateId}.
     */
    public Outcome apply(JsonNode update, String via, String fallbackId) {
        if (update == null || !update.isObject()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object {updateId?, products?, levels?}");
        }
        List<FieldError> errors = new ArrayList<>();
        String updateId = fallbackId;
        JsonNode id = update.get("updateId");
        if (id != null && !id.isNull()) {
            if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > 200) {
                errors.add(FieldError.of("/updateId", "must be a non-empty string of at most 200 characters"));
            } else if (id.asText().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                // PostgreSQL refuses NUL in text (found by ApiFuzzTest on PostgreSQL)
                errors.add(FieldError.of("/updateId", "must not contain control characters"));
            } else {
                updateId = id.asText();
            }
        }
        JsonNode products = array(update, "products", errors);
        JsonNode levels = array(update, "levels", errors);
        if (errors.isEmpty() && products == null && levels == null) {
            errors.add(FieldError.of("/levels", "an update needs levels or products (or both)"));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the ERP update has " + errors.size() + " problem(s)", errors);
        }
        // every entry is checked before the update is looked up: a repeated updateId with a body the hub would refuse
        // is refused too (422 naming the field), not answered as a duplicate (found by ApiFuzzTest)
        for (int i = 0; products != null && i < products.size(); i++) {
            String at = "/products/" + i;
            String sku = sku(products.get(i), at);
            ObjectNode body = products.get(i).deepCopy();
            body.remove(List.of("sku", "leadTimes", "crossReferences"));
            located(at, () -> catalogue.product(sku, body));
        }
        for (int i = 0; levels != null && i < levels.size(); i++) {
            String at = "/levels/" + i;
            String sku = sku(levels.get(i), at);
            ObjectNode body = levels.get(i).deepCopy();
            body.remove("sku");
            if (body.has("reason") && body.get("reason").isNull()) {
                body.remove("reason");
            }
            located(at, () -> {
                catalogue.checkOnHand(sku, body);
                return null;
            });
        }
        String key = updateId;
        return tx.execute(status -> {
            if (key != null && !firstTime(key, via)) {
                return new Outcome(key, true, List.of(), List.of(), 0, List.of());
            }
            List<String> stored = new ArrayList<>();
            if (products != null) {
                for (int i = 0; i < products.size(); i++) {
                    JsonNode p = products.get(i);
                    String at = "/products/" + i;
                    String sku = sku(p, at);
                    ObjectNode body = p.deepCopy();
                    body.remove("sku");
                    // supplier lead times may ride along (planning, docs/planning.md): {leadTimes: [{supplier, days, maxDays?}]}
                    JsonNode leadTimes = body.remove("leadTimes");
                    // partners' item numbers may ride along: {crossReferences: [{channel, partnerItem, kind?}]}
                    JsonNode crossReferences = body.remove("crossReferences");
                    located(at, () -> catalogue.putProduct(sku, body));
                    if (crossReferences != null && !crossReferences.isNull()) {
                        crossReferences(crossReferences, sku, at + "/crossReferences");
                    }
                    if (leadTimes != null && !leadTimes.isNull()) {
                        ObjectNode wrapped = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                        wrapped.set("leadTimes", leadTimes);
                        located(at, () -> planning.putLeadTimes(sku, wrapped, false));
                    }
                    stored.add(sku);
                }
            }
            List<Level> applied = new ArrayList<>();
            int unchanged = 0;
            Set<String> confirmed = new LinkedHashSet<>();
            if (levels != null) {
                for (int i = 0; i < levels.size(); i++) {
                    JsonNode l = levels.get(i);
                    String at = "/levels/" + i;
                    String sku = sku(l, at);
                    ObjectNode body = l.deepCopy();
                    body.remove("sku");
                    if (body.has("reason") && body.get("reason").isNull()) {
                        body.remove("reason");
                    }
                    if (!body.has("reason")) {
                        body.put("reason", "ERP stock level (" + via + (key == null ? "" : " " + key) + ")");
                    }
                    if (unchanged(sku, body, at)) {
                        unchanged++;
                        continue;
                    }
                    CatalogueService.InventoryView view = located(at, () -> catalogue.setOnHand(sku, body));
                    applied.add(new Level(sku, body.get("warehouse").asText(), body.get("onHand").intValue()));
                    if (view.confirmedBackorders() != null) {
                        confirmed.addAll(view.confirmedBackorders());
                    }
                }
            }
            return new Outcome(key, false, stored, applied, unchanged, List.copyOf(confirmed));
        });
    }

    private boolean firstTime(String updateId, String via) {
        Integer seen = jdbc.queryForObject("select count(*) from erp_inbound_updates where update_id = :id",
                new MapSqlParameterSource("id", updateId), Integer.class);
        if (seen != null && seen > 0) {
            return false;
        }
        jdbc.update("insert into erp_inbound_updates (update_id, via, applied_at) values (:id, :via, :at)",
                new MapSqlParameterSource("id", updateId).addValue("via", via).addValue("at", Timestamp.from(clock.instant())));
        return true;
    }

    /** True when the level sets exactly the on-hand count the hub has (and no safety stock). */
    private boolean unchanged(String sku, JsonNode level, String at) {
        JsonNode warehouse = level.get("warehouse");
        JsonNode onHand = level.get("onHand");
        if (warehouse == null || !warehouse.isTextual() || onHand == null || !onHand.canConvertToInt()
                || !onHand.isIntegralNumber() || level.has("safetyStock")) {
            return false;
        }
        CatalogueService.InventoryView view = located(at, () -> catalogue.inventory(sku));
        return view.warehouses().stream().anyMatch(w -> w.warehouse().equals(warehouse.asText()) && w.onHand() == onHand.intValue());
    }

    private static String sku(JsonNode entry, String at) {
        if (entry == null || !entry.isObject()) {
            throw OrderHubException.field(Problem.INVALID, at, "must be a JSON object");
        }
        JsonNode sku = entry.get("sku");
        if (sku == null || sku.isNull()) {
            throw OrderHubException.field(Problem.INVALID, at + "/sku", "is required");
        }
        if (!sku.isTextual() || !io.orderhub.common.ItemNumbers.valid(sku.asText())) {
            throw OrderHubException.field(Problem.INVALID, at + "/sku", io.orderhub.common.ItemNumbers.RULE);
        }
        return sku.asText();
    }

    private static JsonNode array(JsonNode update, String field, List<FieldError> errors) {
        JsonNode n = update.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            errors.add(FieldError.of("/" + field, "must be an array"));
            return null;
        }
        if (n.size() > MAX_ENTRIES) {
            errors.add(FieldError.of("/" + field, "has " + n.size() + " entries; at most " + MAX_ENTRIES + " per update"));
            return null;
        }
        return n;
    }

    /** Runs one entry's change; its problems name the entry ({@code /levels/2/onHand}); an unknown SKU is invalid here. */
    private static <T> T located(String at, java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (OrderHubException e) {
            List<FieldError> errors = new ArrayList<>();
            for (FieldError f : e.errors()) {
                String field = f.field().equals("body") ? at : at + (f.field().startsWith("/") ? f.field() : "/" + f.field());
                errors.add(FieldError.of(field, f.message()));
            }
            if (errors.isEmpty()) {
                errors.add(FieldError.of(at, e.getMessage()));
            }
            Problem problem = e.problem() == Problem.NOT_FOUND || e.problem() == Problem.MALFORMED ? Problem.INVALID : e.problem();
            String detail = at + ": " + errors.stream().map(FieldError::message).reduce((a, b) -> a + "; " + b).orElse(e.getMessage());
            throw new OrderHubException(problem, detail, errors);
        }
    }
}
