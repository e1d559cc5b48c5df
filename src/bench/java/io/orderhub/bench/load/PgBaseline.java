package io.orderhub.bench.load;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.flywaydb.core.Flyway;

/**
 * The raw PostgreSQL rate of the writes one order over REST makes in the hub, with plain JDBC on the
 * hub's own schema (Flyway, the same migrations) and as many connections as the hub's pool. Per order,
 * the same statements in the same transactions as io.orderhub.ingest.ReceiptStore,
 * io.orderhub.order.OrderService/OrderRepository and io.orderhub.messaging.Outbox:
 * <ol>
 *   <li>insert the receipt (own transaction), set its channel (own transaction);</li>
 *   <li>look the order up by (channel, externalId) (the duplicate fast path);</li>
 *   <li>one transaction: nextval('order_seq'), insert the order, batch-insert its 3 lines, insert the
 *       order.created event, insert the outbox row;</li>
 *   <li>record the receipt's outcome (own transaction).</li>
 * </ol>
 * Document, receipt body and outbox payload have the sizes of the benchmark's canonical order.
 */
final class PgBaseline {

    record Result(int connections, double seconds, long orders, double ordersPerSecond, long commitsPerOrder,
                  Map<String, Integer> payloadBytes) {
    }

    private PgBaseline() {
    }

    static void migrate(String url, String user, String password) {
        Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration").load().migrate();
    }

    static Result run(String url, String user, String password, int connections, int seconds) throws Exception {
        LoadDocuments docs = new LoadDocuments("canonical", "PGRAW", false);
        String sample = new String(docs.document("PGRAWx0"), StandardCharsets.UTF_8);
        // the stored order is the canonical JSON with orderId, channel, status, receivedAt and source added
        String document = sample.replaceFirst("\\{", "{\"orderId\":\"ORD-000000000\",\"channel\":\"webshop\",\"status\":\"CREATED\","
                + "\"receivedAt\":\"2026-11-22T06:00:00.123456Z\",\"source\":{\"format\":\"canonical\",\"via\":\"rest\","
                + "\"receiptId\":\"RCT-00000000-0000-0000-0000-000000000000\"},");
        String payload = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"orderId\":\"ORD-000000000\",\"type\":\"order.created\","
                + "\"status\":\"CREATED\",\"at\":\"2026-11-22T06:00:00.123456Z\",\"data\":{\"order\":" + document + "}}";
        byte[] body = sample.getBytes(StandardCharsets.UTF_8);
        AtomicLong orders = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < connections; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url, user, password)) {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        writeOrder(c, "PGRAW" + worker + "x" + (++n), body, document, payload);
                        orders.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("receiptBody", body.length);
        sizes.put("orderDocument", document.length());
        sizes.put("outboxPayload", payload.length());
        return new Result(connections, Stats.round(elapsed), orders.get(), Stats.round(orders.get() / elapsed), 4, sizes);
    }

    private static void writeOrder(Connection c, String externalId, byte[] body, String document, String payload) throws Exception {
        String receiptId = "RCT-" + UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        c.setAutoCommit(true);
        try (PreparedStatement s = c.prepareStatement("""
                insert into receipts (receipt_id, channel, via, content_type, checksum, size_bytes, truncated,
                                      received_at, status, updated_at, body)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, receiptId);
            s.setString(2, null);
            s.setString(3, "rest");
            s.setString(4, "application/json");
            s.setString(5, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
            s.setLong(6, body.length);
            s.setBoolean(7, false);
            s.setTimestamp(8, now);
            s.setString(9, "RECEIVED");
            s.setTimestamp(10, now);
            s.setBytes(11, body);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("update receipts set channel = ? where receipt_id = ?")) {
            s.setString(1, "webshop");
            s.setString(2, receiptId);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("select order_id from orders where channel = ? and external_id = ?")) {
            s.setString(1, "webshop");
            s.setString(2, externalId);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    throw new IllegalStateException("duplicate " + externalId);
                }
            }
        }
        c.setAutoCommit(false);
        String orderId;
        try (PreparedStatement s = c.prepareStatement("select nextval('order_seq')"); ResultSet r = s.executeQuery()) {
            r.next();
            orderId = String.format("ORD-%09d", r.getLong(1));
        }
        Timestamp received = Timestamp.from(Instant.now());
        try (PreparedStatement s = c.prepareStatement("""
                insert into orders (order_id, channel, external_id, status, currency, grand_total, order_date,
                                    received_at, updated_at, receipt_id, document)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, orderId);
            s.setString(2, "webshop");
            s.setString(3, externalId);
            s.setString(4, "CREATED");
            s.setString(5, "EUR");
            s.setBigDecimal(6, new BigDecimal("30.11"));
            s.setString(7, "2026-11-20T14:32:00+01:00");
            s.setTimestamp(8, received);
            s.setTimestamp(9, received);
            s.setString(10, receiptId);
            s.setString(11, document);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                insert into order_lines (order_id, line_no, sku, quantity, uom, unit_price, line_total)
                values (?, ?, ?, ?, ?, ?, ?)""")) {
            for (int line = 1; line <= LoadDocuments.LINES; line++) {
                s.setString(1, orderId);
                s.setInt(2, line);
                s.setString(3, "SKU-" + (1000 + line));
                s.setBigDecimal(4, BigDecimal.valueOf(line));
                s.setString(5, "EA");
                s.setBigDecimal(6, new BigDecimal("4.50"));
                s.setBigDecimal(7, new BigDecimal("4.50").multiply(BigDecimal.valueOf(line)));
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("""
                insert into order_events (order_id, at, type, from_status, to_status, detail) values (?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, orderId);
            s.setTimestamp(2, received);
            s.setString(3, "order.created");
            s.setString(4, null);
            s.setString(5, "CREATED");
            s.setString(6, "received via rest as canonical, receipt " + receiptId);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                insert into outbox (event_id, order_id, type, status, at, payload) values (?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setString(2, orderId);
            s.setString(3, "order.created");
            s.setString(4, "CREATED");
            s.setTimestamp(5, received);
            s.setString(6, payload);
            s.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
        try (PreparedStatement s = c.prepareStatement("""
                update receipts set status = ?, format = coalesce(?, format), document_id = coalesce(?, document_id),
                       order_ids = ?, errors = ?, ack_type = ?, ack_content_type = ?, acknowledgement = ?, updated_at = ?
                where receipt_id = ?""")) {
            s.setString(1, "ACCEPTED");
            s.setString(2, "canonical");
            s.setString(3, externalId);
            s.setString(4, "[\"" + orderId + "\"]");
            s.setString(5, null);
            s.setString(6, null);
            s.setString(7, null);
            s.setString(8, null);
            s.setTimestamp(9, Timestamp.from(Instant.now()));
            s.setString(10, receiptId);
            s.executeUpdate();
        }
    }
}
