package io.orderhub.privacy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.crypto.CustomerKeys;
import io.orderhub.crypto.DataCipher;
import io.orderhub.crypto.DataKey;
import io.orderhub.messaging.Outbox;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The data subject's rights (GDPR articles 15 and 17) over what the hub holds about a customer, named by e-mail
 * address or by the id the CRM knows it by ({@code <channel>-<customer.externalId>}); both are found through
 * the keyed hash columns, never by a clear value.
 * <ul>
 * <li>{@link #export}: the orders' personal fields, the raw documents received, the mails sent, the CRM records;</li>
 * <li>{@link #erase}: personal fields of the orders and the CRM record become {@value #ERASED}, the raw documents
 *     are removed, the mails' recipients and the e-mail order's sender erased, the orders' published events and dead
 *     letters cleared (events still to be published are moved under the ring key); amounts,
 *     SKUs, dates and statuses stay; the customers' data keys are destroyed (crypto-shredding), and a
 *     {@value #CUSTOMER_ERASED} event asks the CRM to erase its Accounts. Refused while an order is still being fulfilled.</li>
 * </ul>
 */
@Service
public class PersonalData {

    public static final String ERASED = "[erased]";
    /** The event an erasure publishes (outbox): the CRM's erasure request (mappings/crm/customer.jsonata). */
    public static final String CUSTOMER_ERASED = "customer.erased";

    /** Orders no longer being fulfilled. */
    static final Set<String> FINISHED = Set.of("COMPLETED", "CANCELLED", "REJECTED");

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final DataCipher cipher;
    private final ObjectMapper json;
    private final Clock clock;
    private final PersonalRecords records;
    private final CustomerKeys customerKeys;
    private final Outbox outbox;

    public PersonalData(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, DataCipher cipher, ObjectMapper json,
                        Clock clock, CustomerKeys customerKeys, Outbox outbox) {
        this.customerKeys = customerKeys;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = tx;
        this.cipher = cipher;
        this.json = json;
        this.clock = clock;
        this.records = new PersonalRecords(jdbc, cipher);
    }

    /** What an erasure did. */
    public record Erasure(String customerRef, List<String> orders, int receipts, int mails, int crmRecords) {
    }

    /** Every personal value held about the customer; 404 when nothing is held. */
    public Map<String, Object> export(String customerRef) {
        String hash = hash(customerRef);
        List<Map<String, Object>> orders = new ArrayList<>();
        Set<String> receiptIds = new LinkedHashSet<>();
        List<String> orderIds = new ArrayList<>();
        for (Map<String, Object> row : orderRows(customerRef, hash)) {
            JsonNode doc = document(row);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("orderId", row.get("order_id"));
            o.put("channel", row.get("channel"));
            o.put("externalId", row.get("external_id"));
            o.put("status", row.get("status"));
            o.put("receivedAt", instant(row.get("received_at")));
            o.put("customer", doc.get("customer"));
            o.put("billTo", doc.get("billTo"));
            o.put("shipTo", doc.get("shipTo"));
            o.put("notes", doc.get("notes"));
            o.put("personalDataErasedAt", instant(row.get("personal_data_erased_at")));
            orders.add(o);
            orderIds.add((String) row.get("order_id"));
            receiptIds.add((String) row.get("receipt_id"));
        }
        List<Map<String, Object>> receipts = records.receipts(receiptIds);
        List<Map<String, Object>> mails = records.mails(orderIds);
        List<Map<String, Object>> crm = records.crmRecords(customerRef, hash);
        if (orders.isEmpty() && crm.isEmpty()) {
            throw OrderHubException.field(Problem.NOT_FOUND, "customerRef", "no order and no CRM record of this customer");
        }
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("customerRef", customerRef);
        export.put("exportedAt", clock.instant());
        export.put("orders", orders);
        export.put("receipts", receipts);
        export.put("mailsSent", mails);
        export.put("crmRecords", crm);
        return export;
    }

    /**
     * Erases the customer's personal data in one transaction; 409 naming the orders still being fulfilled (nothing
     * is erased then), 404 when nothing is held.
     */
    public Erasure erase(String customerRef) {
        String hash = hash(customerRef);
        Erasure done = tx.execute(status -> {
            List<Map<String, Object>> rows = orderRows(customerRef, hash);
            List<FieldError> open = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                if (!FINISHED.contains((String) row.get("status"))) {
                    open.add(FieldError.of("customerRef", "order " + row.get("order_id") + " is " + row.get("status")
                            + ", still being fulfilled: erase once it is COMPLETED or CANCELLED"));
                }
            }
            if (!open.isEmpty()) {
                throw new OrderHubException(Problem.CONFLICT, open.size() + " order(s) of this customer are still being fulfilled",
                        open);
            }
            List<String> orderIds = new ArrayList<>();
            int receipts = 0;
            int mails = 0;
            // the customer's data keys: the one named by the reference's hash, and those of the CRM records it matches (by
            // external id, their e-mail's hash), which their personal columns are encrypted under
            Set<String> keys = new LinkedHashSet<>(jdbc.queryForList("""
                    select key_id from customer_keys where customer_hmac = :hash or customer_hmac in (
                        select email_hmac from customers where (external_id = :ref or email_hmac = :hash) and email_hmac is not null)
                    """, new MapSqlParameterSource("hash", hash).addValue("ref", customerRef), String.class));
            // the CRM's erasure request names the customer's Accounts as the CRM knows them: read before the erasure
            Set<String> crmIds = new LinkedHashSet<>();
            for (Map<String, Object> row : rows) {
                crmIds.add(crmAccountId((String) row.get("channel"), (String) row.get("order_id"), document(row).path("customer")));
            }
            crmIds.addAll(jdbc.queryForList("select external_id from customers where external_id = :ref or email_hmac = :hash",
                    new MapSqlParameterSource("ref", customerRef).addValue("hash", hash), String.class));
            for (Map<String, Object> row : rows) {
                Counts c = eraseOrder(row);
                orderIds.add((String) row.get("order_id"));
                receipts += c.receipts();
                mails += c.mails();
                keys.addAll(c.dataKeys());
            }
            int crm = jdbc.update("""
                    update customers set name = :erased, email = :erased, phone = :erased, company = :erased, email_hmac = null,
                           updated_at = :now
                    where external_id = :ref or email_hmac = :hash
                    """, new MapSqlParameterSource("erased", ERASED).addValue("ref", customerRef).addValue("hash", hash)
                    .addValue("now", Timestamp.from(clock.instant())));
            destroyUnused(keys);
            if (!rows.isEmpty()) {
                // one event per erasure, on the customer's latest order (events are grouped by order on the broker)
                Map<String, Object> latest = rows.get(rows.size() - 1);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("crmIds", List.copyOf(crmIds));
                outbox.append((String) latest.get("order_id"), CUSTOMER_ERASED, (String) latest.get("status"), data);
            }
            return new Erasure(customerRef, orderIds, receipts, mails, crm);
        });
        if (done == null || (done.orders().isEmpty() && done.crmRecords() == 0)) {
            throw OrderHubException.field(Problem.NOT_FOUND, "customerRef", "no order and no CRM record of this customer");
        }
        return done;
    }

    /**
     * Retention: erases the personal data of finished orders received before {@code olderThan} (at most {@code limit});
     * answers how many orders were erased. Runs in the caller's transaction.
     */
    public int eraseFinishedBefore(Instant olderThan, int limit) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select order_id, channel, external_id, status, received_at, receipt_id, document, personal_data_erased_at
                from orders where received_at < :cutoff and personal_data_erased_at is null
                  and status in ('COMPLETED', 'CANCELLED', 'REJECTED')
                order by received_at limit :limit
                """, new MapSqlParameterSource("cutoff", Timestamp.from(olderThan)).addValue("limit", limit));
        Set<String> keys = new LinkedHashSet<>();
        rows.forEach(row -> keys.addAll(eraseOrder(row).dataKeys()));
        destroyUnused(keys);
        return rows.size();
    }

    /**
     * Crypto-shredding: destroys the customers' data keys the erased orders and raw documents were encrypted under,
     * so no copy of those values left elsewhere can be decrypted any more; a key still used by an order of the same
     * customer that is not erased, or by the customer's CRM record (retention erases old orders only), stays.
     */
    private void destroyUnused(Set<String> keyIds) {
        List<String> unused = new ArrayList<>();
        for (String id : keyIds) {
            String prefix = "ohe1:" + id + ":";
            MapSqlParameterSource p = new MapSqlParameterSource("prefix", prefix);
            Integer inUse = jdbc.queryForObject("select count(*) from orders where personal_data_erased_at is null and left("
                    + "document, " + prefix.length() + ") = :prefix", p, Integer.class);
            // the customer's CRM record is encrypted under it too (retention erases old orders, not the CRM record)
            Integer crmRecords = jdbc.queryForObject("select count(*) from customers where left(name, " + prefix.length()
                    + ") = :prefix or left(email, " + prefix.length() + ") = :prefix", p, Integer.class);
            if ((inUse == null || inUse == 0) && (crmRecords == null || crmRecords == 0)) {
                unused.add(id);
            }
        }
        customerKeys.destroy(unused);
    }

    private record Counts(int receipts, int mails, Set<String> dataKeys) {
    }

    private Counts eraseOrder(Map<String, Object> row) {
        String orderId = (String) row.get("order_id");
        Instant now = clock.instant();
        Set<String> dataKeys = new LinkedHashSet<>();
        dataKeys.add(DataCipher.keyIdOf(text(row.get("document"))));
        jdbc.query("select body from receipts where receipt_id = :id", new MapSqlParameterSource("id", row.get("receipt_id")),
                rs -> {
                    dataKeys.add(DataCipher.keyIdOf(rs.getBytes(1)));
                });
        dataKeys.removeIf(id -> !DataKey.isDataKeyId(id));
        JsonNode doc = document(row);
        PartyScrubber.scrub(doc);
        jdbc.update("""
                update orders set document = :document, customer_email_hmac = null, customer_id_hmac = null,
                       personal_data_erased_at = :now, version = version + 1, updated_at = :now
                where order_id = :id
                """, new MapSqlParameterSource("id", orderId).addValue("now", Timestamp.from(now))
                .addValue("document", cipher.sealText(write(doc))));
        // the raw document as received: removed (its record, checksum and outcome stay)
        int receipts = jdbc.update("""
                update receipts set body = :empty, content_removed_at = :now where receipt_id = :id and content_removed_at is null
                """, new MapSqlParameterSource("id", row.get("receipt_id")).addValue("empty", new byte[0])
                .addValue("now", Timestamp.from(now)));
        int mails = jdbc.update("update notifications set recipient = :erased where order_id = :id",
                new MapSqlParameterSource("id", orderId).addValue("erased", ERASED));
        // the e-mail the order came in: its sender's address (mail_messages keeps the receipts of each message)
        if (row.get("receipt_id") != null) {
            jdbc.update("update mail_messages set sender = :erased where sender is not null and ',' || receipt_ids || ',' like :receipt",
                    new MapSqlParameterSource("erased", ERASED).addValue("receipt", "%," + row.get("receipt_id") + ",%"));
        }
        // the order's lifecycle events carried its parties: published ones go, dead letters keep their record only (the
        // rows' earlier copies, in backups, were under the customer's data key and are shredded with it)
        jdbc.update("delete from outbox where order_id = :id and published_at is not null", new MapSqlParameterSource("id", orderId));
        // an event not yet published goes out as it was (the relay must still open it): under the ring key from now on
        for (Map<String, Object> pending : jdbc.queryForList(
                "select id, payload from outbox where order_id = :id and published_at is null", new MapSqlParameterSource("id", orderId))) {
            String payload = text(pending.get("payload"));
            if (DataKey.isDataKeyId(DataCipher.keyIdOf(payload))) {
                jdbc.update("update outbox set payload = :payload where id = :id", new MapSqlParameterSource("id", pending.get("id"))
                        .addValue("payload", cipher.sealText(cipher.openText(payload))));
            }
        }
        jdbc.update("update sync_dead_letters set payload = :erased where order_id = :id",
                new MapSqlParameterSource("id", orderId).addValue("erased", "{\"erased\":true}"));
        return new Counts(receipts, mails, dataKeys);
    }

    /**
     * The id the CRM sync keys the order's customer Account by, as mappings/crm/customer.jsonata does:
     * {@code <channel>-<customer.externalId>}, else {@code <channel>-<lower-case e-mail>}, else {@code <channel>-<orderId>}.
     */
    static String crmAccountId(String channel, String orderId, JsonNode customer) {
        if (customer.hasNonNull("externalId") && !customer.get("externalId").asText().isEmpty()) {
            return channel + "-" + customer.get("externalId").asText();
        }
        if (customer.hasNonNull("email") && !customer.get("email").asText().isEmpty()) {
            return channel + "-" + customer.get("email").asText().toLowerCase(java.util.Locale.ROOT);
        }
        return channel + "-" + orderId;
    }

    /** Orders of the customer: by e-mail (contains '@') or CRM id, through the keyed hash columns. */
    private List<Map<String, Object>> orderRows(String customerRef, String hash) {
        return jdbc.queryForList("""
                select order_id, channel, external_id, status, received_at, receipt_id, document, personal_data_erased_at
                from orders where %s = :hash order by received_at
                """.formatted(customerRef.contains("@") ? "customer_email_hmac" : "customer_id_hmac"),
                new MapSqlParameterSource("hash", hash));
    }

    private String hash(String customerRef) {
        if (customerRef == null || customerRef.isBlank() || customerRef.length() > 320) {
            throw OrderHubException.field(Problem.MALFORMED, "customerRef",
                    "must be the customer's e-mail address or CRM id (<channel>-<customer id>), at most 320 characters");
        }
        return customerRef.contains("@") ? cipher.searchHash(customerRef) : cipher.idHash(customerRef);
    }

    private static String text(Object stored) {
        return stored instanceof java.sql.Clob clob ? clob(clob) : (String) stored;
    }

    private JsonNode document(Map<String, Object> row) {
        String text = text(row.get("document"));
        try {
            return json.readTree(cipher.openText(text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("order " + row.get("order_id") + " holds an unreadable document", e);
        }
    }

    private static String clob(java.sql.Clob clob) {
        try {
            return clob.getSubString(1, (int) clob.length());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(JsonNode doc) {
        try {
            return json.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : value instanceof java.time.OffsetDateTime o ? o.toInstant() : null;
    }

}
