package io.orderhub.returns;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/reports/returns}: for the orders received in [from, to) that were shipped (SHIPPED, DELIVERED,
 * COMPLETED), the units sold and the units asked back by returns not cancelled or rejected, per SKU and per
 * channel (return rate = returned ÷ sold), and the return reasons by units.
 */
@Component
public class ReturnReports {

    public record Rate(String key, BigDecimal unitsSold, long unitsReturned, long returns, Double returnRate) {
    }

    public record Reason(String reason, long units, long returns) {
    }

    public record Report(Instant from, Instant to, Rate totals, List<Rate> bySku, List<Rate> byChannel,
                         List<Reason> reasons) {
    }

    private static final String SHIPPED = "('SHIPPED', 'DELIVERED', 'COMPLETED')";

    private final NamedParameterJdbcTemplate jdbc;

    public ReturnReports(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Report returns(Instant from, Instant to) {
        MapSqlParameterSource p = new MapSqlParameterSource("from", Timestamp.from(from)).addValue("to", Timestamp.from(to));
        List<Rate> bySku = rates(p, "l.sku", "rl.sku");
        List<Rate> byChannel = rates(p, "o.channel", "o.channel");
        List<Rate> total = rates(p, "'all'", "'all'");
        List<Reason> reasons = jdbc.query("""
                select coalesce(rl.reason, '(none)') as reason, sum(rl.quantity) as units, count(distinct r.return_id) as n
                from return_lines rl join returns r on r.return_id = rl.return_id join orders o on o.order_id = r.order_id
                where o.received_at >= :from and o.received_at < :to and r.status not in ('CANCELLED', 'REJECTED')
                group by coalesce(rl.reason, '(none)') order by units desc, reason
                """, p, (rs, n) -> new Reason(rs.getString("reason"), rs.getLong("units"), rs.getLong("n")));
        return new Report(from, to, total.isEmpty() ? new Rate("all", BigDecimal.ZERO, 0, 0, null) : total.get(0), bySku,
                byChannel, reasons);
    }

    /** A constant key (the total) is not grouped by: PostgreSQL refuses a constant in GROUP BY. */
    private static String groupBy(String key) {
        return key.startsWith("'") ? "" : " group by " + key;
    }

    private List<Rate> rates(MapSqlParameterSource p, String soldKey, String returnedKey) {
        Map<String, BigDecimal> sold = new TreeMap<>();
        jdbc.query("select " + soldKey + " as k, sum(l.quantity) as q from order_lines l join orders o on o.order_id = l.order_id"
                + " where o.received_at >= :from and o.received_at < :to and o.status in " + SHIPPED + groupBy(soldKey),
                p, rs -> {
                    // the total (no GROUP BY) is one row with a null sum when nothing was shipped in the period
                    if (rs.getBigDecimal("q") != null) {
                        sold.put(rs.getString("k"), rs.getBigDecimal("q"));
                    }
                });
        Map<String, long[]> returned = new TreeMap<>();
        jdbc.query("select " + returnedKey + " as k, sum(rl.quantity) as q, count(distinct r.return_id) as n"
                + " from return_lines rl join returns r on r.return_id = rl.return_id join orders o on o.order_id = r.order_id"
                + " where o.received_at >= :from and o.received_at < :to and r.status not in ('CANCELLED', 'REJECTED')"
                + groupBy(returnedKey), p, rs -> {
                    returned.put(rs.getString("k"), new long[] {rs.getLong("q"), rs.getLong("n")});
                });
        List<Rate> out = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> e : sold.entrySet()) {
            long[] r = returned.getOrDefault(e.getKey(), new long[2]);
            Double rate = e.getValue().signum() == 0 ? null : BigDecimal.valueOf(r[0])
                    .divide(e.getValue(), 4, RoundingMode.HALF_UP).doubleValue();
            out.add(new Rate(e.getKey(), e.getValue().stripTrailingZeros(), r[0], r[1], rate));
        }
        out.sort((a, b) -> Long.compare(b.unitsReturned(), a.unitsReturned()));
        return out;
    }
}
