package io.orderhub.privacy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.crypto.DataCipher;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Reads, decrypted, the raw documents, customer mails and CRM records that {@link PersonalData#export} hands out. */
final class PersonalRecords {

    private final NamedParameterJdbcTemplate jdbc;
    private final DataCipher cipher;

    PersonalRecords(NamedParameterJdbcTemplate jdbc, DataCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** The raw documents received, by receipt id. */
    List<Map<String, Object>> receipts(Collection<String> receiptIds) {
        List<Map<String, Object>> receipts = new ArrayList<>();
        if (!receiptIds.isEmpty()) {
            jdbc.query("select receipt_id, channel, via, content_type, received_at, body from receipts where receipt_id in (:ids)"
                    + " order by received_at", new MapSqlParameterSource("ids", receiptIds), rs -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("receiptId", rs.getString("receipt_id"));
                r.put("channel", rs.getString("channel"));
                r.put("via", rs.getString("via"));
                r.put("contentType", rs.getString("content_type"));
                r.put("receivedAt", rs.getTimestamp("received_at").toInstant());
                byte[] body = cipher.open(rs.getBytes("body"));
                r.put("content", body == null || body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
                receipts.add(r);
            });
        }
        return receipts;
    }

    /** The mails sent to the customer about these orders. */
    List<Map<String, Object>> mails(Collection<String> orderIds) {
        List<Map<String, Object>> mails = new ArrayList<>();
        if (!orderIds.isEmpty()) {
            jdbc.query("""
                    select order_id, event_type, recipient_kind, recipient, subject, status, created_at from notifications
                    where order_id in (:ids) and recipient_kind = 'customer' order by created_at
                    """, new MapSqlParameterSource("ids", orderIds), rs -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("orderId", rs.getString("order_id"));
                m.put("eventType", rs.getString("event_type"));
                m.put("recipient", cipher.openText(rs.getString("recipient")));
                m.put("subject", rs.getString("subject"));
                m.put("status", rs.getString("status"));
                m.put("sentAt", rs.getTimestamp("created_at").toInstant());
                mails.add(m);
            });
        }
        return mails;
    }

    /** The CRM records of the customer, by CRM id or e-mail hash. */
    List<Map<String, Object>> crmRecords(String customerRef, String hash) {
        List<Map<String, Object>> crm = new ArrayList<>();
        jdbc.query("select * from customers where external_id = :ref or email_hmac = :hash order by external_id",
                new MapSqlParameterSource("ref", customerRef).addValue("hash", hash), rs -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("externalId", rs.getString("external_id"));
            for (String column : List.of("name", "email", "phone", "company")) {
                c.put(column, cipher.openText(rs.getString(column)));
            }
            c.put("creditLimit", rs.getBigDecimal("credit_limit"));
            c.put("currency", rs.getString("currency"));
            crm.add(c);
        });
        return crm;
    }
}
