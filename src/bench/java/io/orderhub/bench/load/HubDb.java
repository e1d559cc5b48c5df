package io.orderhub.bench.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Read-only queries on the hub's database: the outbox backlog, the statuses of the benchmark's orders,
 * and the time each lifecycle stage took from the orders' event timelines (order_events).
 */
final class HubDb implements AutoCloseable {

    private static final String[] STAGES = {"CONFIRMED", "PAID", "ALLOCATED", "SHIPPED", "DELIVERED", "COMPLETED"};

    private final Connection c;

    HubDb(String url, String user, String password) throws SQLException {
        this.c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(true);
    }

    synchronized long outboxBacklog() throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from outbox where published_at is null");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    synchronized long orderCount() throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from orders"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** status → count of the orders with externalId starting with {@code prefix} received since {@code since}. */
    synchronized Map<String, Long> statuses(String prefix, Instant since) throws SQLException {
        Map<String, Long> m = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                select status, count(*) from orders where received_at >= ? and external_id like ? group by status""")) {
            s.setTimestamp(1, Timestamp.from(since));
            s.setString(2, prefix + "%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    m.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return m;
    }

    /** Per target status: count, mean, p50, p95, max of the time since the order's previous status change (ms). */
    synchronized Map<String, Map<String, Object>> stageTimes(String prefix, Instant since) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                with ev as (
                  select e.to_status, extract(epoch from e.at - lag(e.at) over (partition by e.order_id order by e.id)) * 1000 as ms
                  from order_events e join orders o on o.order_id = e.order_id
                  where o.received_at >= ? and o.external_id like ? and e.to_status is not null)
                select to_status, count(*), avg(ms), percentile_cont(0.5) within group (order by ms),
                       percentile_cont(0.95) within group (order by ms), max(ms)
                from ev where ms is not null group by to_status""")) {
            s.setTimestamp(1, Timestamp.from(since));
            s.setString(2, prefix + "%");
            Map<String, Map<String, Object>> found = new TreeMap<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("count", r.getLong(2));
                    row.put("meanMs", Stats.round(r.getDouble(3)));
                    row.put("p50Ms", Stats.round(r.getDouble(4)));
                    row.put("p95Ms", Stats.round(r.getDouble(5)));
                    row.put("maxMs", Stats.round(r.getDouble(6)));
                    found.put(r.getString(1), row);
                }
            }
            for (String stage : STAGES) {
                if (found.containsKey(stage)) {
                    out.put(stage, found.remove(stage));
                }
            }
            out.putAll(found);
        }
        return out;
    }

    /** CREATED → COMPLETED per completed order: count, p50, p95, p99, max (ms); first creation and last completion. */
    synchronized Map<String, Object> endToEnd(String prefix, Instant since) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                with o as (
                  select min(e.at) as created, max(e.at) filter (where e.to_status = 'COMPLETED') as completed
                  from order_events e join orders o on o.order_id = e.order_id
                  where o.received_at >= ? and o.external_id like ? group by e.order_id)
                select count(completed), percentile_cont(0.5) within group (order by extract(epoch from completed - created) * 1000),
                       percentile_cont(0.95) within group (order by extract(epoch from completed - created) * 1000),
                       max(extract(epoch from completed - created) * 1000), min(created), max(completed),
                       percentile_cont(0.99) within group (order by extract(epoch from completed - created) * 1000)
                from o where completed is not null""")) {
            s.setTimestamp(1, Timestamp.from(since));
            s.setString(2, prefix + "%");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                m.put("completed", r.getLong(1));
                m.put("p50Ms", Stats.round(r.getDouble(2)));
                m.put("p95Ms", Stats.round(r.getDouble(3)));
                m.put("p99Ms", Stats.round(r.getDouble(7)));
                m.put("maxMs", Stats.round(r.getDouble(4)));
                Timestamp first = r.getTimestamp(5);
                Timestamp last = r.getTimestamp(6);
                m.put("firstCreated", first == null ? null : first.toInstant().toString());
                m.put("lastCompleted", last == null ? null : last.toInstant().toString());
            }
        }
        return m;
    }

    /** Orders of the prefix that reached COMPLETED within [from, to). */
    synchronized long completedBetween(String prefix, Instant since, Instant from, Instant to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select count(*) from order_events e join orders o on o.order_id = e.order_id
                where o.received_at >= ? and o.external_id like ? and e.to_status = 'COMPLETED' and e.at >= ? and e.at < ?""")) {
            s.setTimestamp(1, Timestamp.from(since));
            s.setString(2, prefix + "%");
            s.setTimestamp(3, Timestamp.from(from));
            s.setTimestamp(4, Timestamp.from(to));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
