package io.orderhub.inventory;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Products and warehouses. */
@Repository
public class CatalogueRepository {

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public CatalogueRepository(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Inserts or updates the product; true when it was new. */
    public boolean upsert(Product p) {
        MapSqlParameterSource params = new MapSqlParameterSource("sku", p.sku())
                .addValue("description", p.description()).addValue("unitPrice", p.unitPrice())
                .addValue("currency", p.currency()).addValue("weightKg", p.weightKg())
                .addValue("now", Timestamp.from(clock.instant()));
        int updated = jdbc.update("""
                update products set description = :description, unit_price = :unitPrice, currency = :currency,
                       weight_kg = :weightKg, updated_at = :now where sku = :sku
                """, params);
        if (updated == 1) {
            return false;
        }
        jdbc.update("""
                insert into products (sku, description, unit_price, currency, weight_kg, updated_at)
                values (:sku, :description, :unitPrice, :currency, :weightKg, :now)
                """, params);
        return true;
    }

    public Optional<Product> product(String sku) {
        return products(List.of(sku)).values().stream().findFirst();
    }

    public Map<String, Product> products(Collection<String> skus) {
        if (skus.isEmpty()) {
            return Map.of();
        }
        return jdbc.query("select sku, description, unit_price, currency, weight_kg from products where sku in (:skus)",
                new MapSqlParameterSource("skus", skus), (rs, i) -> new Product(rs.getString("sku"),
                        rs.getString("description"), rs.getBigDecimal("unit_price"), rs.getString("currency"),
                        rs.getBigDecimal("weight_kg")))
                .stream().collect(Collectors.toMap(Product::sku, Function.identity()));
    }

    public List<Warehouse> warehouses() {
        return jdbc.query("""
                select warehouse_id, name, line1, city, postal_code, country, zone, priority, cutoff
                from warehouses order by priority, warehouse_id
                """, new MapSqlParameterSource(), (rs, i) -> new Warehouse(rs.getString("warehouse_id"),
                rs.getString("name"), rs.getString("line1"), rs.getString("city"), rs.getString("postal_code"),
                rs.getString("country"), rs.getString("zone"), rs.getInt("priority"), rs.getString("cutoff")));
    }

    public Optional<Warehouse> warehouse(String id) {
        return warehouses().stream().filter(w -> w.id().equals(id)).findFirst();
    }
}
