package io.orderhub.planning;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/** The planning tables (V10) and the order and stock history the figures come from. */
@Repository
public class PlanningRepository {

    /** The warehouse id of the figures over all warehouses. */
    public static final String ALL = "*";

    private final NamedParameterJdbcTemplate jdbc;

    public PlanningRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Daily units per SKU and warehouse (and {@link #ALL}), from {@code since} on, for one SKU or all (null). */
    public Map<String, Map<String, TreeMap<LocalDate, Double>>> demand(LocalDate since, String sku) {
        Map<String, Map<String, TreeMap<LocalDate, Double>>> out = new HashMap<>();
        MapSqlParameterSource p = new MapSqlParameterSource("since", Timestamp.from(since.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()))
                .addValue("sinceDay", Date.valueOf(since)).addValue("sku", sku);
        String skuFilter = sku == null ? "" : " and l.sku = :sku";
        // ordered units: every stored order counts as demand on the day it was received (UTC)
        jdbc.query("""
                select l.sku, cast(o.received_at at time zone 'UTC' as date) as d, sum(l.quantity) as units
                from orders o join order_lines l on l.order_id = o.order_id
                where o.received_at >= :since and o.status <> 'REJECTED'""" + skuFilter + """
                 group by l.sku, cast(o.received_at at time zone 'UTC' as date)
                """, p, rs -> {
            add(out, rs.getString("sku"), ALL, rs.getDate("d").toLocalDate(), rs.getDouble("units"));
        });
        // units reserved from each warehouse: where the demand was served from
        jdbc.query("""
                select sku, warehouse_id, cast(at at time zone 'UTC' as date) as d, sum(reserved_delta) as units
                from stock_ledger
                where movement = 'RESERVE' and at >= :since""" + (sku == null ? "" : " and sku = :sku") + """
                 group by sku, warehouse_id, cast(at at time zone 'UTC' as date)
                """, p, rs -> {
            add(out, rs.getString("sku"), rs.getString("warehouse_id"), rs.getDate("d").toLocalDate(), rs.getDouble("units"));
        });
        jdbc.query("select sku, warehouse_id, demand_day as d, units from planning_seeded_demand where demand_day >= :sinceDay"
                + (sku == null ? "" : " and sku = :sku"), p, rs -> {
            LocalDate day = rs.getDate("d").toLocalDate();
            add(out, rs.getString("sku"), rs.getString("warehouse_id"), day, rs.getDouble("units"));
            add(out, rs.getString("sku"), ALL, day, rs.getDouble("units"));
        });
        return out;
    }

    private static void add(Map<String, Map<String, TreeMap<LocalDate, Double>>> out, String sku, String warehouse,
                            LocalDate day, double units) {
        out.computeIfAbsent(sku, k -> new HashMap<>()).computeIfAbsent(warehouse, k -> new TreeMap<>())
                .merge(day, units, Double::sum);
    }

    public List<String> skus() {
        return jdbc.queryForList("select sku from products order by sku", new MapSqlParameterSource(), String.class);
    }

    public boolean productExists(String sku) {
        Integer n = jdbc.queryForObject("select count(*) from products where sku = :sku", new MapSqlParameterSource("sku", sku),
                Integer.class);
        return n != null && n > 0;
    }

    public List<String> warehouses() {
        return jdbc.queryForList("select warehouse_id from warehouses order by priority, warehouse_id",
                new MapSqlParameterSource(), String.class);
    }

    public List<String> skusOfCategory(String category) {
        return jdbc.queryForList("select sku from planning_sku_settings where category = :c", new MapSqlParameterSource("c", category),
                String.class);
    }

    // lead times

    public List<LeadTime> leadTimes(String sku) {
        return jdbc.query("""
                select supplier, lead_time_days, max_lead_time_days from supplier_lead_times where sku = :sku order by supplier
                """, new MapSqlParameterSource("sku", sku), (rs, n) -> new LeadTime(rs.getString(1),
                rs.getBigDecimal(2).doubleValue(), rs.getBigDecimal(3).doubleValue()));
    }

    public void replaceLeadTimes(String sku, List<LeadTime> leadTimes, Instant at) {
        jdbc.update("delete from supplier_lead_times where sku = :sku", new MapSqlParameterSource("sku", sku));
        List<SqlParameterSource> rows = new ArrayList<>();
        for (LeadTime l : leadTimes) {
            rows.add(new MapSqlParameterSource("sku", sku).addValue("supplier", l.supplier())
                    .addValue("days", BigDecimal.valueOf(l.days())).addValue("max", BigDecimal.valueOf(l.maxDays()))
                    .addValue("at", Timestamp.from(at)));
        }
        jdbc.batchUpdate("""
                insert into supplier_lead_times (sku, supplier, lead_time_days, max_lead_time_days, updated_at)
                values (:sku, :supplier, :days, :max, :at)
                """, rows.toArray(SqlParameterSource[]::new));
    }

    // settings

    /** A settings row: null columns fall back to the next level. */
    public record SettingsRow(String category, BigDecimal orderingCost, BigDecimal holdingCost, Integer packSize,
                              BigDecimal serviceLevel) {
    }

    public Optional<SettingsRow> skuSettings(String sku) {
        return jdbc.query("""
                select category, ordering_cost, holding_cost, pack_size, service_level from planning_sku_settings where sku = :k
                """, new MapSqlParameterSource("k", sku), (rs, n) -> settingsRow(rs)).stream().findFirst();
    }

    public Optional<SettingsRow> categorySettings(String category) {
        return jdbc.query("""
                select category, ordering_cost, holding_cost, pack_size, service_level
                from planning_category_settings where category = :k
                """, new MapSqlParameterSource("k", category), (rs, n) -> settingsRow(rs)).stream().findFirst();
    }

    private static SettingsRow settingsRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        int pack = rs.getInt("pack_size");
        return new SettingsRow(rs.getString("category"), rs.getBigDecimal("ordering_cost"), rs.getBigDecimal("holding_cost"),
                rs.wasNull() ? null : pack, rs.getBigDecimal("service_level"));
    }

    public void putSkuSettings(String sku, SettingsRow s, Instant at) {
        jdbc.update("delete from planning_sku_settings where sku = :sku", new MapSqlParameterSource("sku", sku));
        jdbc.update("""
                insert into planning_sku_settings (sku, category, ordering_cost, holding_cost, pack_size, service_level, updated_at)
                values (:key, :category, :s, :h, :pack, :level, :at)
                """, settingsParams(sku, s, at));
    }

    public void putCategorySettings(String category, SettingsRow s, Instant at) {
        jdbc.update("delete from planning_category_settings where category = :c", new MapSqlParameterSource("c", category));
        jdbc.update("""
                insert into planning_category_settings (category, ordering_cost, holding_cost, pack_size, service_level, updated_at)
                values (:key, :s, :h, :pack, :level, :at)
                """, settingsParams(category, s, at));
    }

    private static MapSqlParameterSource settingsParams(String key, SettingsRow s, Instant at) {
        return new MapSqlParameterSource("key", key).addValue("category", s.category()).addValue("s", s.orderingCost())
                .addValue("h", s.holdingCost()).addValue("pack", s.packSize()).addValue("level", s.serviceLevel())
                .addValue("at", Timestamp.from(at));
    }

    // figures

    public void storeFigures(String sku, WarehousePlan plan, Instant at, String document) {
        MapSqlParameterSource p = new MapSqlParameterSource("sku", sku).addValue("wh", plan.warehouse())
                .addValue("at", Timestamp.from(at))
                .addValue("avg", BigDecimal.valueOf(plan.demand().averageDaily()))
                .addValue("rop", plan.reorderPoint().value())
                .addValue("qty", plan.orderQuantity())
                .addValue("doc", document);
        int updated = jdbc.update("""
                update planning_figures set computed_at = :at, avg_daily = :avg, reorder_point = :rop, order_quantity = :qty,
                       document = :doc where sku = :sku and warehouse_id = :wh
                """, p);
        if (updated == 0) {
            jdbc.update("""
                    insert into planning_figures (sku, warehouse_id, computed_at, avg_daily, reorder_point, order_quantity, document)
                    values (:sku, :wh, :at, :avg, :rop, :qty, :doc)
                    """, p);
        }
    }

    /** The stored figures of a SKU: warehouse id to (computedAt, JSON document). */
    public record StoredFigures(String warehouse, Instant computedAt, String document) {
    }

    public List<StoredFigures> figures(String sku) {
        return jdbc.query("""
                select warehouse_id, computed_at, document from planning_figures where sku = :sku order by warehouse_id
                """, new MapSqlParameterSource("sku", sku), (rs, n) -> new StoredFigures(rs.getString(1),
                rs.getTimestamp(2).toInstant(), rs.getString(3)));
    }

    /** A warehouse whose available stock is at or below its reorder point, with demand. */
    public record Below(String sku, String warehouse, int available, BigDecimal reorderPoint, Long orderQuantity,
                        Instant computedAt) {
    }

    public List<Below> belowReorderPoint() {
        return jdbc.query("""
                select f.sku, f.warehouse_id, s.on_hand - s.reserved - s.allocated as available, f.reorder_point,
                       f.order_quantity, f.computed_at
                from planning_figures f join stock s on s.sku = f.sku and s.warehouse_id = f.warehouse_id
                where f.warehouse_id <> '*' and f.reorder_point is not null and f.avg_daily > 0
                  and s.on_hand - s.reserved - s.allocated <= f.reorder_point
                order by f.sku, f.warehouse_id
                """, new MapSqlParameterSource(), (rs, n) -> new Below(rs.getString(1), rs.getString(2), rs.getInt(3),
                rs.getBigDecimal(4), (Long) rs.getObject(5, Long.class), rs.getTimestamp(6).toInstant()));
    }

    // crossings

    /** SKU/warehouse keys ("sku\twarehouse") currently marked below their reorder point. */
    public List<String> markedBelow() {
        return jdbc.queryForList("select sku || chr(9) || warehouse_id from reorder_crossings where below = true",
                new MapSqlParameterSource(), String.class);
    }

    public void markCrossed(Below b, String suggestionId, Instant at) {
        MapSqlParameterSource p = new MapSqlParameterSource("sku", b.sku()).addValue("wh", b.warehouse())
                .addValue("id", suggestionId).addValue("at", Timestamp.from(at)).addValue("available", b.available())
                .addValue("rop", b.reorderPoint()).addValue("qty", b.orderQuantity());
        int updated = jdbc.update("""
                update reorder_crossings set below = true, suggestion_id = :id, crossed_at = :at, available = :available,
                       reorder_point = :rop, quantity = :qty, notified_at = null where sku = :sku and warehouse_id = :wh
                """, p);
        if (updated == 0) {
            jdbc.update("""
                    insert into reorder_crossings (sku, warehouse_id, below, suggestion_id, crossed_at, available, reorder_point, quantity)
                    values (:sku, :wh, true, :id, :at, :available, :rop, :qty)
                    """, p);
        }
    }

    public void markAbove(String sku, String warehouse) {
        jdbc.update("update reorder_crossings set below = false where sku = :sku and warehouse_id = :wh",
                new MapSqlParameterSource("sku", sku).addValue("wh", warehouse));
    }

    /** A crossing not yet sent to the ERP. */
    public record Crossing(String suggestionId, String sku, String warehouse, Instant crossedAt, int available,
                           BigDecimal reorderPoint, Long quantity) {
    }

    public List<Crossing> unnotified(int limit) {
        return jdbc.query("""
                select suggestion_id, sku, warehouse_id, crossed_at, available, reorder_point, quantity
                from reorder_crossings where below = true and notified_at is null order by crossed_at limit :limit
                """, new MapSqlParameterSource("limit", limit), (rs, n) -> new Crossing(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getInt(5), rs.getBigDecimal(6),
                (Long) rs.getObject(7, Long.class)));
    }

    public void markNotified(List<String> suggestionIds, Instant at) {
        if (suggestionIds.isEmpty()) {
            return;
        }
        jdbc.update("update reorder_crossings set notified_at = :at where suggestion_id in (:ids)",
                new MapSqlParameterSource("ids", suggestionIds).addValue("at", Timestamp.from(at)));
    }

    // seed

    public void replaceSeededDemand(String sku, List<Object[]> rows) {
        jdbc.update("delete from planning_seeded_demand where sku = :sku", new MapSqlParameterSource("sku", sku));
        List<SqlParameterSource> params = new ArrayList<>();
        for (Object[] r : rows) {
            params.add(new MapSqlParameterSource("sku", sku).addValue("wh", r[0]).addValue("day", Date.valueOf((LocalDate) r[1]))
                    .addValue("units", r[2]));
        }
        jdbc.batchUpdate("insert into planning_seeded_demand (sku, warehouse_id, demand_day, units) values (:sku, :wh, :day, :units)",
                params.toArray(SqlParameterSource[]::new));
    }
}
