package io.orderhub.outbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbound documents and their control numbers (tables {@code outbound_documents} and
 * {@code outbound_control_numbers}, migration V60). A document is recorded before it is sent; its row is
 * unique per (event, channel, type), so a redelivered event finds it instead of making a second one.
 */
@Repository
public class DocumentLedger {

    private static final String COLUMNS = """
            document_id, event_id, event_type, channel, order_id, doc_type, standard, partner, control_number,
            group_control, set_control, content_type, content, status, transport, errors, ack_reason, attempts,
            created_at, sent_at, acknowledged_at""";

    private static final String INCREMENT = """
            update outbound_control_numbers set last_value = last_value + 1, updated_at = :now
            where partner = :partner and standard = :standard
            """;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;
    /** Opens a value sealed at rest (the mail ledger's sender). */
    private final java.util.function.UnaryOperator<String> opener;

    @org.springframework.beans.factory.annotation.Autowired
    public DocumentLedger(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions,
                          io.orderhub.crypto.DataCipher cipher) {
        this(jdbc, clock, transactions, cipher::openText);
    }

    private DocumentLedger(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions,
                           java.util.function.UnaryOperator<String> opener) {
        this.opener = opener;
        this.jdbc = jdbc;
        this.clock = clock;
        this.ownTransaction = transactions == null ? null : new TransactionTemplate(transactions);
        if (ownTransaction != null) {
            ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        }
    }

    /** Without the cipher (tests that read shipments only). */
    DocumentLedger(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions) {
        this(jdbc, clock, transactions, s -> s);
    }

    /** Without transactions of its own (tests that read shipments only). */
    DocumentLedger(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this(jdbc, clock, null, s -> s);
    }

    /**
     * The next control number of (partner, standard), to be called in the transaction that records the
     * document: the UPDATE locks the counter's row until that commit, so two instances never get the same
     * number, and a rollback gives it back together with the document that was never sent.
     */
    public long nextControlNumber(String partner, String standard) {
        MapSqlParameterSource p = new MapSqlParameterSource("partner", partner).addValue("standard", standard)
                .addValue("now", Timestamp.from(clock.instant()));
        int updated = jdbc.update(INCREMENT, p);
        if (updated == 0) {
            // the partner's first document: its counter row is made (at 0) in a transaction of its own, so a
            // twin that made it first costs no failed statement in the caller's transaction (PostgreSQL would
            // abort it), then counted like every other
            ownTransaction.executeWithoutResult(s -> {
                try {
                    jdbc.update("""
                            insert into outbound_control_numbers (partner, standard, last_value, updated_at)
                            values (:partner, :standard, 0, :now)
                            """, p);
                } catch (DuplicateKeyException made) {
                    // another instance made the row first
                }
            });
            updated = jdbc.update(INCREMENT, p);
        }
        if (updated != 1) {
            throw new IllegalStateException("no control number for " + partner + " / " + standard);
        }
        Long value = jdbc.queryForObject("""
                select last_value from outbound_control_numbers where partner = :partner and standard = :standard
                """, p, Long.class);
        return value == null ? 1 : value;
    }

    public Optional<OutboundDocument> find(String eventId, String channel, String type) {
        return jdbc.query("select " + COLUMNS + " from outbound_documents where event_id = :e and channel = :c and doc_type = :t",
                new MapSqlParameterSource("e", eventId).addValue("c", channel).addValue("t", type), DocumentLedger::row)
                .stream().findFirst();
    }

    public Optional<OutboundDocument> find(String documentId) {
        return jdbc.query("select " + COLUMNS + " from outbound_documents where document_id = :id",
                new MapSqlParameterSource("id", documentId), DocumentLedger::row).stream().findFirst();
    }

    public List<OutboundDocument> ofOrder(String orderId) {
        return jdbc.query("select " + COLUMNS + " from outbound_documents where order_id = :id order by created_at, document_id",
                new MapSqlParameterSource("id", orderId), DocumentLedger::row);
    }

