package io.orderhub.returns;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orderhub.returns.ReturnLifecycle.Resolution;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The returns tables (V70); named parameters only. Writes run inside the caller's transaction. */
@Repository
public class ReturnRepository {

    /** A stored return's row. */
    public record Row(String returnId, String orderId, String channel, ReturnStatus status, Resolution resolution,
                      String idempotencyKey, String requestedBy, String currency, BigDecimal refundAmount,
                      String exchangeOrderId, Instant createdAt, Instant updatedAt) {
    }

    public record Line(int lineNo, String sku, int quantity, String reason, BigDecimal unitPrice, BigDecimal amount,
                       int restocked, int damaged, int scrapped) {

        public int received() {
            return restocked + damaged + scrapped;
        }
    }

    /** A replacement item an exchange names, priced when the return was requested (V123). */
    public record ExchangeItem(int itemNo, String sku, String description, int quantity, BigDecimal unitPrice) {

        /** quantity × unit price, to the cent (half up). */
        public BigDecimal amount() {
            return unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(2, java.math.RoundingMode.HALF_UP);
        }
    }

    public record Event(Instant at, String type, ReturnStatus fromStatus, ReturnStatus toStatus, String detail) {
    }

    public record Label(String returnId, String account, String carrierShipmentId, String rateId, String carrier,
                        String service, String trackingCode, String labelUrl, String trackerId, String state,
                        String trackingStatus, int trackingRank, int attempts, String message, Instant updatedAt) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public ReturnRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public String nextReturnId() {
        Long n = jdbc.queryForObject("select nextval('return_seq')", new MapSqlParameterSource(), Long.class);
        return String.format("RMA-%09d", n);
    }

    /** Inserts the return; throws DuplicateKeyException when (orderId, idempotencyKey) is taken. */
    public void insert(Row r, List<Line> lines, Instant at) {
        jdbc.update("""
                insert into returns (return_id, order_id, channel, status, resolution, idempotency_key, requested_by,
                                     currency, created_at, updated_at)
                values (:id, :orderId, :channel, :status, :resolution, :key, :by, :currency, :at, :at)
                """, new MapSqlParameterSource("id", r.returnId()).addValue("orderId", r.orderId())
                .addValue("channel", r.channel()).addValue("status", r.status().name())
                .addValue("resolution", r.resolution().name()).addValue("key", r.idempotencyKey())
                .addValue("by", r.requestedBy()).addValue("currency", r.currency()).addValue("at", Timestamp.from(at)));
        for (Line l : lines) {
            jdbc.update("""
                    insert into return_lines (return_id, line_no, sku, quantity, reason, unit_price, line_amount)
                    values (:id, :lineNo, :sku, :q, :reason, :price, :amount)
                    """, new MapSqlParameterSource("id", r.returnId()).addValue("lineNo", l.lineNo())
                    .addValue("sku", l.sku()).addValue("q", l.quantity()).addValue("reason", l.reason())
                    .addValue("price", l.unitPrice()).addValue("amount", l.amount()));
        }
    }

    public Optional<Row> find(String returnId) {
        return jdbc.query("select * from returns where return_id = :id", new MapSqlParameterSource("id", returnId),
                ReturnRepository::row).stream().findFirst();
    }

    /**
     * The channel's order whose payment reference names the channel's own order id: {@code <id>} or
     * {@code <gateway>:<id>} (as the Shopify and WooCommerce order mappings write it); the newest if several.
     */
    public Optional<String> orderByPaymentReference(String channel, String channelOrderId) {
        return jdbc.queryForList("""
                select p.order_id from payments p join orders o on o.order_id = p.order_id
                where o.channel = :channel and p.kind <> 'REFUND' and (p.reference = :ref or p.reference like :suffix)
                order by p.payment_id desc
                """, new MapSqlParameterSource("channel", channel).addValue("ref", channelOrderId)
                .addValue("suffix", "%:" + channelOrderId.replace("%", "").replace("_", "\\_")), String.class)
                .stream().findFirst();
    }

