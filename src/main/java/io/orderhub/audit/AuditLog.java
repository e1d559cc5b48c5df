package io.orderhub.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.orderhub.security.Caller;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The audit log of privileged actions (cancel, replay, discard, stock adjustment, route stop/start,
 * settings). {@link #record} joins the caller's transaction, so an action and its entry commit together.
 */
@Repository
public class AuditLog {

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public AuditLog(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public void record(Caller who, String action, String target, String before, String after, String detail) {
        jdbc.update("""
                insert into audit_log (at, actor, role, action, target, before_state, after_state, detail)
                values (:at, :actor, :role, :action, :target, :before, :after, :detail)
                """, new MapSqlParameterSource()
                .addValue("at", Timestamp.from(clock.instant()))
                .addValue("actor", who == null ? "system" : who.keyId())
                .addValue("role", who == null ? "SYSTEM" : who.role().name())
                .addValue("action", action)
                .addValue("target", target)
                .addValue("before", before)
                .addValue("after", after)
                .addValue("detail", detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000)));
    }

    /** Newest first; {@code target} and {@code from} narrow the list when given. */
    public List<AuditEntry> find(String target, Instant from, int limit) {
        StringBuilder sql = new StringBuilder("select * from audit_log where 1 = 1");
        MapSqlParameterSource p = new MapSqlParameterSource("limit", limit);
        if (target != null) {
            sql.append(" and target = :target");
            p.addValue("target", target);
        }
        if (from != null) {
            sql.append(" and at >= :from");
            p.addValue("from", Timestamp.from(from));
        }
        sql.append(" order by id desc limit :limit");
        return jdbc.query(sql.toString(), p, (rs, n) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                rs.getString("actor"), rs.getString("role"), rs.getString("action"), rs.getString("target"),
                rs.getString("before_state"), rs.getString("after_state"), rs.getString("detail")));
    }
}
