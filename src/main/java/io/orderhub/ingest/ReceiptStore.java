package io.orderhub.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.ChannelIds;
import io.orderhub.common.FieldError;
import io.orderhub.crypto.DataCipher;
import io.orderhub.format.FormatResult;
import io.orderhub.common.CardNumbers;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Raw inbound documents. {@link #store} commits on its own, before the sender gets any answer, so
 * nothing a channel sends is lost whatever happens next. Card numbers are cut out of the stored
 * bytes (the checksum is of the bytes as received), and the stored bytes are encrypted ({@link DataCipher}):
 * {@link #content} answers them in clear.
 */
@Repository
public class ReceiptStore {

    private static final TypeReference<List<FieldError>> ERRORS = new TypeReference<>() { };
    private static final TypeReference<List<String>> IDS = new TypeReference<>() { };

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final org.springframework.beans.factory.ObjectProvider<RejectedReceiptListener> rejectionListeners;
    private final DataCipher cipher;

    public ReceiptStore(NamedParameterJdbcTemplate jdbc, ObjectMapper json, Clock clock,
                        org.springframework.beans.factory.ObjectProvider<RejectedReceiptListener> rejectionListeners,
                        DataCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
        this.rejectionListeners = rejectionListeners;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public String store(InboundDocument doc) {
        String id = "RCT-" + UUID.randomUUID();
        Timestamp now = Timestamp.from(clock.instant());
        byte[] stored = cipher.seal(CardNumbers.redact(doc.body()));
        jdbc.update("""
                insert into receipts (receipt_id, channel, via, content_type, checksum, size_bytes, truncated,
                                      received_at, status, updated_at, body)
                values (:id, :channel, :via, :contentType, :checksum, :size, :truncated, :now, :status, :now, :body)
                """, new MapSqlParameterSource()
                .addValue("id", id)
                .addValue("channel", ChannelIds.storable(doc.channel()))
                .addValue("via", truncate(doc.via(), 16))
                .addValue("contentType", truncate(doc.contentType(), 200))
                .addValue("checksum", sha256(doc.body()))
                .addValue("size", (long) doc.body().length)
                .addValue("truncated", doc.truncated())
                .addValue("now", now)
                .addValue("status", ReceiptStatus.RECEIVED.name())
                .addValue("body", stored));
        return id;
    }

    /** Records the outcome; runs in the caller's transaction when there is one. */
    @Transactional
    public void decide(String receiptId, ReceiptStatus status, String format, String documentId, List<String> orderIds,
                       List<FieldError> errors) {
        decide(receiptId, status, format, documentId, orderIds, errors, null);
    }

    /** Records the outcome and the acknowledgement to return to the sender (EDI 997/CONTRL), if any. */
    @Transactional
    public void decide(String receiptId, ReceiptStatus status, String format, String documentId, List<String> orderIds,
                       List<FieldError> errors, FormatResult.Acknowledgement ack) {
        jdbc.update("""
                update receipts set status = :status, format = coalesce(:format, format),
                       document_id = coalesce(:documentId, document_id), order_ids = :orderIds, errors = :errors,
                       ack_type = :ackType, ack_content_type = :ackContentType, acknowledgement = :ack,
                       updated_at = :now
                where receipt_id = :id
                """, new MapSqlParameterSource()
                .addValue("id", receiptId)
                .addValue("ackType", ack == null ? null : ack.type())
                .addValue("ackContentType", ack == null ? null : ack.contentType())
                .addValue("ack", ack == null ? null : ack.body())
                .addValue("status", status.name())
                .addValue("format", format)
                .addValue("documentId", truncate(documentId, 200))
                .addValue("orderIds", orderIds == null || orderIds.isEmpty() ? null : write(orderIds))
                .addValue("errors", errors == null || errors.isEmpty() ? null : write(errors))
                .addValue("now", Timestamp.from(clock.instant())));
        if (status == ReceiptStatus.REJECTED) {
            rejectionListeners.forEach(l -> l.rejected(receiptId));
        }
    }

    /**
     * Marks a receipt REJECTED unless an outcome was already recorded (used by error handlers, which
     * may run after the intake itself decided).
     */
    @Transactional
    public void rejectIfOpen(String receiptId, List<FieldError> errors) {
        int changed = jdbc.update("""
                update receipts set status = :status, errors = :errors, updated_at = :now
                where receipt_id = :id and status = :open
                """, new MapSqlParameterSource()
                .addValue("id", receiptId)
                .addValue("status", ReceiptStatus.REJECTED.name())
                .addValue("open", ReceiptStatus.RECEIVED.name())
                .addValue("errors", errors == null || errors.isEmpty() ? null : write(errors))
                .addValue("now", Timestamp.from(clock.instant())));
        if (changed == 1) {
            rejectionListeners.forEach(l -> l.rejected(receiptId));
        }
    }

    /** Opens a decided receipt again for a replay: back to RECEIVED, outcome cleared, attempt counted. */
    @Transactional
    public void reopen(String receiptId) {
        jdbc.update("""
                update receipts set status = :status, errors = null, order_ids = null, attempts = attempts + 1,
                       updated_at = :now
                where receipt_id = :id
                """, new MapSqlParameterSource("id", receiptId).addValue("status", ReceiptStatus.RECEIVED.name())
                .addValue("now", Timestamp.from(clock.instant())));
    }

    /**
     * Records that the answer to this receipt's sender could not be delivered (its reply-to refused or unreachable):
     * the receipt's decision stands; the reason is kept (at most 1000 characters).
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void answerUndelivered(String receiptId, String reason) {
        String kept = reason == null ? "unknown" : reason.length() > 1000 ? reason.substring(0, 1000) : reason;
        jdbc.update("update receipts set answer_failure = :reason where receipt_id = :id",
                new MapSqlParameterSource("id", receiptId).addValue("reason", kept));
    }

    /** Sets the channel once it is known (e.g. after authentication or sender lookup). */
    @Transactional
    public void assignChannel(String receiptId, String channel) {
        jdbc.update("update receipts set channel = :channel where receipt_id = :id",
                new MapSqlParameterSource("id", receiptId).addValue("channel", channel));
    }

    public Optional<Receipt> find(String receiptId) {
        return jdbc.query("""
                select receipt_id, channel, via, content_type, checksum, size_bytes, truncated, received_at, status,
                       format, document_id, order_ids, errors, updated_at, ack_type, ack_content_type, acknowledgement,
                       attempts
                from receipts where receipt_id = :id
                """, new MapSqlParameterSource("id", receiptId), this::map).stream().findFirst();
    }

    /**
     * Receipts by status, channel and when they came ({@code newerThan} &lt; received_at &lt; {@code olderThan}),
     * or by id; newest first. Each criterion narrows the set when given.
     */
    public List<Receipt> search(ReceiptStatus status, String channel, Instant newerThan, Instant olderThan,
                                List<String> ids, int limit) {
        StringBuilder sql = new StringBuilder("""
                select receipt_id, channel, via, content_type, checksum, size_bytes, truncated, received_at, status,
                       format, document_id, order_ids, errors, updated_at, ack_type, ack_content_type, acknowledgement,
                       attempts
                from receipts where 1 = 1""");
        MapSqlParameterSource p = new MapSqlParameterSource("limit", limit);
        if (status != null) {
            sql.append(" and status = :status");
            p.addValue("status", status.name());
        }
        if (channel != null) {
            sql.append(" and channel = :channel");
            p.addValue("channel", channel);
        }
        if (newerThan != null) {
            sql.append(" and received_at > :newerThan");
            p.addValue("newerThan", Timestamp.from(newerThan));
        }
        if (olderThan != null) {
            sql.append(" and received_at < :olderThan");
            p.addValue("olderThan", Timestamp.from(olderThan));
        }
        if (ids != null && !ids.isEmpty()) {
            sql.append(" and receipt_id in (:ids)");
            p.addValue("ids", ids);
        }
        sql.append(" order by received_at desc, receipt_id limit :limit");
        return jdbc.query(sql.toString(), p, this::map);
    }

    /** True when retention removed the stored bytes of this receipt. */
    public boolean contentRemoved(String receiptId) {
        return !jdbc.query("select 1 from receipts where receipt_id = :id and content_removed_at is not null",
                new MapSqlParameterSource("id", receiptId), (rs, n) -> 1).isEmpty();
    }

    /** The stored bytes (card numbers removed), decrypted. */
    public Optional<byte[]> content(String receiptId) {
        return jdbc.query("select body from receipts where receipt_id = :id", new MapSqlParameterSource("id", receiptId),
                (rs, n) -> cipher.open(rs.getBytes(1))).stream().findFirst();
    }

    private Receipt map(ResultSet rs, int row) throws SQLException {
        return new Receipt(rs.getString("receipt_id"), rs.getString("channel"), rs.getString("via"),
                rs.getString("content_type"), rs.getString("checksum"), rs.getLong("size_bytes"),
                rs.getBoolean("truncated"), rs.getTimestamp("received_at").toInstant(),
                ReceiptStatus.valueOf(rs.getString("status")), rs.getString("format"), rs.getString("document_id"),
                read(rs.getString("order_ids"), IDS), read(rs.getString("errors"), ERRORS),
                rs.getTimestamp("updated_at").toInstant(), rs.getString("ack_type") == null ? null
                : new FormatResult.Acknowledgement(rs.getString("ack_type"), rs.getString("ack_content_type"),
                rs.getString("acknowledgement")), rs.getInt("attempts"));
    }

    private <T> List<T> read(String text, TypeReference<List<T>> type) {
        if (text == null) {
            return List.of();
        }
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("receipt column holds invalid JSON", e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
