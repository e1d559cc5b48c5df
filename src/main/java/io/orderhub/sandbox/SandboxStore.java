package io.orderhub.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What the sandbox ERP and CRM received, in the hub's database: one row per accepted request. A
 * request that repeats an earlier one (same Idempotency-Key, or same method, path and body) is
 * recognised and not stored again, as a real target would.
 */
@Repository
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public SandboxStore(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Stores a request; false when it repeats one already stored. */
    public boolean store(String system, String method, String path, String idempotencyKey, String body) {
        String key = idempotencyKey != null && !idempotencyKey.isBlank() ? "key:" + idempotencyKey.trim()
                : "sha:" + sha256(method + " " + path + "\n" + (body == null ? "" : body));
        try {
            jdbc.update("""
                    insert into sandbox_received (system, method, path, request_key, body, received_at)
                    values (:system, :method, :path, :key, :body, :now)
                    """, new MapSqlParameterSource("system", system).addValue("method", method).addValue("path", path)
                    .addValue("key", key.length() > 200 ? key.substring(0, 200) : key).addValue("body", body)
                    .addValue("now", Timestamp.from(clock.instant())));
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Whether a request to {@code path} was received before (e.g. the record an upsert addresses). */
    public boolean seen(String system, String path) {
        Integer n = jdbc.queryForObject("select count(*) from sandbox_received where system = :system and path = :path",
                new MapSqlParameterSource("system", system).addValue("path", path), Integer.class);
        return n != null && n > 0;
    }

    /** Received requests, oldest first; {@code contains} filters by a text in the path or body. */
    public List<Received> received(String system, String contains, int limit) {
        MapSqlParameterSource p = new MapSqlParameterSource("system", system).addValue("limit", limit);
        String filter = "";
        if (contains != null && !contains.isBlank()) {
            filter = " and (path like :q or body like :q)";
            p.addValue("q", "%" + contains.replace("%", "").replace("_", "") + "%");
        }
        return jdbc.query("select * from (select * from sandbox_received where system = :system" + filter
                        + " order by id desc limit :limit) newest order by id",
                p, (rs, n) -> new Received(rs.getLong("id"), rs.getString("method"), rs.getString("path"),
                        rs.getString("body"), rs.getTimestamp("received_at").toInstant()));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One received request. */
    public record Received(long id, String method, String path, String body, Instant receivedAt) {
    }
}
