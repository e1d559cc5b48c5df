package io.orderhub.crypto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-encrypts every encrypted column under the active key, in batches of {@code orderhub.crypto.rotate-batch-size}
 * rows, one transaction each: values under an older key (or still in clear, written before encryption) are
 * decrypted and sealed again. Each row is replaced only if it still holds the value read (compare and set), so
 * a concurrent write is never overwritten with older content; such a row is counted as skipped and, having been
 * written under the active key, needs nothing. An older key may leave the ring once a rotation reports no
 * {@code remaining} value.
 */
@Service
public class KeyRotation {

    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    /** An encrypted text column and the single-column key of its table. */
    record TextColumn(String table, String key, String column) {
        String name() {
            return table + "." + column;
        }
    }

    static final List<TextColumn> TEXT_COLUMNS = List.of(
            new TextColumn("orders", "order_id", "document"),
            new TextColumn("outbox", "id", "payload"),
            new TextColumn("sync_dead_letters", "id", "payload"),
            new TextColumn("customers", "external_id", "name"),
            new TextColumn("customers", "external_id", "email"),
            new TextColumn("customers", "external_id", "phone"),
            new TextColumn("customers", "external_id", "company"),
            new TextColumn("mail_messages", "message_id", "sender"),
            // the customers' data keys, wrapped by the ring: re-wrapped (the values under them stay as they are)
            new TextColumn("customer_keys", "key_id", "wrapped_key"));

    /** Values under a customer's data key ({@link DataKey}): not the ring's to re-encrypt. */
    private static final String DATA_KEY_PREFIX = DataCipher.TEXT_PREFIX + DataKey.PREFIX;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final DataCipher cipher;
    private final int batchSize;

