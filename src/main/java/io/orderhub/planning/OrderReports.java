package io.orderhub.planning;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.order.MoneyForm;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * {@code GET /api/reports/orders}: orders received in [from, to) grouped by channel, status or day
 * (UTC): counts, amounts by currency, fill and backorder rates, cancellations and their reasons, and
 * per lifecycle stage the average and 95th percentile time (from the order timeline) and the orders
 * stuck in it longest. Aggregation runs in the database (SQL that H2 and PostgreSQL both run), so the
 * answer stays small whatever the number of orders.
 */
@Service
public class OrderReports {

    public enum GroupBy { CHANNEL, STATUS, DAY }

    /** The stages of the happy path, as (from, to) status pairs. */
    static final List<String[]> STAGES = List.of(new String[] {"CREATED", "CONFIRMED"}, new String[] {"CONFIRMED", "PAID"},
            new String[] {"PAID", "ALLOCATED"}, new String[] {"ALLOCATED", "SHIPPED"}, new String[] {"SHIPPED", "DELIVERED"},
            new String[] {"DELIVERED", "COMPLETED"});

    static final int STUCK_PER_STAGE = 5;
    static final int MAX_REASONS = 20;
    static final long MAX_RANGE_DAYS = 3660;

    public record Query(Instant from, Instant to, GroupBy groupBy) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String key, long orders, Map<String, BigDecimal> amounts, Double fillRate, Double backorderRate,
                        long cancelled) {
    }

    public record Reason(String reason, long count) {
    }

    public record Stuck(String orderId, String channel, Instant since, long stuckSeconds) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stage(String stage, String from, String to, long count, Double averageSeconds, Double p95Seconds,
                        Double maxSeconds, List<Stuck> stuckLongest) {
    }

    public record Report(Instant from, Instant to, String groupBy, Group totals, List<Group> groups,
                         List<Reason> cancellationReasons, List<Stage> stages) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public OrderReports(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Validates the query parameters; every problem names its parameter. Defaults: the last 30 days, by channel. */
    public Query query(String from, String to, String groupBy) {
        List<FieldError> errors = new ArrayList<>();
        Instant t = to == null || to.isBlank() ? clock.instant() : instant(to, "to", true, errors);
        Instant f = from == null || from.isBlank() ? (t == null ? null : t.minus(Duration.ofDays(30)))
                : instant(from, "from", false, errors);
        GroupBy g = GroupBy.CHANNEL;
        if (groupBy != null && !groupBy.isBlank()) {
            try {
                g = GroupBy.valueOf(groupBy.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("groupBy", "must be channel, status or day"));
            }
        }
        if (f != null && t != null) {
            if (!f.isBefore(t)) {
                errors.add(FieldError.of("from", "must be before to"));
            } else if (Duration.between(f, t).toDays() > MAX_RANGE_DAYS) {
                errors.add(FieldError.of("from", "the range may span at most " + MAX_RANGE_DAYS + " days"));
            }
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the report query has " + errors.size() + " problem(s)", errors);
        }
        return new Query(f, t, g);
    }

    /** An ISO date (a whole UTC day: from its start, or to the end of it for {@code to}) or an ISO date-time with offset. */
    private static Instant instant(String value, String field, boolean endOfDay, List<FieldError> errors) {
        String v = value.trim();
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(field, "must be an ISO date (2026-01-31) or date-time with offset (2026-01-31T12:00:00Z)"));
            return null;
        }
    }

    public Report orders(Query q) {
        MapSqlParameterSource p = new MapSqlParameterSource("from", Timestamp.from(q.from())).addValue("to", Timestamp.from(q.to()));
        String key = switch (q.groupBy()) {
            case CHANNEL -> "o.channel";
            case STATUS -> "o.status";
            case DAY -> "cast(o.received_at at time zone 'UTC' as date)";
        };
        Map<String, long[]> counts = new TreeMap<>();
        jdbc.query("""
                select %1$s as k, count(*) as n, count(c.order_id) as filled, count(b.order_id) as backordered,
                       sum(case when o.status = 'CANCELLED' then 1 else 0 end) as cancelled
                from orders o
                left join order_events c on c.order_id = o.order_id and c.from_status = 'CREATED' and c.to_status = 'CONFIRMED'
                left join order_events b on b.order_id = o.order_id and b.from_status = 'CREATED' and b.to_status = 'BACKORDERED'
                where o.received_at >= :from and o.received_at < :to
                group by %1$s
                """.formatted(key), p, rs -> {
            counts.put(rs.getString("k"), new long[] {rs.getLong("n"), rs.getLong("filled"), rs.getLong("backordered"),
                    rs.getLong("cancelled")});
        });
        Map<String, Map<String, BigDecimal>> amounts = new TreeMap<>();
        jdbc.query("""
                select %1$s as k, o.currency, sum(o.grand_total) as amount from orders o
                where o.received_at >= :from and o.received_at < :to
                group by %1$s, o.currency
                """.formatted(key), p, rs -> {
            amounts.computeIfAbsent(rs.getString("k"), k -> new TreeMap<>()).put(rs.getString("currency"),
                    MoneyForm.amount(rs.getBigDecimal("amount").stripTrailingZeros(), rs.getString("currency")));
        });
        List<Group> groups = new ArrayList<>();
        long[] all = new long[4];
        Map<String, BigDecimal> totalAmounts = new TreeMap<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            for (int i = 0; i < 4; i++) {
                all[i] += c[i];
            }
            Map<String, BigDecimal> a = amounts.getOrDefault(e.getKey(), Map.of());
            a.forEach((currency, amount) -> totalAmounts.merge(currency, amount, BigDecimal::add));
            groups.add(group(e.getKey(), c, a));
        }
        return new Report(q.from(), q.to(), q.groupBy().name().toLowerCase(java.util.Locale.ROOT),
                group("total", all, totalAmounts), groups, reasons(p), stages(p));
    }

    /** Fill rate: orders filled from stock at once (CREATED → CONFIRMED) among those the stock decided on (→ CONFIRMED or → BACKORDERED). */
    private static Group group(String key, long[] c, Map<String, BigDecimal> amounts) {
        long decided = c[1] + c[2];
        return new Group(key, c[0], amounts, decided == 0 ? null : ratio(c[1], decided), decided == 0 ? null : ratio(c[2], decided),
                c[3]);
    }

    private static double ratio(long a, long b) {
        return BigDecimal.valueOf(a).divide(BigDecimal.valueOf(b), 4, RoundingMode.HALF_UP).doubleValue();
    }

    private List<Reason> reasons(MapSqlParameterSource p) {
        return jdbc.query("""
                select coalesce(e.detail, '(none)') as reason, count(*) as n
                from orders o join order_events e on e.order_id = o.order_id and e.to_status = 'CANCELLED'
                where o.received_at >= :from and o.received_at < :to
                group by coalesce(e.detail, '(none)') order by n desc, reason limit %d
                """.formatted(MAX_REASONS), p, (rs, n) -> new Reason(rs.getString("reason"), rs.getLong("n")));
    }

    private List<Stage> stages(MapSqlParameterSource p) {
        Map<String, Object[]> times = new LinkedHashMap<>();
        // time in a stage: from the event that entered it to the event that left it for the next one
        jdbc.query("""
                select t.a, t.b, count(*) as n, avg(t.secs) as avg_secs,
                       percentile_cont(0.95) within group (order by t.secs) as p95, max(t.secs) as max_secs
                from (select e.to_status as a, x.to_status as b,
                             extract(epoch from x.at) - extract(epoch from e.at) as secs
                      from orders o
                      join order_events e on e.order_id = o.order_id
                      join order_events x on x.order_id = e.order_id and x.from_status = e.to_status
                      where o.received_at >= :from and o.received_at < :to
                        and e.to_status in ('CREATED', 'CONFIRMED', 'PAID', 'ALLOCATED', 'SHIPPED', 'DELIVERED')) t
                group by t.a, t.b
                """, p, rs -> {
            times.put(rs.getString("a") + ">" + rs.getString("b"), new Object[] {rs.getLong("n"), rs.getObject("avg_secs"),
                    rs.getObject("p95"), rs.getObject("max_secs")});
        });
        Map<String, List<Stuck>> stuck = new LinkedHashMap<>();
        Instant now = clock.instant();
        jdbc.query("""
                select order_id, channel, status, entered from (
                    select o.order_id, o.channel, o.status, e.at as entered,
                           row_number() over (partition by o.status order by e.at, o.order_id) as rn
                    from orders o join order_events e on e.order_id = o.order_id and e.to_status = o.status
                    where o.received_at >= :from and o.received_at < :to
                      and o.status in ('CREATED', 'CONFIRMED', 'PAID', 'ALLOCATED', 'SHIPPED', 'DELIVERED')
                ) s where rn <= %d order by status, entered
                """.formatted(STUCK_PER_STAGE), p, rs -> {
            Instant since = rs.getTimestamp("entered").toInstant();
            stuck.computeIfAbsent(rs.getString("status"), k -> new ArrayList<>()).add(new Stuck(rs.getString("order_id"),
                    rs.getString("channel"), since, Math.max(0, Duration.between(since, now).toSeconds())));
        });
        List<Stage> out = new ArrayList<>();
        for (String[] s : STAGES) {
            Object[] t = times.get(s[0] + ">" + s[1]);
            out.add(new Stage(s[0] + "→" + s[1], s[0], s[1], t == null ? 0 : (Long) t[0], t == null ? null : seconds(t[1]),
                    t == null ? null : seconds(t[2]), t == null ? null : seconds(t[3]), stuck.getOrDefault(s[0], List.of())));
        }
        return out;
    }

    private static Double seconds(Object v) {
        if (v == null) {
            return null;
        }
        return BigDecimal.valueOf(((Number) v).doubleValue()).setScale(3, RoundingMode.HALF_UP).doubleValue();
    }

    /** The report as CSV: one row per figure (section, key, metric, currency, value). */
    public String csv(Report r) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader("section", "key", "metric", "currency", "value").build())) {
            csv.printRecord("range", "from", "instant", "", r.from());
            csv.printRecord("range", "to", "instant", "", r.to());
            List<Group> groups = new ArrayList<>(r.groups());
            groups.add(r.totals());
            for (Group g : groups) {
                String section = g == r.totals() ? "total" : r.groupBy();
                csv.printRecord(section, g.key(), "orders", "", g.orders());
                for (Map.Entry<String, BigDecimal> a : g.amounts().entrySet()) {
                    csv.printRecord(section, g.key(), "amount", a.getKey(), a.getValue().toPlainString());
                }
                csv.printRecord(section, g.key(), "fillRate", "", g.fillRate() == null ? "" : g.fillRate());
                csv.printRecord(section, g.key(), "backorderRate", "", g.backorderRate() == null ? "" : g.backorderRate());
                csv.printRecord(section, g.key(), "cancelled", "", g.cancelled());
            }
            for (Reason reason : r.cancellationReasons()) {
                csv.printRecord("cancellation", reason.reason(), "count", "", reason.count());
            }
            for (Stage s : r.stages()) {
                csv.printRecord("stage", s.stage(), "count", "", s.count());
                csv.printRecord("stage", s.stage(), "averageSeconds", "", s.averageSeconds() == null ? "" : s.averageSeconds());
                csv.printRecord("stage", s.stage(), "p95Seconds", "", s.p95Seconds() == null ? "" : s.p95Seconds());
                for (Stuck st : s.stuckLongest()) {
                    csv.printRecord("stuck", s.from(), st.orderId(), "", st.stuckSeconds());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
