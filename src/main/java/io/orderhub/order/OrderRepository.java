package io.orderhub.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.crypto.CustomerKeys;
import io.orderhub.crypto.DataCipher;
import io.orderhub.crypto.DataKey;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/**
 * Orders in the database: the canonical document as JSON beside the columns the hub queries and
 * changes (status, channel, externalId, totals), and the lines in their own table. All SQL uses
 * named parameters. The document is stored encrypted ({@link DataCipher}) under the customer's data key
 * ({@link CustomerKeys}: crypto-shredding; the key ring's key when the order names no customer), and so is, from then
 * on, the raw document it came from; the customer's e-mail address only as a keyed hash for searches
 * ({@code customer_email_hmac}).
 */
@Repository
public class OrderRepository {

    private static final String COLUMNS = "order_id, status, document";

    /** The most orders {@link #documents} keeps; past it the cache starts afresh. */
    static final int MAX_CACHED_DOCUMENTS = 2_000;
    /** Larger stored documents (orders of hundreds of lines) are not kept: the cache stays within some 100 MB. */
    static final int MAX_CACHED_DOCUMENT_CHARS = 48_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final DataCipher cipher;
    private final CustomerKeys customerKeys;
    /**
     * Orders as last read, by order id, beside the stored (encrypted) document they were read from. Every
     * stage reads its order several times (issue 17's profile: decrypting and parsing the document was 8 % of the
     * hub's CPU); a read whose stored document is the very text cached (each write encrypts under a fresh nonce, so
     * a changed document never has the same text) takes the parsed order from here and only its status from the row.
     * A document rewritten by erasure, rotation or another instance has another text: it is read afresh.
     */
    private final Map<String, Cached> documents = new ConcurrentHashMap<>();

    private record Cached(String stored, CanonicalOrder order) {
    }