    public KeyRotation(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, DataCipher cipher,
                       CryptoProperties crypto) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.cipher = cipher;
        this.batchSize = Math.max(1, crypto.rotateBatchSize());
    }

    /** What a rotation did per column: values re-encrypted, and values still not under the active key. */
    public record Result(String activeKey, Map<String, Long> reencrypted, Map<String, Long> remaining) {
    }

    public Result rotate() {
        Map<String, Long> done = new LinkedHashMap<>();
        done.put("receipts.body", receipts());
        for (TextColumn c : TEXT_COLUMNS) {
            done.put(c.name(), text(c));
        }
        done.put("notifications.recipient", notifications());
        Map<String, Long> remaining = remaining();
        log.info("key rotation to {}: re-encrypted {}, remaining {}", cipher.activeKeyId(), done, remaining);
        return new Result(cipher.activeKeyId(), done, remaining);
    }

    /** Values not (yet) under the active key, per column (clear legacy values included; blank ones not). */
    public Map<String, Long> remaining() {
        Map<String, Long> remaining = new LinkedHashMap<>();
        String prefix = DataCipher.TEXT_PREFIX + cipher.activeKeyId() + ":";
        long receipts = 0;
        String after = "";
        while (true) {
            List<Object[]> rows = receiptBatch(after);
            for (Object[] r : rows) {
                receipts += cipher.current((byte[]) r[1]) ? 0 : 1;
            }
            if (rows.size() < batchSize) {
                break;
            }
            after = (String) rows.get(rows.size() - 1)[0];
        }
        remaining.put("receipts.body", receipts);
        for (TextColumn c : TEXT_COLUMNS) {
            remaining.put(c.name(), count(c.table(), c.column(), prefix));
        }
        remaining.put("notifications.recipient", count("notifications", "recipient", prefix));
        return remaining;
    }

    private long count(String table, String column, String prefix) {
        Long n = jdbc.queryForObject("select count(*) from " + table + " where " + column + " is not null and left("
                + column + ", " + prefix.length() + ") <> :prefix and left(" + column + ", " + DATA_KEY_PREFIX.length()
                + ") <> :dataKeys", new MapSqlParameterSource("prefix", prefix).addValue("dataKeys", DATA_KEY_PREFIX), Long.class);
        return n == null ? 0 : n;
    }

    private long receipts() {
        long done = 0;
        String after = "";
        while (true) {
            String from = after;
            List<Object[]> rows = receiptBatch(from);
            Long changed = tx.execute(s -> {
                long n = 0;
                for (Object[] r : rows) {
                    byte[] old = (byte[]) r[1];
                    if (!cipher.current(old)) {
                        n += jdbc.update("update receipts set body = :body where receipt_id = :id and body = :old",
                                new MapSqlParameterSource("id", r[0]).addValue("old", old)
                                        .addValue("body", cipher.seal(cipher.open(old))));
                    }
                }
                return n;
            });
            done += changed == null ? 0 : changed;
            if (rows.size() < batchSize) {
                return done;
            }
            after = (String) rows.get(rows.size() - 1)[0];
        }
    }

    private List<Object[]> receiptBatch(String after) {
        return jdbc.query("select receipt_id, body from receipts where receipt_id > :after order by receipt_id limit :limit",
                new MapSqlParameterSource("after", after).addValue("limit", batchSize),
                (rs, n) -> new Object[] {rs.getString(1), rs.getBytes(2)});
    }

    /** Batches of values not under the active key until none is left or a batch changes nothing (all raced). */
    private long text(TextColumn c) {
        String prefix = DataCipher.TEXT_PREFIX + cipher.activeKeyId() + ":";
        String select = "select " + c.key() + ", " + c.column() + " from " + c.table() + " where " + c.column()
                + " is not null and left(" + c.column() + ", " + prefix.length() + ") <> :prefix and left(" + c.column()
                + ", " + DATA_KEY_PREFIX.length() + ") <> :dataKeys order by " + c.key() + " limit :limit";
        String update = "update " + c.table() + " set " + c.column() + " = :value where " + c.key() + " = :key and "
                + c.column() + " = :old";
        long done = 0;
        while (true) {
            Long changed = tx.execute(s -> {
                List<Object[]> rows = jdbc.query(select, new MapSqlParameterSource("prefix", prefix).addValue("limit", batchSize)
                                .addValue("dataKeys", DATA_KEY_PREFIX),
                        (rs, n) -> new Object[] {rs.getObject(1), rs.getString(2)});
                List<MapSqlParameterSource> updates = new ArrayList<>();
                for (Object[] r : rows) {
                    String old = (String) r[1];
                    updates.add(new MapSqlParameterSource("key", r[0]).addValue("old", old)
                            .addValue("value", cipher.sealText(cipher.openText(old))));
                }
                long n = 0;
                for (int k : jdbc.batchUpdate(update, updates.toArray(MapSqlParameterSource[]::new))) {
                    n += Math.max(k, 0);
                }
                return rows.isEmpty() ? -1L : n;
            });
            if (changed == null || changed <= 0) {
                return done;
            }
            done += changed;
        }
    }

    /** notifications has a two-column key (event_id, recipient_kind). */
    private long notifications() {
        String prefix = DataCipher.TEXT_PREFIX + cipher.activeKeyId() + ":";
        long done = 0;
        while (true) {
            Long changed = tx.execute(s -> {
                List<Object[]> rows = jdbc.query("""
                        select event_id, recipient_kind, recipient from notifications
                        where recipient is not null and left(recipient, %d) <> :prefix and left(recipient, %d) <> :dataKeys
                        order by event_id, recipient_kind limit :limit""".formatted(prefix.length(), DATA_KEY_PREFIX.length()),
                        new MapSqlParameterSource("prefix", prefix).addValue("limit", batchSize)
                                .addValue("dataKeys", DATA_KEY_PREFIX),
                        (rs, n) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                long n = 0;
                for (Object[] r : rows) {
                    n += jdbc.update("""
                            update notifications set recipient = :value
                            where event_id = :event and recipient_kind = :kind and recipient = :old""",
                            new MapSqlParameterSource("event", r[0]).addValue("kind", r[1]).addValue("old", r[2])
                                    .addValue("value", cipher.sealText(cipher.openText((String) r[2]))));
                }
                return rows.isEmpty() ? -1L : n;
            });
            if (changed == null || changed <= 0) {
                return done;
            }
            done += changed;
        }
    }
}
