package io.orderhub.sandbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sandbox payment gateways' memory, in the hub's database (tables {@code sandbox_payment_keys} and
 * {@code sandbox_payment_objects}): idempotency keys with the first answer given for them, and the payments
 * (PaymentIntents, Adyen payments) with what was refunded of them. Kept like a real gateway keeps them: a
 * request repeated with its key after a restart of the hub, or through another hub instance, gets the
 * first answer, never a second payment.
 */
@Repository
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxPaymentLedger {

    /** An answer of the gateway: HTTP status and JSON body. */
    public record Answer(int status, Map<String, Object> body) {
    }

    /** What became of a request with an idempotency key. */
    public sealed interface Outcome permits First, Replayed, OtherRequest, InFlight {
    }

    /** The key was new: the request was carried out and this is its answer. */
    public record First(Answer answer) implements Outcome {
    }

    /** The key was used before with the same request: the first answer again. */
    public record Replayed(Answer answer) implements Outcome {
    }

    /** The key was used before with another request. */
    public record OtherRequest() implements Outcome {
    }

    /** The first request with the key is still being answered. */
    public record InFlight() implements Outcome {
    }

    /** A first request that never got its answer recorded (its hub died) is carried out again after this long. */
    static final Duration ABANDONED = Duration.ofSeconds(30);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public SandboxPaymentLedger(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions,
                                ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
    }

    /**
     * Carries out {@code request} once per (gateway, key): the key is taken first (committed at once, so a
     * concurrent request with it on any instance sees it in flight), then the request's effects and its answer
     * commit together. Without a key the request is simply carried out.
     */
    public Outcome once(String gateway, String key, String fingerprint, Supplier<Answer> request) {
        if (key == null || key.isBlank()) {
            return new First(tx.execute(s -> request.get()));
        }
        String k = key.length() > 255 ? key.substring(0, 255) : key;
        MapSqlParameterSource p = new MapSqlParameterSource("gateway", gateway).addValue("key", k)
                .addValue("fingerprint", fingerprint).addValue("now", Timestamp.from(clock.instant()));
        if (!take(p)) {
            List<KeyRow> rows = jdbc.query("""
                    select fingerprint, status, body, created_at from sandbox_payment_keys
                    where gateway = :gateway and idempotency_key = :key
                    """, p, (rs, n) -> new KeyRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getTimestamp(4)));
            if (rows.isEmpty()) {
                return new InFlight();
            }
            KeyRow row = rows.get(0);
            if (!fingerprint.equals(row.fingerprint())) {
                return new OtherRequest();
            }
            if (row.status() != 0) {
                return new Replayed(new Answer(row.status(), read(row.body())));
            }
            // a first request whose hub died before it answered: carried out now, by whoever takes it over first
            if (row.since().toInstant().plus(ABANDONED).isAfter(clock.instant()) || jdbc.update("""
                    update sandbox_payment_keys set created_at = :now
                    where gateway = :gateway and idempotency_key = :key and status = 0 and created_at = :then
                    """, p.addValue("then", row.since())) != 1) {
                return new InFlight();
            }
        }
        try {
            return new First(tx.execute(s -> {
                Answer a = request.get();
                jdbc.update("""
                        update sandbox_payment_keys set status = :status, body = :body
                        where gateway = :gateway and idempotency_key = :key
                        """, p.addValue("status", a.status()).addValue("body", write(a.body())));
                return a;
            }));
        } catch (RuntimeException e) {
            jdbc.update("delete from sandbox_payment_keys where gateway = :gateway and idempotency_key = :key and status = 0", p);
            throw e;
        }
    }

    private record KeyRow(String fingerprint, int status, String body, Timestamp since) {
    }

    private boolean take(MapSqlParameterSource p) {
        try {
            jdbc.update("""
                    insert into sandbox_payment_keys (gateway, idempotency_key, fingerprint, status, created_at)
                    values (:gateway, :key, :fingerprint, 0, :now)
                    """, p);
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    /** Keeps a payment (or refund) under its id. */
    public void save(String gateway, String id, Map<String, Object> body) {
        jdbc.update("""
                insert into sandbox_payment_objects (gateway, id, body, refunded, created_at)
                values (:gateway, :id, :body, 0, :now)
                """, new MapSqlParameterSource("gateway", gateway).addValue("id", id).addValue("body", write(body))
                .addValue("now", Timestamp.from(clock.instant())));
    }

    /** A payment kept before, if any. */
    public Optional<Map<String, Object>> find(String gateway, String id) {
        return jdbc.query("select body from sandbox_payment_objects where gateway = :gateway and id = :id",
                new MapSqlParameterSource("gateway", gateway).addValue("id", id), (rs, n) -> read(rs.getString(1)))
                .stream().findFirst();
    }

    /** Minor units refunded of a payment so far. */
    public long refunded(String gateway, String id) {
        List<Long> r = jdbc.queryForList("select refunded from sandbox_payment_objects where gateway = :gateway and id = :id",
                new MapSqlParameterSource("gateway", gateway).addValue("id", id), Long.class);
        return r.isEmpty() ? 0 : r.get(0);
    }

    /** Adds a refund of {@code amount} unless it would refund more than {@code total}; false then. */
    public boolean refund(String gateway, String id, long amount, long total) {
        return jdbc.update("""
                update sandbox_payment_objects set refunded = refunded + :amount
                where gateway = :gateway and id = :id and refunded + :amount <= :total
                """, new MapSqlParameterSource("gateway", gateway).addValue("id", id).addValue("amount", amount)
                .addValue("total", total)) == 1;
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
