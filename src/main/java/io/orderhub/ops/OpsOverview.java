package io.orderhub.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One look at the hub for the console's live overview ({@code GET /api/ops/overview}): orders per state and the
 * outbox backlog read from the database now (not the 15 s gauges), ERP/CRM dead letters waiting, the queues'
 * depths, the lifecycle transitions counted by this instance (a client takes two readings for throughput) with
 * the time orders spent in each stage, and the connectors' health.
 */
@Component
public class OpsOverview {

    private final NamedParameterJdbcTemplate jdbc;
    private final QueueDepths queues;
    private final MeterRegistry meters;
    private final ObjectProvider<HealthEndpoint> health;
    private final Clock clock;

    public OpsOverview(NamedParameterJdbcTemplate jdbc, QueueDepths queues, MeterRegistry meters,
                       ObjectProvider<HealthEndpoint> health, Clock clock) {
        this.jdbc = jdbc;
        this.queues = queues;
        this.meters = meters;
        this.health = health;
        this.clock = clock;
    }

    public Map<String, Object> overview() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", clock.instant().toString());
        Map<String, Long> orders = new TreeMap<>();
        jdbc.query("select status, count(*) n from orders group by status", new MapSqlParameterSource(),
                rs -> {
                    orders.put(rs.getString("status"), rs.getLong("n"));
                });
        out.put("ordersByStatus", orders);
        Map<String, Object> outbox = new LinkedHashMap<>();
        jdbc.query("select count(*) n, min(at) oldest from outbox where published_at is null", new MapSqlParameterSource(),
                rs -> {
                    outbox.put("backlog", rs.getLong("n"));
                    Timestamp oldest = rs.getTimestamp("oldest");
                    outbox.put("oldest", oldest == null ? null : oldest.toInstant().toString());
                });
        out.put("outbox", outbox);
        Map<String, Long> letters = new TreeMap<>();
        jdbc.query("select target, count(*) n from sync_dead_letters where status = 'OPEN' group by target",
                new MapSqlParameterSource(), rs -> {
                    letters.put(rs.getString("target"), rs.getLong("n"));
                });
        out.put("openDeadLetters", letters);
        try {
            out.put("queues", new TreeMap<>(queues.depths()));
        } catch (RuntimeException e) {
            out.put("queues", Map.of());
            out.put("queuesError", e.getMessage());
        }
        out.put("stages", stages());
        out.put("connectors", connectors());
        return out;
    }

    /** Per transition from → to: how many this instance counted, and the time spent in the state left (ms). */
    private List<Map<String, Object>> stages() {
        Map<String, Map<String, Object>> byStage = new TreeMap<>();
        for (Counter c : meters.find("orderhub.orders.transitions").counters()) {
            stage(byStage, c.getId().getTag("from"), c.getId().getTag("to")).merge("count", (long) c.count(),
                    (a, b) -> (Long) a + (Long) b);
        }
        Map<String, double[]> times = new TreeMap<>();
        for (Timer t : meters.find("orderhub.order.stage").timers()) {
            String key = t.getId().getTag("from") + ">" + t.getId().getTag("to");
            double[] sum = times.computeIfAbsent(key, k -> new double[3]);
            sum[0] += t.count();
            sum[1] += t.totalTime(TimeUnit.MILLISECONDS);
            sum[2] = Math.max(sum[2], t.max(TimeUnit.MILLISECONDS));
        }
        times.forEach((key, sum) -> {
            String[] fromTo = key.split(">", 2);
            Map<String, Object> s = stage(byStage, fromTo[0], fromTo[1]);
            s.put("timed", (long) sum[0]);
            s.put("meanMs", sum[0] == 0 ? null : Math.round(sum[1] / sum[0]));
            s.put("maxMs", Math.round(sum[2]));
        });
        return new ArrayList<>(byStage.values());
    }

    private static Map<String, Object> stage(Map<String, Map<String, Object>> byStage, String from, String to) {
        return byStage.computeIfAbsent(from + ">" + to, k -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("from", from);
            s.put("to", to);
            s.put("count", 0L);
            return s;
        });
    }

    /** The connectors' health components ({@code connectors} in {@code /actuator/health}), with their details. */
    private List<Map<String, Object>> connectors() {
        List<Map<String, Object>> out = new ArrayList<>();
        HealthEndpoint endpoint = health.getIfAvailable();
        HealthComponent connectors = endpoint == null ? null : endpoint.healthForPath("connectors");
        if (connectors instanceof CompositeHealth composite) {
            composite.getComponents().forEach((name, component) -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("name", name);
                c.put("status", component.getStatus().getCode());
                if (component instanceof Health h) {
                    c.put("details", h.getDetails());
                }
                out.add(c);
            });
        }
        return out;
    }
}
