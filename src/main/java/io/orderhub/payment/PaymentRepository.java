package io.orderhub.payment;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code payments} and {@code payment_webhook_events} tables; named parameters only. */
@Repository
public class PaymentRepository {

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public PaymentRepository(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Inserts a row; false when its idempotency key is taken (the row exists already). */
    public boolean insert(String orderId, String kind, String gateway, String method, int attempt, String key,
                          BigDecimal amount, long amountMinor, String currency, String status, String reference,
                          String intentId) {
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.update("""
                    insert into payments (order_id, kind, gateway, method, attempt, idempotency_key, intent_id, reference,
                                          amount, amount_minor, currency, status, created_at, updated_at)
                    values (:orderId, :kind, :gateway, :method, :attempt, :key, :intentId, :reference,
                            :amount, :minor, :currency, :status, :now, :now)
                    """, new MapSqlParameterSource("orderId", orderId).addValue("kind", kind).addValue("gateway", gateway)
                    .addValue("method", method).addValue("attempt", attempt).addValue("key", key)
                    .addValue("intentId", intentId).addValue("reference", reference).addValue("amount", amount)
                    .addValue("minor", amountMinor).addValue("currency", currency).addValue("status", status)
                    .addValue("now", now));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Sets the customer an invoice row belongs to (open balances are summed by it). */
    public void setCustomer(String key, String customerKey) {
        jdbc.update("update payments set customer_key = :customer where idempotency_key = :key",
                new MapSqlParameterSource("key", key).addValue("customer", customerKey));
    }

    /** Approved invoices of the customer in this currency whose orders are still open (not COMPLETED or CANCELLED). */
    public BigDecimal openInvoices(String customerKey, String currency) {
        BigDecimal sum = jdbc.queryForObject("""
                select coalesce(sum(p.amount), 0) from payments p join orders o on o.order_id = p.order_id
                where p.kind = 'INVOICE' and p.status = 'SUCCEEDED' and p.customer_key = :customer and p.currency = :currency
                  and o.status not in ('COMPLETED', 'CANCELLED')
                """, new MapSqlParameterSource("customer", customerKey).addValue("currency", currency), BigDecimal.class);
        return sum == null ? BigDecimal.ZERO : sum;
    }

    public Optional<Payment> byKey(String key) {
        return jdbc.query("select * from payments where idempotency_key = :key", new MapSqlParameterSource("key", key),
                PaymentRepository::map).stream().findFirst();
    }

    public List<Payment> byOrder(String orderId) {
        return jdbc.query("select * from payments where order_id = :orderId order by payment_id",
                new MapSqlParameterSource("orderId", orderId), PaymentRepository::map);
    }

    public Optional<Payment> byIntent(String intentId) {
        return jdbc.query("select * from payments where intent_id = :intentId and kind = 'CHARGE' order by payment_id",
                new MapSqlParameterSource("intentId", intentId), PaymentRepository::map).stream().findFirst();
    }

    /** Sets the outcome of a row still in {@code fromStatus}; false when it is not (any more). */
    public boolean finish(long paymentId, String fromStatus, String status, String intentId, String refundId,
                          String declineCode, String message) {
        return jdbc.update("""
                update payments set status = :status, intent_id = coalesce(:intentId, intent_id),
                       refund_id = coalesce(:refundId, refund_id), decline_code = :code, message = :message, updated_at = :now
                where payment_id = :id and status = :from
                """, new MapSqlParameterSource("id", paymentId).addValue("from", fromStatus).addValue("status", status)
                .addValue("intentId", intentId).addValue("refundId", refundId).addValue("code", declineCode)
                .addValue("message", message == null || message.length() <= 500 ? message : message.substring(0, 500))
                .addValue("now", Timestamp.from(clock.instant()))) == 1;
    }

    /** PENDING charges and refunds last touched before {@code cutoff}, oldest first. */
    public List<Payment> pendingBefore(Instant cutoff) {
        return jdbc.query("""
                select * from payments where status = 'PENDING' and kind in ('CHARGE', 'REFUND') and updated_at < :cutoff
                order by updated_at, payment_id
                """, new MapSqlParameterSource("cutoff", Timestamp.from(cutoff)), PaymentRepository::map);
    }

    public void touch(long paymentId) {
        jdbc.update("update payments set updated_at = :now where payment_id = :id",
                new MapSqlParameterSource("id", paymentId).addValue("now", Timestamp.from(clock.instant())));
    }

    /** Marks the event as handled by {@code consumer} (table processed_events); false when it already was. */
    public boolean firstTime(String consumer, String eventId) {
        return jdbc.update("""
                insert into processed_events (consumer, event_id, processed_at)
                select :consumer, :eventId, :at where not exists
                  (select 1 from processed_events where consumer = :consumer and event_id = :eventId)
                """, new MapSqlParameterSource("consumer", consumer).addValue("eventId", eventId)
                .addValue("at", Timestamp.from(clock.instant()))) == 1;
    }

    public boolean processed(String consumer, String eventId) {
        Integer n = jdbc.queryForObject("select count(*) from processed_events where consumer = :consumer and event_id = :eventId",
                new MapSqlParameterSource("consumer", consumer).addValue("eventId", eventId), Integer.class);
        return n != null && n > 0;
    }

    /** Records a webhook event; false when it was received before (a replay). */
    public boolean webhookFirstTime(String gateway, String eventId, String type, String orderId, String outcome) {
        try {
            jdbc.update("""
                    insert into payment_webhook_events (gateway, event_id, event_type, order_id, outcome, received_at)
                    values (:gateway, :eventId, :type, :orderId, :outcome, :now)
                    """, new MapSqlParameterSource("gateway", gateway).addValue("eventId", eventId).addValue("type", type)
                    .addValue("orderId", orderId).addValue("outcome", outcome).addValue("now", Timestamp.from(clock.instant())));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    public boolean webhookSeen(String gateway, String eventId) {
        Integer n = jdbc.queryForObject("select count(*) from payment_webhook_events where gateway = :gateway and event_id = :eventId",
                new MapSqlParameterSource("gateway", gateway).addValue("eventId", eventId), Integer.class);
        return n != null && n > 0;
    }

    public Instant now() {
        return clock.instant();
    }

    private static Payment map(ResultSet rs, int i) throws SQLException {
        return new Payment(rs.getLong("payment_id"), rs.getString("order_id"), rs.getString("kind"), rs.getString("gateway"),
                rs.getString("method"), rs.getInt("attempt"), rs.getString("idempotency_key"), rs.getString("intent_id"),
                rs.getString("refund_id"), rs.getString("reference"), rs.getBigDecimal("amount"), rs.getLong("amount_minor"),
                rs.getString("currency"), rs.getString("status"), rs.getString("decline_code"), rs.getString("message"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
