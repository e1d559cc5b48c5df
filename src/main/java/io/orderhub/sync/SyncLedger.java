package io.orderhub.sync;

import io.orderhub.messaging.DeadLetter;
import io.orderhub.messaging.DeadLetterFilter;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What each sync target has taken in. An event counts as processed for a target once a row in
 * {@code sync_processed_events} (unique per target and event) commits, together with its effect:
 * the order's {@code sync_state} for a delivery, a {@code sync_dead_letters} row for a failure.
 * A redelivered event finds its row and changes nothing twice.
 */
@Repository
public class SyncLedger {

    public static final String DELIVERED = "DELIVERED";
    public static final String SKIPPED = "SKIPPED";
    public static final String DEAD_LETTER = "DEAD_LETTER";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    private final io.orderhub.crypto.DataCipher cipher;
    /** The customers' data keys: a dead letter's copy of an order's event is stored under its customer's. */
    private volatile io.orderhub.crypto.CustomerKeys customerKeys;

    @org.springframework.beans.factory.annotation.Autowired(required = false)
    public void setCustomerKeys(io.orderhub.crypto.CustomerKeys customerKeys) {
        this.customerKeys = customerKeys;
    }

    /** Sealed under the order's customer data key when it has one (crypto-shredded by an erasure), else the ring's. */
    private String sealedFor(String orderId, String payload) {
        io.orderhub.crypto.DataKey key = customerKeys == null ? null : customerKeys.forOrder(orderId);
        return key == null ? cipher.sealText(payload) : cipher.sealText(payload, key);
    }