    public Optional<Row> byKey(String orderId, String key) {
        return jdbc.query("select * from returns where order_id = :orderId and idempotency_key = :key",
                new MapSqlParameterSource("orderId", orderId).addValue("key", key), ReturnRepository::row).stream().findFirst();
    }

    public List<Row> ofOrder(String orderId) {
        return jdbc.query("select * from returns where order_id = :orderId order by created_at, return_id",
                new MapSqlParameterSource("orderId", orderId), ReturnRepository::row);
    }

    public List<String> inStatus(ReturnStatus status, Instant updatedBefore, int limit) {
        return jdbc.queryForList("""
                select return_id from returns where status = :status and updated_at <= :before
                order by updated_at, return_id limit :limit
                """, new MapSqlParameterSource("status", status.name()).addValue("before", Timestamp.from(updatedBefore))
                .addValue("limit", limit), String.class);
    }

    /** Locks the return's row for the rest of the transaction and returns its status. */
    public Optional<ReturnStatus> lockStatus(String returnId) {
        return jdbc.query("select status from returns where return_id = :id for update",
                new MapSqlParameterSource("id", returnId), (rs, n) -> ReturnStatus.valueOf(rs.getString(1))).stream().findFirst();
    }

    public int changeStatus(String returnId, ReturnStatus from, ReturnStatus to, Instant at) {
        return jdbc.update("""
                update returns set status = :to, version = version + 1, updated_at = :at
                where return_id = :id and status = :from
                """, new MapSqlParameterSource("id", returnId).addValue("from", from.name()).addValue("to", to.name())
                .addValue("at", Timestamp.from(at)));
    }

    public void setRefundAmount(String returnId, BigDecimal amount, BigDecimal shipping) {
        jdbc.update("update returns set refund_amount = :a, shipping_refund = :s where return_id = :id",
                new MapSqlParameterSource("id", returnId).addValue("a", amount).addValue("s", shipping));
    }

    /** Whether another return of the order already gave the shipping charge back. */
    public boolean shippingRefunded(String orderId, String exceptReturnId) {
        Integer n = jdbc.queryForObject("""
                select count(*) from returns where order_id = :orderId and return_id <> :id and shipping_refund > 0
                  and status not in ('CANCELLED', 'REJECTED')
                """, new MapSqlParameterSource("orderId", orderId).addValue("id", exceptReturnId), Integer.class);
        return n != null && n > 0;
    }

    public void setExchangeOrder(String returnId, String orderId) {
        jdbc.update("update returns set exchange_order_id = :o where return_id = :id",
                new MapSqlParameterSource("id", returnId).addValue("o", orderId));
    }

    public void insertExchangeItems(String returnId, List<ExchangeItem> items) {
        for (ExchangeItem i : items) {
            jdbc.update("""
                    insert into return_exchange_items (return_id, item_no, sku, description, quantity, unit_price)
                    values (:id, :n, :sku, :description, :q, :price)
                    """, new MapSqlParameterSource("id", returnId).addValue("n", i.itemNo()).addValue("sku", i.sku())
                    .addValue("description", i.description()).addValue("q", i.quantity()).addValue("price", i.unitPrice()));
        }
    }

    /** The replacement items an exchange named, in their order; empty: the received units themselves. */
    public List<ExchangeItem> exchangeItems(String returnId) {
        return jdbc.query("select * from return_exchange_items where return_id = :id order by item_no",
                new MapSqlParameterSource("id", returnId), (rs, n) -> new ExchangeItem(rs.getInt("item_no"),
                        rs.getString("sku"), rs.getString("description"), rs.getInt("quantity"), rs.getBigDecimal("unit_price")));
    }