    /** Records a document; false when (event, channel, type) was recorded already (by a redelivery's twin). */
    public boolean insert(OutboundDocument d) {
        Timestamp now = Timestamp.from(d.createdAt());
        try {
            jdbc.update("insert into outbound_documents (" + COLUMNS + ", updated_at) values (:id, :event, :eventType, "
                    + ":channel, :order, :type, :standard, :partner, :control, :group, :set, :contentType, :content, "
                    + ":status, :transport, :errors, null, 0, :now, null, null, :now)",
                    new MapSqlParameterSource("id", d.documentId()).addValue("event", d.eventId())
                            .addValue("eventType", d.eventType()).addValue("channel", d.channel())
                            .addValue("order", d.orderId()).addValue("type", d.type()).addValue("standard", d.standard())
                            .addValue("partner", d.partner()).addValue("control", d.controlNumber())
                            .addValue("group", d.groupControl()).addValue("set", d.setControl())
                            .addValue("contentType", d.contentType()).addValue("content", d.content())
                            .addValue("status", d.status()).addValue("transport", d.transport())
                            .addValue("errors", d.errors()).addValue("now", now));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /**
     * The transport took the document: SENT (a resend of a SENT document counts its attempt; a FAILED one
     * that an operator resent becomes SENT); true when the document became SENT now.
     */
    public boolean markSent(String documentId) {
        Timestamp now = Timestamp.from(clock.instant());
        MapSqlParameterSource p = new MapSqlParameterSource("id", documentId).addValue("now", now);
        int became = jdbc.update("""
                update outbound_documents set status = 'SENT', sent_at = coalesce(sent_at, :now), attempts = attempts + 1,
                    updated_at = :now
                where document_id = :id and status in ('PENDING', 'FAILED')
                """, p);
        if (became == 0) {
            jdbc.update("update outbound_documents set attempts = attempts + 1, updated_at = :now where document_id = :id", p);
        }
        return became == 1;
    }

    /**
     * The partner refused the document (its callback answered 4xx): FAILED with the answer, when it was
     * PENDING or FAILED (a refused resend of a document already SENT leaves its status); the attempt counts.
     */
    public void markFailed(String documentId, String answer) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("""
                update outbound_documents set status = case when status in ('PENDING', 'FAILED') then 'FAILED' else status end,
                    errors = case when status in ('PENDING', 'FAILED') then :answer else errors end,
                    attempts = attempts + 1, updated_at = :now
                where document_id = :id
                """, new MapSqlParameterSource("id", documentId).addValue("answer", answer).addValue("now", now));
    }

    /**
     * The channel's documents to a partner in a standard that carry the group control (X12 GS06, EDIFACT UNB
     * 0020) and, when given, the set control (X12 ST02, EDIFACT UNH 0062).
     */
    public List<OutboundDocument> byControls(String channel, String partner, String standard, String group, String set) {
        return jdbc.query("select " + COLUMNS + " from outbound_documents where channel = :channel and partner = :partner"
                        + " and standard = :standard and group_control = :group"
                        + (set == null || set.isEmpty() ? "" : " and set_control = :set") + " order by document_id",
                new MapSqlParameterSource("channel", channel).addValue("partner", partner).addValue("standard", standard)
                        .addValue("group", group).addValue("set", set), DocumentLedger::row);
    }

    /**
     * The channel's UBL documents a partner's ApplicationResponse may name with {@code reference}: our document id, the
     * order id (the DespatchAdvice's and Invoice's ID) or {@code <orderId>-<control number>} (the OrderResponse's ID).
     */
    public List<OutboundDocument> byUblReference(String channel, String reference) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.+)-(\\d{1,18})").matcher(reference);
        boolean numbered = m.matches();
        return jdbc.query("select " + COLUMNS + " from outbound_documents where channel = :channel and standard = 'ubl'"
                        + " and (document_id = :ref or (order_id = :ref and doc_type <> 'order-response')"
                        + (numbered ? " or (order_id = :prefix and control_number = :n and doc_type = 'order-response')" : "")
                        + ") order by created_at, document_id",
                new MapSqlParameterSource("channel", channel).addValue("ref", reference)
                        .addValue("prefix", numbered ? m.group(1) : null)
                        .addValue("n", numbered ? Long.parseLong(m.group(2)) : null), DocumentLedger::row);
    }

    /** The partner's acknowledgement: SENT becomes ACKNOWLEDGED or REJECTED (once); false when it was not SENT. */
    public boolean acknowledge(String documentId, String status, String reason) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.update("""
                update outbound_documents set status = :status, ack_reason = :reason, acknowledged_at = :now, updated_at = :now
                where document_id = :id and status = 'SENT'
                """, new MapSqlParameterSource("id", documentId).addValue("status", status).addValue("reason",
                reason == null ? null : reason.length() > 2000 ? reason.substring(0, 2000) : reason).addValue("now", now)) == 1;
    }

    /** Documents in a state, oldest first (at most {@code limit}). */
    public List<OutboundDocument> inStatus(String status, int limit) {
        return jdbc.query("select " + COLUMNS + " from outbound_documents where status = :status"
                        + " order by created_at, document_id limit :limit",
                new MapSqlParameterSource("status", status).addValue("limit", limit), DocumentLedger::row);
    }

    /**
     * The payloads (opened) of the order's outbox events of this type, newest first; none without a database (tests
     * that read shipments only). A credit note reads the refund's parts from its return's {@code return.received}.
     */
    public List<String> eventPayloads(String orderId, String type) {
        if (jdbc == null) {
            return List.of();
        }
        return jdbc.queryForList("select payload from outbox where order_id = :id and type = :type order by id desc",
                new MapSqlParameterSource("id", orderId).addValue("type", type), String.class).stream()
                .filter(p -> p != null).map(opener).toList();
    }

    /** When the order's invoice document was made, if one was sent (SENT or ACKNOWLEDGED); empty without a database. */
    public Optional<Instant> invoiceSentMade(String orderId) {
        if (jdbc == null) {
            return Optional.empty();
        }
        return jdbc.queryForList("""
                select created_at from outbound_documents where order_id = :id and doc_type = 'invoice'
                  and status in ('SENT', 'ACKNOWLEDGED') order by created_at
                """, new MapSqlParameterSource("id", orderId), Timestamp.class).stream().findFirst()
                .map(Timestamp::toInstant);
    }

    /** The order's source format (the format of the receipt it came in), or empty. */
    public Optional<String> sourceFormat(String orderId) {
        return jdbc.queryForList("""
                select r.format from orders o join receipts r on r.receipt_id = o.receipt_id where o.order_id = :id
                """, new MapSqlParameterSource("id", orderId), String.class).stream().filter(f -> f != null).findFirst();
    }

    /**
     * The sender of the e-mail the order came in (decrypted), or empty when it came another way. The mail
     * ledger lists the receipts of each mail (comma-separated ids).
     */
    public Optional<String> orderMailSender(String orderId) {
        return jdbc.queryForList("""
                select m.sender from orders o join mail_messages m
                  on (',' || m.receipt_ids || ',') like ('%,' || o.receipt_id || ',%')
                where o.order_id = :id and o.receipt_id is not null and m.sender is not null
                """, new MapSqlParameterSource("id", orderId), String.class).stream().findFirst().map(opener);
    }

    /** What a shipment holds: its lines (line number and quantity) and its weight. */
    public record ShipmentContent(String shipmentId, java.math.BigDecimal weightKg, Map<Integer, Integer> quantityByLine) {
    }

    /** The order's shipments with the quantity of each order line in them (table allocations), by shipment id. */
    public Map<String, ShipmentContent> shipmentContents(String orderId) {
        Map<String, ShipmentContent> out = new java.util.LinkedHashMap<>();
        jdbc.query("""
                select s.shipment_id, s.weight_kg, a.line_no, a.quantity from shipments s
                join allocations a on a.shipment_id = s.shipment_id
                where s.order_id = :id order by s.shipment_id, a.line_no
                """, new MapSqlParameterSource("id", orderId), rs -> {
            ShipmentContent c = out.computeIfAbsent(rs.getString("shipment_id"), k -> {
                try {
                    return new ShipmentContent(k, rs.getBigDecimal("weight_kg"), new java.util.LinkedHashMap<>());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.quantityByLine().merge(rs.getInt("line_no"), rs.getInt("quantity"), Integer::sum);
        });
        return out;
    }

    Instant now() {
        return clock.instant();
    }

    private static OutboundDocument row(ResultSet rs, int n) throws SQLException {
        long control = rs.getLong("control_number");
        Long controlNumber = rs.wasNull() ? null : control;
        return new OutboundDocument(rs.getString("document_id"), rs.getString("event_id"), rs.getString("event_type"),
                rs.getString("channel"), rs.getString("order_id"), rs.getString("doc_type"), rs.getString("standard"),
                rs.getString("partner"), controlNumber, rs.getString("group_control"), rs.getString("set_control"),
                rs.getString("content_type"), rs.getBytes("content"), rs.getString("status"), rs.getString("transport"),
                rs.getString("errors"), rs.getString("ack_reason"), rs.getInt("attempts"), instant(rs, "created_at"),
                instant(rs, "sent_at"), instant(rs, "acknowledged_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