    public SyncLedger(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Clock clock, io.orderhub.crypto.DataCipher cipher) {
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Whether a later {@code order.*} event of the same order has been committed to the outbox: it carries the
     * order's newer state and reaches every unfiltered subscription after this one (same order, same group).
     */
    public boolean laterOrderEventCommitted(String orderId, String eventId) {
        Integer n = jdbc.queryForObject("""
                select count(*) from outbox later
                where later.order_id = :orderId and later.type like 'order.%'
                  and later.id > (select e.id from outbox e where e.event_id = :eventId)
                """, new MapSqlParameterSource("orderId", orderId).addValue("eventId", eventId), Integer.class);
        return n != null && n > 0;
    }

    public boolean processed(String target, String eventId) {
        Integer n = jdbc.queryForObject("select count(*) from sync_processed_events where target = :target and event_id = :eventId",
                new MapSqlParameterSource("target", target).addValue("eventId", eventId), Integer.class);
        return n != null && n > 0;
    }

    /**
     * Records a delivered (or, with no requests, skipped) event and the order's sync state in one
     * transaction; false when the event had been recorded already (nothing changes).
     */
    public boolean recordDelivered(String target, Event event, int requests) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!markProcessed(target, event, requests == 0 ? SKIPPED : DELIVERED)) {
                return false;
            }
            if (requests > 0) {
                upsertState(target, event, requests);
            }
            return true;
        }));
    }

    /** Records a failed event as a dead letter, in one transaction with its processed row; false when already recorded. */
    public boolean recordDeadLetter(String target, Event event, String reason, Integer httpStatus, int attempts) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!markProcessed(target, event, DEAD_LETTER)) {
                return false;
            }
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("""
                    insert into sync_dead_letters (target, event_id, order_id, event_type, payload, reason, http_status,
                        status, attempts, created_at, updated_at)
                    values (:target, :eventId, :orderId, :type, :payload, :reason, :httpStatus, :status, :attempts, :now, :now)
                    """, new MapSqlParameterSource("target", target).addValue("eventId", event.eventId())
                    .addValue("orderId", event.orderId()).addValue("type", event.type())
                    // the event carries the order's parties: encrypted at rest like the outbox
                    .addValue("payload", sealedFor(event.orderId(), event.payload()))
                    .addValue("reason", reason).addValue("httpStatus", httpStatus).addValue("status", DeadLetter.OPEN)
                    .addValue("attempts", attempts).addValue("now", now));
            return true;
        }));
    }

    /** A replay that went through: the dead letter is REPLAYED and the order's sync state moves on, in one transaction. */
    public void recordReplayed(long id, String target, Event event, int requests) {
        tx.executeWithoutResult(status -> {
            jdbc.update("""
                    update sync_dead_letters set status = :status, attempts = attempts + 1, updated_at = :now where id = :id
                    """, new MapSqlParameterSource("id", id).addValue("status", DeadLetter.REPLAYED)
                    .addValue("now", Timestamp.from(clock.instant())));
            jdbc.update("update sync_processed_events set outcome = :outcome where target = :target and event_id = :eventId",
                    new MapSqlParameterSource("outcome", requests == 0 ? SKIPPED : DELIVERED).addValue("target", target)
                            .addValue("eventId", event.eventId()));
            if (requests > 0) {
                upsertState(target, event, requests);
            }
        });
    }

    /** A replay that failed again: the new reason is kept, the letter stays OPEN. */
    public void recordReplayFailed(long id, String reason, Integer httpStatus) {
        jdbc.update("""
                update sync_dead_letters set reason = :reason, http_status = :httpStatus, attempts = attempts + 1,
                    updated_at = :now where id = :id
                """, new MapSqlParameterSource("id", id).addValue("reason", reason).addValue("httpStatus", httpStatus)
                .addValue("now", Timestamp.from(clock.instant())));
    }

    public List<DeadLetter> deadLetters(String status, int limit) {
        return deadLetters(DeadLetterFilter.status(status), limit);
    }

    /** Dead letters matching the filter, newest first. */
    public List<DeadLetter> deadLetters(DeadLetterFilter filter, int limit) {
        StringBuilder sql = new StringBuilder("select * from sync_dead_letters where 1 = 1");
        MapSqlParameterSource p = new MapSqlParameterSource("limit", limit);
        if (filter.status() != null) {
            sql.append(" and status = :status");
            p.addValue("status", filter.status());
        }
        if (filter.target() != null) {
            sql.append(" and target = :target");
            p.addValue("target", filter.target());
        }
        if (filter.orderId() != null) {
            sql.append(" and order_id = :orderId");
            p.addValue("orderId", filter.orderId());
        }
        if (filter.reason() != null) {
            sql.append(" and lower(reason) like :reason escape '\\'");
            p.addValue("reason", "%" + likeEscaped(filter.reason().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        if (filter.olderThan() != null) {
            sql.append(" and created_at < :olderThan");
            p.addValue("olderThan", Timestamp.from(filter.olderThan()));
        }
        if (filter.newerThan() != null) {
            sql.append(" and created_at > :newerThan");
            p.addValue("newerThan", Timestamp.from(filter.newerThan()));
        }
        if (filter.ids() != null && !filter.ids().isEmpty()) {
            sql.append(" and id in (:ids)");
            p.addValue("ids", filter.ids());
        }
        sql.append(" order by id desc limit :limit");
        return jdbc.query(sql.toString(), p, SyncLedger::deadLetter);
    }

    /** Marks an OPEN dead letter DISCARDED with the operator's reason; false when it was not OPEN any more. */
    public boolean recordDiscarded(long id, String resolution) {
        return jdbc.update("""
                update sync_dead_letters set status = :discarded, resolution = :resolution, updated_at = :now
                where id = :id and status = :open
                """, new MapSqlParameterSource("id", id).addValue("discarded", DeadLetter.DISCARDED)
                .addValue("open", DeadLetter.OPEN).addValue("resolution", resolution)
                .addValue("now", Timestamp.from(clock.instant()))) == 1;
    }

    /** Letters per status (the dead-letter depth is the OPEN count). */
    public java.util.Map<String, Long> countByStatus() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.query("select status, count(*) n from sync_dead_letters group by status", new MapSqlParameterSource(),
                rs -> {
                    counts.put(rs.getString("status"), rs.getLong("n"));
                });
        return counts;
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    public Optional<DeadLetter> deadLetter(long id) {
        return jdbc.query("select * from sync_dead_letters where id = :id", new MapSqlParameterSource("id", id),
                SyncLedger::deadLetter).stream().findFirst();
    }

    public Optional<String> deadLetterPayload(long id) {
        return jdbc.query("select payload from sync_dead_letters where id = :id", new MapSqlParameterSource("id", id),
                (rs, n) -> cipher.openText(rs.getString(1))).stream().findFirst();
    }

    private boolean markProcessed(String target, Event event, String outcome) {
        try {
            jdbc.update("""
                    insert into sync_processed_events (target, event_id, order_id, outcome, processed_at)
                    values (:target, :eventId, :orderId, :outcome, :now)
                    """, new MapSqlParameterSource("target", target).addValue("eventId", event.eventId())
                    .addValue("orderId", event.orderId()).addValue("outcome", outcome)
                    .addValue("now", Timestamp.from(clock.instant())));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    private void upsertState(String target, Event event, int requests) {
        MapSqlParameterSource p = new MapSqlParameterSource("target", target).addValue("orderId", event.orderId())
                .addValue("eventId", event.eventId()).addValue("type", event.type()).addValue("status", event.status())
                .addValue("requests", requests).addValue("now", Timestamp.from(clock.instant()));
        int updated = jdbc.update("""
                update sync_state set last_event_id = :eventId, last_type = :type, last_status = :status,
                    requests = requests + :requests, synced_at = :now
                where target = :target and order_id = :orderId
                """, p);
        if (updated == 0) {
            jdbc.update("""
                    insert into sync_state (target, order_id, last_event_id, last_type, last_status, requests, synced_at)
                    values (:target, :orderId, :eventId, :type, :status, :requests, :now)
                    """, p);
        }
    }

    private static DeadLetter deadLetter(ResultSet rs, int n) throws SQLException {
        int code = rs.getInt("http_status");
        Integer httpStatus = rs.wasNull() ? null : code;
        return new DeadLetter(rs.getLong("id"), rs.getString("target"), rs.getString("event_id"), rs.getString("order_id"),
                rs.getString("event_type"), rs.getString("reason"), httpStatus,
                rs.getString("status"), rs.getInt("attempts"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")), rs.getString("resolution"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** The identifying parts of an {@code orders.events} message, and the message itself. */
    public record Event(String eventId, String orderId, String type, String status, String payload) {
    }
}