    /** The replacement's value minus the received units' value, once the receipt recorded it. */
    public Optional<BigDecimal> exchangeDifference(String returnId) {
        return jdbc.query("select exchange_difference from returns where return_id = :id",
                new MapSqlParameterSource("id", returnId), (rs, n) -> Optional.ofNullable(rs.getBigDecimal(1)))
                .stream().findFirst().flatMap(d -> d);
    }

    public void setExchangeDifference(String returnId, BigDecimal difference) {
        jdbc.update("update returns set exchange_difference = :d where return_id = :id",
                new MapSqlParameterSource("id", returnId).addValue("d", difference));
    }

    public List<Line> lines(String returnId) {
        return jdbc.query("select * from return_lines where return_id = :id order by line_no",
                new MapSqlParameterSource("id", returnId), (rs, n) -> new Line(rs.getInt("line_no"), rs.getString("sku"),
                        rs.getInt("quantity"), rs.getString("reason"), rs.getBigDecimal("unit_price"),
                        rs.getBigDecimal("line_amount"), rs.getInt("restocked"), rs.getInt("damaged"), rs.getInt("scrapped")));
    }

    /** Units of each order line asked back by the order's returns that are not CANCELLED or REJECTED. */
    public Map<Integer, Integer> returnedByLine(String orderId) {
        Map<Integer, Integer> out = new java.util.HashMap<>();
        jdbc.query("""
                select l.line_no, sum(l.quantity) from return_lines l join returns r on r.return_id = l.return_id
                where r.order_id = :orderId and r.status not in ('CANCELLED', 'REJECTED') group by l.line_no
                """, new MapSqlParameterSource("orderId", orderId), rs -> {
            out.put(rs.getInt(1), rs.getInt(2));
        });
        return out;
    }

    /** Records units counted back; false when the line would take more than was returned (nothing changed). */
    public boolean receive(String returnId, int lineNo, int restocked, int damaged, int scrapped) {
        return jdbc.update("""
                update return_lines set restocked = restocked + :r, damaged = damaged + :d, scrapped = scrapped + :s
                where return_id = :id and line_no = :lineNo and restocked + damaged + scrapped + :r + :d + :s <= quantity
                """, new MapSqlParameterSource("id", returnId).addValue("lineNo", lineNo).addValue("r", restocked)
                .addValue("d", damaged).addValue("s", scrapped)) == 1;
    }

    public void addEvent(String returnId, Event e) {
        jdbc.update("""
                insert into return_events (return_id, at, type, from_status, to_status, detail)
                values (:id, :at, :type, :from, :to, :detail)
                """, new MapSqlParameterSource("id", returnId).addValue("at", Timestamp.from(e.at())).addValue("type", e.type())
                .addValue("from", e.fromStatus() == null ? null : e.fromStatus().name())
                .addValue("to", e.toStatus() == null ? null : e.toStatus().name())
                .addValue("detail", e.detail() == null || e.detail().length() <= 2000 ? e.detail() : e.detail().substring(0, 2000)));
    }

    public List<Event> events(String returnId) {
        return jdbc.query("select * from return_events where return_id = :id order by id",
                new MapSqlParameterSource("id", returnId), (rs, n) -> new Event(rs.getTimestamp("at").toInstant(),
                        rs.getString("type"), status(rs.getString("from_status")), status(rs.getString("to_status")),
                        rs.getString("detail")));
    }

    // ---- the return label

    public void insertLabel(String returnId, String account, Instant at) {
        jdbc.update("""
                insert into return_labels (return_id, account, state, updated_at) values (:id, :account, 'NEW', :at)
                """, new MapSqlParameterSource("id", returnId).addValue("account", account).addValue("at", Timestamp.from(at)));
    }

    public Optional<Label> label(String returnId) {
        return jdbc.query("select * from return_labels where return_id = :id", new MapSqlParameterSource("id", returnId),
                (rs, n) -> label(rs)).stream().findFirst();
    }

    public Optional<Label> lockLabel(String returnId) {
        return jdbc.query("select * from return_labels where return_id = :id for update",
                new MapSqlParameterSource("id", returnId), (rs, n) -> label(rs)).stream().findFirst();
    }

