package io.orderhub.notify;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import io.orderhub.messaging.DeadLetter;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which mails went out. A mail counts as sent for (event, recipient kind) once its row in
 * {@code notifications} commits, right after the SMTP server accepted it; a redelivered event finds the
 * row and sends nothing. A mail that could not be sent is recorded, in one transaction, as a
 * {@code DEAD_LETTER} row here and a dead letter in the shared store ({@code sync_dead_letters}, target
 * {@code notify.customer} or {@code notify.sender}), which {@code GET /api/ops/dead-letters} lists and
 * {@code POST /api/ops/dead-letters/{id}/replay} sends again.
 */
@Repository
public class NotificationLedger {

    public static final String SENT = "SENT";
    public static final String DEAD_LETTER = "DEAD_LETTER";
    public static final String TARGET_PREFIX = "notify.";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final io.orderhub.crypto.DataCipher cipher;
    /** The customers' data keys: recipients and a dead letter's copy of an order's event are stored under them. */
    private final io.orderhub.crypto.CustomerKeys customerKeys;

    /** Sealed under the order's customer data key when it has one (crypto-shredded by an erasure), else the ring's. */
    private String sealedFor(String orderId, String payload) {
        io.orderhub.crypto.DataKey key = customerKeys == null ? null : customerKeys.forOrder(orderId);
        return key == null ? cipher.sealText(payload) : cipher.sealText(payload, key);
    }

    public NotificationLedger(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Clock clock,
                              io.orderhub.crypto.DataCipher cipher, io.orderhub.crypto.CustomerKeys customerKeys) {
        this.cipher = cipher;
        this.customerKeys = customerKeys;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    public static String target(String recipientKind) {
        return TARGET_PREFIX + recipientKind;
    }

    /** True when a dead-letter target is a notification's (and its replay is the notifier's). */
    public static boolean isNotificationTarget(String target) {
        return target != null && target.startsWith(TARGET_PREFIX);
    }

    /** The recorded outcome of (key, kind): SENT, DEAD_LETTER, or empty when none yet. */
    public Optional<String> status(String key, String recipientKind) {
        return jdbc.queryForList("select status from notifications where event_id = :key and recipient_kind = :kind",
                new MapSqlParameterSource("key", key).addValue("kind", recipientKind), String.class).stream().findFirst();
    }

    /** Records a mail the SMTP server took; false when it had been recorded already. */
    public boolean recordSent(Notification n, int attempts) {
        return Boolean.TRUE.equals(tx.execute(s -> insert(n, SENT, attempts)));
    }

    /**
     * Records a mail that could not be sent, here and as an OPEN dead letter holding the message it came
     * from ({@code payload}), in one transaction; false when (key, kind) was recorded already.
     */
    public boolean recordDeadLetter(Notification n, String payload, String reason, int attempts) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            if (!insert(n, DEAD_LETTER, attempts)) {
                return false;
            }
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("""
                    insert into sync_dead_letters (target, event_id, order_id, event_type, payload, reason, http_status,
                        status, attempts, created_at, updated_at)
                    values (:target, :eventId, :orderId, :type, :payload, :reason, null, :status, :attempts, :now, :now)
                    """, new MapSqlParameterSource("target", n.target()).addValue("eventId", n.key())
                    .addValue("orderId", n.orderId() == null ? "-" : n.orderId()).addValue("type", n.eventType())
                    .addValue("payload", sealedFor(n.orderId(), payload)).addValue("reason", reason).addValue("status", DeadLetter.OPEN)
                    .addValue("attempts", attempts).addValue("now", now));
            return true;
        }));
    }

    /** A replayed dead letter went out: the letter is REPLAYED and the mail SENT, in one transaction. */
    public void recordReplayed(long letterId, Notification n) {
        tx.executeWithoutResult(s -> {
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("""
                    update sync_dead_letters set status = :status, attempts = attempts + 1, updated_at = :now where id = :id
                    """, new MapSqlParameterSource("id", letterId).addValue("status", DeadLetter.REPLAYED).addValue("now", now));
            int updated = jdbc.update("""
                    update notifications set status = :sent, attempts = attempts + 1, subject = :subject, updated_at = :now
                    where event_id = :key and recipient_kind = :kind
                    """, new MapSqlParameterSource("sent", SENT).addValue("subject", cut(n.subject(), 500))
                    .addValue("now", now).addValue("key", n.key()).addValue("kind", n.recipientKind()));
            if (updated == 0) {
                insert(n, SENT, 1);
            }
        });
    }

    /** A replay that failed again: the new reason is kept, the letter stays OPEN. */
    public void recordReplayFailed(long letterId, String reason) {
        jdbc.update("""
                update sync_dead_letters set reason = :reason, attempts = attempts + 1, updated_at = :now where id = :id
                """, new MapSqlParameterSource("id", letterId).addValue("reason", reason)
                .addValue("now", Timestamp.from(clock.instant())));
    }

    /** The dead letter's target and payload (the event or rejection notice it came from). */
    public Optional<Letter> letter(long id) {
        return jdbc.query("select target, status, payload from sync_dead_letters where id = :id",
                new MapSqlParameterSource("id", id),
                (rs, n) -> new Letter(id, rs.getString("target"), rs.getString("status"), cipher.openText(rs.getString("payload"))))
                .stream().findFirst();
    }

    private boolean insert(Notification n, String status, int attempts) {
        Timestamp now = Timestamp.from(clock.instant());
        if (n.orderId() != null) {
            // waits for an erasure of the order's personal data in progress (it holds the row), which then shows
            jdbc.queryForList("select order_id from orders where order_id = :orderId for update",
                    new MapSqlParameterSource("orderId", n.orderId()), String.class);
        }
        try {
            jdbc.update("""
                    insert into notifications (event_id, recipient_kind, event_type, order_id, receipt_id, channel, recipient,
                        locale, subject, status, attempts, created_at, updated_at)
                    values (:key, :kind, :type, :orderId, :receiptId, :channel,
                        -- a mail of an event still in flight when the order's personal data was erased keeps no address
                        case when exists (select 1 from orders o where o.order_id = :orderId
                                          and o.personal_data_erased_at is not null) then '[erased]' else :recipient end,
                        :locale, :subject, :status, :attempts, :now, :now)
                    """, new MapSqlParameterSource("key", n.key()).addValue("kind", n.recipientKind())
                    .addValue("type", n.eventType()).addValue("orderId", n.orderId()).addValue("receiptId", n.receiptId())
                    .addValue("channel", n.channel()).addValue("recipient", recipient(n.to()))
                    .addValue("locale", n.locale()).addValue("subject", cut(n.subject(), 500)).addValue("status", status)
                    .addValue("attempts", attempts).addValue("now", now));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * The recipient's address encrypted under the data key of the customer it belongs to, when the hub holds one (a
     * customer's order mail): destroyed by an erasure, so a backup's copy is shredded with the orders. Other
     * recipients (a channel's address for rejections) are under the ring key.
     */
    private String recipient(String to) {
        String address = cut(to, 320);
        io.orderhub.crypto.DataKey key = customerKeys.existing(cipher.searchHash(address));
        return key == null ? cipher.sealText(address) : cipher.sealText(address, key);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** A dead letter as the notifier needs it for a replay. */
    public record Letter(long id, String target, String status, String payload) {
    }
}