    /** Documents under the key ring only (no customer data keys): tests that use the repository alone. */
    public OrderRepository(NamedParameterJdbcTemplate jdbc, ObjectMapper json, DataCipher cipher) {
        this(jdbc, json, cipher, null);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public OrderRepository(NamedParameterJdbcTemplate jdbc, ObjectMapper json, DataCipher cipher, CustomerKeys customerKeys) {
        this.jdbc = jdbc;
        this.json = json;
        this.cipher = cipher;
        this.customerKeys = customerKeys;
        if (customerKeys != null) {
            customerKeys.onDestroy(documents::clear);
        }
    }

    public String nextOrderId() {
        Long n = jdbc.queryForObject("select nextval('order_seq')", new MapSqlParameterSource(), Long.class);
        return String.format("ORD-%09d", n);
    }

    /** Inserts the order and its lines; throws DuplicateKeyException when (channel, externalId) exists. */
    public void insert(CanonicalOrder order) {
        Timestamp received = Timestamp.from(order.receivedAt());
        String emailHash = emailHash(order);
        String idHash = customerIdHash(order);
        DataKey key = dataKey(emailHash, idHash, order);
        jdbc.update("""
                insert into orders (order_id, channel, external_id, status, currency, grand_total, order_date,
                                    received_at, updated_at, receipt_id, document, customer_email_hmac,
                                    customer_id_hmac)
                values (:orderId, :channel, :externalId, :status, :currency, :grandTotal, :orderDate,
                        :receivedAt, :receivedAt, :receiptId, :document, :emailHash, :idHash)
                """, new MapSqlParameterSource()
                .addValue("orderId", order.orderId())
                .addValue("channel", order.channel())
                .addValue("externalId", order.externalId())
                .addValue("status", order.status().name())
                .addValue("currency", order.currency())
                .addValue("grandTotal", order.totals().grandTotal())
                .addValue("orderDate", order.orderDate())
                .addValue("receivedAt", received)
                .addValue("receiptId", order.source().receiptId())
                .addValue("document", stored(order, key))
                .addValue("emailHash", emailHash)
                .addValue("idHash", idHash));
        insertLines(order);
    }

    /** The customer's data key (by e-mail, else by CRM id), the raw document resealed under it; null: the ring's key. */
    private DataKey dataKey(String emailHash, String idHash, CanonicalOrder order) {
        if (customerKeys == null) {
            return null;
        }
        DataKey key = customerKeys.forCustomer(emailHash != null ? emailHash : idHash);
        if (key != null && order.source() != null) {
            customerKeys.sealReceipt(order.source().receiptId(), key);
        }
        return key;
    }

    /**
     * Replaces a stored order's content (document, lines, currency, total, order date) in place, keeping its id,
     * channel, externalId, receivedAt and status; the caller holds the order's row lock.
     */
    public void replaceContent(CanonicalOrder order, Instant at) {
        String emailHash = emailHash(order);
        String idHash = customerIdHash(order);
        DataKey key = dataKey(emailHash, idHash, order);
        jdbc.update("""
                update orders set currency = :currency, grand_total = :grandTotal, order_date = :orderDate,
                                  document = :document, customer_email_hmac = :emailHash,
                                  customer_id_hmac = :idHash, version = version + 1,
                                  updated_at = :at
                where order_id = :orderId
                """, new MapSqlParameterSource()
                .addValue("orderId", order.orderId())
                .addValue("emailHash", emailHash)
                .addValue("idHash", idHash)
                .addValue("currency", order.currency())
                .addValue("grandTotal", order.totals().grandTotal())
                .addValue("orderDate", order.orderDate())
                .addValue("document", stored(order, key))
                .addValue("at", Timestamp.from(at)));
        jdbc.update("delete from order_lines where order_id = :orderId", new MapSqlParameterSource("orderId", order.orderId()));
        insertLines(order);
    }

    private void insertLines(CanonicalOrder order) {
        List<SqlParameterSource> lines = new ArrayList<>();
        for (CanonicalOrder.Line line : order.lines()) {
            lines.add(new MapSqlParameterSource()
                    .addValue("orderId", order.orderId())
                    .addValue("lineNo", line.lineNo())
                    .addValue("sku", line.sku())
                    .addValue("quantity", line.quantity())
                    .addValue("uom", line.uom())
                    .addValue("unitPrice", line.unitPrice())
                    .addValue("lineTotal", line.lineTotal()));
        }
        jdbc.batchUpdate("""
                insert into order_lines (order_id, line_no, sku, quantity, uom, unit_price, line_total)
                values (:orderId, :lineNo, :sku, :quantity, :uom, :unitPrice, :lineTotal)
                """, lines.toArray(SqlParameterSource[]::new));
    }

    public Optional<CanonicalOrder> find(String orderId) {
        return jdbc.query("select " + COLUMNS + " from orders where order_id = :id",
                new MapSqlParameterSource("id", orderId), this::map).stream().findFirst();
    }

    public Optional<CanonicalOrder> findByExternalId(String channel, String externalId) {
        return jdbc.query("select " + COLUMNS + " from orders where channel = :channel and external_id = :externalId",
                new MapSqlParameterSource("channel", channel).addValue("externalId", externalId), this::map)
                .stream().findFirst();
    }

    /** Locks the order row for the rest of the transaction and returns its status. */
    public Optional<OrderStatus> lockStatus(String orderId) {
        return jdbc.query("select status from orders where order_id = :id for update",
                new MapSqlParameterSource("id", orderId), (rs, n) -> OrderStatus.valueOf(rs.getString(1)))
                .stream().findFirst();
    }

    /** Moves the order from one status to another; 0 when it was not in {@code from} any more. */
    public int changeStatus(String orderId, OrderStatus from, OrderStatus to, Instant at) {
        return jdbc.update("""
                update orders set status = :to, version = version + 1, updated_at = :at
                where order_id = :id and status = :from
                """, new MapSqlParameterSource("id", orderId).addValue("from", from.name()).addValue("to", to.name())
                .addValue("at", Timestamp.from(at)));
    }

    public void addEvent(String orderId, OrderEvent event) {
        jdbc.update("""
                insert into order_events (order_id, at, type, from_status, to_status, detail)
                values (:orderId, :at, :type, :from, :to, :detail)
                """, new MapSqlParameterSource()
                .addValue("orderId", orderId)
                .addValue("at", Timestamp.from(event.at()))
                .addValue("type", event.type())
                .addValue("from", event.fromStatus() == null ? null : event.fromStatus().name())
                .addValue("to", event.toStatus() == null ? null : event.toStatus().name())
                .addValue("detail", event.detail()));
    }

    public List<OrderEvent> events(String orderId) {
        return jdbc.query("""
                select at, type, from_status, to_status, detail from order_events where order_id = :id order by id
                """, new MapSqlParameterSource("id", orderId), (rs, n) -> new OrderEvent(
                rs.getTimestamp("at").toInstant(), rs.getString("type"), status(rs.getString("from_status")),
                status(rs.getString("to_status")), rs.getString("detail")));
    }

    public OrderPage list(OrderQuery q) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        MapSqlParameterSource p = new MapSqlParameterSource();
        if (q.status() != null) {
            where.append(" and status = :status");
            p.addValue("status", q.status().name());
        }
        if (q.channel() != null) {
            where.append(" and channel = :channel");
            p.addValue("channel", q.channel());
        }
        if (q.trackingNumber() != null) {
            where.append(" and order_id in (select order_id from parcels where tracking_code = :trackingNumber)");
            p.addValue("trackingNumber", q.trackingNumber());
        }
        if (q.customerEmail() != null) {
            where.append(" and customer_email_hmac = :emailHash");
            p.addValue("emailHash", cipher.searchHash(q.customerEmail()));
        }
        if (q.externalId() != null) {
            where.append(" and external_id = :externalId");
            p.addValue("externalId", q.externalId());
        }
        if (q.from() != null) {
            where.append(" and received_at >= :from");
            p.addValue("from", Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            where.append(" and received_at < :to");
            p.addValue("to", Timestamp.from(q.to()));
        }
        Long total = jdbc.queryForObject("select count(*) from orders" + where, p, Long.class);
        p.addValue("limit", q.size()).addValue("offset", (long) q.page() * q.size());
        List<CanonicalOrder> items = jdbc.query("select " + COLUMNS + " from orders" + where
                + " order by received_at desc, order_id desc limit :limit offset :offset", p, this::map);
        long totalItems = total == null ? 0 : total;
        return new OrderPage(items, q.page(), q.size(), totalItems, (totalItems + q.size() - 1) / q.size());
    }

    private CanonicalOrder map(ResultSet rs, int row) throws SQLException {
        String orderId = rs.getString("order_id");
        String stored = rs.getString("document");
        OrderStatus status = OrderStatus.valueOf(rs.getString("status"));
        Cached cached = documents.get(orderId);
        if (cached != null && cached.stored().equals(stored)) {
            return cached.order().withStatus(status);
        }
        // a destruction of data keys while this read opens the document: what it read is not kept (an erasure)
        long keys = customerKeys == null ? 0 : customerKeys.generation();
        try {
            // orders stored before MoneyForm keep their amounts as the document wrote them: shown in the same form
            JsonNode document = MoneyForm.inCurrencyForm(json.readTree(cipher.openText(stored)));
            CanonicalOrder order = json.treeToValue(document, CanonicalOrder.class);
            if (customerKeys == null || customerKeys.generation() == keys) {
                remember(orderId, stored, order);
            }
            return order.withStatus(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("order " + orderId + " holds an unreadable document", e);
        }
    }

    /** Keeps a document read for the next read of its order. */
    private void remember(String orderId, String stored, CanonicalOrder order) {
        if (orderId == null || stored == null || stored.length() > MAX_CACHED_DOCUMENT_CHARS) {
            return;
        }
        if (documents.size() >= MAX_CACHED_DOCUMENTS) {
            documents.clear();
        }
        documents.put(orderId, new Cached(stored, order));
    }

    /** The keyed hash of the customer's e-mail address (the bill-to's when the customer names none), or null. */
    private String emailHash(CanonicalOrder order) {
        String email = order.customer() == null ? null : order.customer().email();
        if ((email == null || email.isBlank()) && order.billTo() != null) {
            email = order.billTo().email();
        }
        return cipher.searchHash(email);
    }

    /** The keyed hash of the customer's id as the CRM keys it ({@code <channel>-<customer.externalId>}), or null. */
    private String customerIdHash(CanonicalOrder order) {
        return order.customer() == null || order.customer().externalId() == null ? null
                : cipher.idHash(order.channel() + "-" + order.customer().externalId());
    }

    /** The document as stored: its JSON, encrypted under the customer's data key, else the ring's. */
    private String stored(CanonicalOrder order, DataKey key) {
        try {
            String text = json.writeValueAsString(order);
            return key == null ? cipher.sealText(text) : cipher.sealText(text, key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("order cannot be written as JSON", e);
        }
    }

    private static OrderStatus status(String s) {
        return s == null ? null : OrderStatus.valueOf(s);
    }

    /** When the order last entered this status (its latest event into it), or null. */
    public java.time.Instant enteredStatusAt(String orderId, OrderStatus status) {
        java.util.List<java.sql.Timestamp> at = jdbc.query("""
                select max(at) from order_events where order_id = :orderId and to_status = :status
                """, new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("orderId", orderId)
                .addValue("status", status.name()), (rs, n) -> rs.getTimestamp(1));
        return at.isEmpty() || at.get(0) == null ? null : at.get(0).toInstant();
    }
}