    /** The label a tracking update names (tracker, tracking code or carrier shipment id) at this account. */
    public Optional<Label> labelTracked(String account, String trackerId, String trackingCode, String shipmentId) {
        return jdbc.query("""
                select * from return_labels where account = :a
                  and (tracker_id = :tracker or tracking_code = :code or carrier_shipment_id = :cs)
                """, new MapSqlParameterSource("a", account).addValue("tracker", trackerId).addValue("code", trackingCode)
                .addValue("cs", shipmentId), (rs, n) -> label(rs)).stream().findFirst();
    }

    /** Labels still to be bought (state NEW) of returns still REQUESTED. */
    public List<String> labelsToBuy(int limit) {
        return jdbc.queryForList("""
                select l.return_id from return_labels l join returns r on r.return_id = l.return_id
                where l.state = 'NEW' and r.status = 'REQUESTED' order by l.updated_at limit :limit
                """, new MapSqlParameterSource("limit", limit), String.class);
    }

    /** Bought labels not yet delivered, of accounts whose trackers are polled. */
    public List<Label> labelsInTransit(int limit) {
        return jdbc.query("""
                select l.* from return_labels l join returns r on r.return_id = l.return_id
                where l.state = 'LABELLED' and l.tracker_id is not null and r.status in ('AUTHORIZED', 'IN_TRANSIT')
                order by l.updated_at limit :limit
                """, new MapSqlParameterSource("limit", limit), (rs, n) -> label(rs));
    }

    public void updateLabel(String returnId, String sql, MapSqlParameterSource params, Instant at) {
        jdbc.update(sql, params.addValue("id", returnId).addValue("now", Timestamp.from(at)));
    }

    // ---- store credit

    public void insertStoreCredit(String returnId, String customerKey, BigDecimal amount, String currency, Instant at) {
        jdbc.update("""
                insert into store_credits (return_id, customer_key, amount, currency, created_at)
                select :id, :customer, :amount, :currency, :at where not exists
                  (select 1 from store_credits where return_id = :id)
                """, new MapSqlParameterSource("id", returnId).addValue("customer", customerKey).addValue("amount", amount)
                .addValue("currency", currency).addValue("at", Timestamp.from(at)));
    }

    public Optional<Map<String, Object>> storeCredit(String returnId) {
        return jdbc.queryForList("select customer_key, amount, currency from store_credits where return_id = :id",
                new MapSqlParameterSource("id", returnId)).stream().findFirst();
    }

    /** The customer's store credit balance per currency. */
    public Map<String, BigDecimal> storeCreditBalance(String customerKey) {
        Map<String, BigDecimal> out = new java.util.TreeMap<>();
        jdbc.query("select currency, sum(amount) from store_credits where customer_key = :c group by currency",
                new MapSqlParameterSource("c", customerKey), rs -> {
                    out.put(rs.getString(1), rs.getBigDecimal(2));
                });
        return out;
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("return_id"), rs.getString("order_id"), rs.getString("channel"),
                ReturnStatus.valueOf(rs.getString("status")), Resolution.valueOf(rs.getString("resolution")),
                rs.getString("idempotency_key"), rs.getString("requested_by"), rs.getString("currency"),
                rs.getBigDecimal("refund_amount"), rs.getString("exchange_order_id"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static Label label(ResultSet rs) throws SQLException {
        return new Label(rs.getString("return_id"), rs.getString("account"), rs.getString("carrier_shipment_id"),
                rs.getString("rate_id"), rs.getString("carrier"), rs.getString("service"), rs.getString("tracking_code"),
                rs.getString("label_url"), rs.getString("tracker_id"), rs.getString("state"), rs.getString("tracking_status"),
                rs.getInt("tracking_rank"), rs.getInt("attempts"), rs.getString("message"),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static ReturnStatus status(String s) {
        return s == null ? null : ReturnStatus.valueOf(s);
    }
}
