package io.orderhub.sandbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sandbox payment gateways' state (Stripe and Adyen emulators) in the hub's database, so that the sandboxes
 * of several hub instances behave as one gateway, as a real one does: the first answer to an Idempotency-Key is
 * stored with the key in the transaction that creates the payment, so the same key gets the same answer from any
 * instance (two requests with one key at the same time: the second waits for the first and replays its answer);
 * payments and how much of each was refunded are rows, so a payment taken through one instance is found and
 * refunded through another.
 */
@Repository
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxPayments {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A gateway's answer: HTTP status and JSON body. */
    public record Answer(int status, Map<String, Object> body) {
    }

    /**
     * What a request got: a fresh answer, or ({@code replayed}) the answer its Idempotency-Key got first, with
     * the fingerprint of that first request.
     */
    public record Outcome(Answer answer, boolean replayed, String firstFingerprint) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public SandboxPayments(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs {@code create} once per (system, key) across instances and stores its answer with the key, in one
     * transaction; a key seen before gives back the first answer and its request's fingerprint instead (the
     * caller compares). Without a key, {@code create} just runs (in a transaction).
     */
    public Outcome idempotent(String system, String key, String fingerprint, Supplier<Answer> create) {
        if (key == null || key.isBlank()) {
            return new Outcome(tx.execute(s -> create.get()), false, fingerprint);
        }
        String k = key.length() > 255 ? key.substring(0, 255) : key;
        Answer made = tx.execute(s -> {
            try {
                // taken first: a second request with the key waits here until this transaction ends
                jdbc.update("""
                        insert into sandbox_payment_keys (system, idempotency_key, fingerprint, created_at)
                        values (:system, :key, :fingerprint, :now)
                        """, keyParams(system, k).addValue("fingerprint", fingerprint)
                        .addValue("now", Timestamp.from(clock.instant())));
            } catch (DuplicateKeyException seen) {
                s.setRollbackOnly();
                return null;
            }
            Answer a = create.get();
            jdbc.update("update sandbox_payment_keys set status = :status, body = :body where system = :system "
                    + "and idempotency_key = :key", keyParams(system, k).addValue("status", a.status())
                    .addValue("body", write(a.body())));
            return a;
        });
        if (made != null) {
            return new Outcome(made, false, fingerprint);
        }
        List<Outcome> first = jdbc.query("select fingerprint, status, body from sandbox_payment_keys where system = :system "
                + "and idempotency_key = :key", keyParams(system, k), (rs, n) -> new Outcome(
                new Answer(rs.getInt(2), read(rs.getString(3))), true, rs.getString(1)));
        if (first.isEmpty()) {
            throw new IllegalStateException("idempotency key " + k + " vanished");
        }
        return first.get(0);
    }

    /** Stores a new payment (intent, Adyen payment) or refund; run inside {@link #idempotent}'s create. */
    public void save(String system, String id, Map<String, Object> object) {
        jdbc.update("insert into sandbox_payment_objects (id, system, body, created_at) values (:id, :system, :body, :now)",
                new MapSqlParameterSource("id", id).addValue("system", system).addValue("body", write(object))
                        .addValue("now", Timestamp.from(clock.instant())));
    }

    public Optional<Map<String, Object>> find(String system, String id) {
        return jdbc.query("select body from sandbox_payment_objects where id = :id and system = :system",
                new MapSqlParameterSource("id", id).addValue("system", system), (rs, n) -> read(rs.getString(1)))
                .stream().findFirst();
    }

    /**
     * Changes a stored object under a row lock ({@code change} gets its body and answers what becomes of it, or the
     * answer to give; the body is stored when it is a new one): a state change (confirm, cancel) thus happens once,
     * whichever instance's sandbox is asked. Null when there is no such object.
     */
    public Answer change(String system, String id, java.util.function.Function<Map<String, Object>, Answer> change) {
        return tx.execute(status -> {
            List<Map<String, Object>> found = jdbc.query(
                    "select body from sandbox_payment_objects where id = :id and system = :system for update",
                    new MapSqlParameterSource("id", id).addValue("system", system), (rs, n) -> read(rs.getString(1)));
            if (found.isEmpty()) {
                return null;
            }
            Answer answer = change.apply(found.get(0));
            if (answer.status() == 200 && !answer.body().equals(found.get(0))) {
                jdbc.update("update sandbox_payment_objects set body = :body where id = :id and system = :system",
                        new MapSqlParameterSource("id", id).addValue("system", system).addValue("body", write(answer.body())));
            }
            return answer;
        });
    }

    /**
     * Objects whose id starts with {@code prefix}, newest first, after {@code startingAfter} (an id: the page after
     * it), at most {@code limit}.
     */
    public List<Map<String, Object>> list(String system, String prefix, String startingAfter, int limit) {
        MapSqlParameterSource p = new MapSqlParameterSource("system", system).addValue("prefix", prefix + "%")
                .addValue("limit", limit);
        String after = "";
        if (startingAfter != null) {
            List<Timestamp> anchor = jdbc.queryForList("select created_at from sandbox_payment_objects where id = :id "
                    + "and system = :system", new MapSqlParameterSource("id", startingAfter).addValue("system", system),
                    Timestamp.class);
            if (anchor.isEmpty()) {
                return List.of();
            }
            after = " and (created_at < :at or (created_at = :at and id < :after))";
            p.addValue("after", startingAfter).addValue("at", anchor.get(0));
        }
        return jdbc.query("select body from sandbox_payment_objects where system = :system and id like :prefix" + after
                + " order by created_at desc, id desc limit :limit", p, (rs, n) -> read(rs.getString(1)));
    }

    /** How much of the payment was refunded so far (minor units). */
    public long refunded(String system, String id) {
        List<Long> r = jdbc.queryForList("select refunded from sandbox_payment_objects where id = :id and system = :system",
                new MapSqlParameterSource("id", id).addValue("system", system), Long.class);
        return r.isEmpty() ? 0 : r.get(0);
    }

    /** Adds a refund to the payment unless that would refund more than {@code total}; false then. */
    public boolean addRefund(String system, String id, long amount, long total) {
        return jdbc.update("""
                update sandbox_payment_objects set refunded = refunded + :amount
                where id = :id and system = :system and refunded + :amount <= :total
                """, new MapSqlParameterSource("id", id).addValue("system", system).addValue("amount", amount)
                .addValue("total", total)) == 1;
    }

    private static MapSqlParameterSource keyParams(String system, String key) {
        return new MapSqlParameterSource("system", system).addValue("key", key);
    }

    private String write(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> read(String body) {
        try {
            return body == null ? Map.of() : json.readValue(body, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
