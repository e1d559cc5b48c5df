package io.orderhub.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.orderhub.common.JobLeases;
import io.orderhub.privacy.PersonalData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention of raw data, on one instance at a time and once per interval across instances (the
 * {@code retention} row of {@code outbox_relay_lock}, locked with {@code for update skip locked} for the run, and
 * its lease, {@link JobLeases}; another instance skips the run):
 * <ul>
 * <li>the stored bytes of receipts older than {@code receipts-content-days} are blanked once no order
 *     made from them is still open (all COMPLETED, CANCELLED or REJECTED, or none made); the receipt's
 *     record (checksum, size, status, errors, order ids) stays;</li>
 * <li>outbox rows published more than {@code events-days} ago are deleted (the order's timeline in
 *     {@code order_events} stays);</li>
 * <li>audit entries older than {@code audit-days} are deleted (0, the default: kept for ever);</li>
 * <li>the personal data of COMPLETED, CANCELLED or REJECTED orders received more than {@code personal-data-days}
 *     ago is erased as on a customer's request ({@link PersonalData}; 0, the default: off).</li>
 * </ul>
 * A value of 0 turns that part off. Each run handles at most {@code batch-size} rows of each kind.
 */
@Component
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JobLeases leases;
    private final Duration interval;
    private final int receiptDays;
    private final int eventDays;
    private final int auditDays;
    private final int batchSize;
    private final PersonalData personalData;
    private final int personalDataDays;

    public Retention(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Clock clock,
                     JobLeases leases, RetentionProperties settings, PersonalData personalData) {
        this.personalData = personalData;
        this.personalDataDays = settings.personalDataDays();
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.leases = leases;
        this.interval = settings.interval();
        this.receiptDays = settings.receiptsContentDays();
        this.eventDays = settings.eventsDays();
        this.auditDays = settings.auditDays();
        this.batchSize = settings.batchSize();
    }

    @Scheduled(fixedDelayString = "${orderhub.retention.interval}", initialDelayString = "${orderhub.retention.initial-delay}")
    public void scheduled() {
        try {
            Result r = run(false);
            if (r.ran() && (r.receipts() + r.events() + r.auditEntries() + r.personalData()) > 0) {
                log.info("retention: blanked {} receipt document(s), deleted {} published event(s) and {} audit entries, "
                        + "erased the personal data of {} order(s)", r.receipts(), r.events(), r.auditEntries(), r.personalData());
            }
        } catch (RuntimeException e) {
            log.warn("retention run failed: {}", e.toString());
        }
    }

    /** One run now; {@code ran} is false when another instance is running it. */
    public Result runOnce() {
        return run(true);
    }

    private Result run(boolean onDemand) {
        return tx.execute(status -> {
            boolean mine = onDemand ? leases.acquireForced(JobLeases.Job.RETENTION)
                    : leases.acquire(JobLeases.Job.RETENTION, interval, Duration.ZERO);
            if (!mine) {
                return new Result(false, 0, 0, 0, 0);
            }
            Instant now = clock.instant();
            int receipts = receiptDays <= 0 ? 0 : jdbc.update("""
                    update receipts set body = :empty, content_removed_at = :now
                    where receipt_id in (
                        select r.receipt_id from receipts r
                        where r.received_at < :cutoff and r.content_removed_at is null and r.status <> 'RECEIVED'
                          and not exists (select 1 from orders o where o.receipt_id = r.receipt_id
                                          and o.status not in ('COMPLETED', 'CANCELLED', 'REJECTED'))
                        order by r.received_at limit :batch)
                    """, new MapSqlParameterSource("empty", new byte[0]).addValue("now", Timestamp.from(now))
                    .addValue("cutoff", Timestamp.from(now.minus(Duration.ofDays(receiptDays)))).addValue("batch", batchSize));
            int events = eventDays <= 0 ? 0 : jdbc.update("""
                    delete from outbox where id in (
                        select id from outbox where published_at is not null and published_at < :cutoff
                        order by id limit :batch)
                    """, new MapSqlParameterSource("cutoff", Timestamp.from(now.minus(Duration.ofDays(eventDays))))
                    .addValue("batch", batchSize));
            int audit = auditDays <= 0 ? 0 : jdbc.update("""
                    delete from audit_log where id in (
                        select id from audit_log where at < :cutoff order by id limit :batch)
                    """, new MapSqlParameterSource("cutoff", Timestamp.from(now.minus(Duration.ofDays(auditDays))))
                    .addValue("batch", batchSize));
            int erased = personalDataDays <= 0 ? 0
                    : personalData.eraseFinishedBefore(now.minus(Duration.ofDays(personalDataDays)), batchSize);
            return new Result(true, receipts, events, audit, erased);
        });
    }

    /** What one run did. */
    public record Result(boolean ran, int receipts, int events, int auditEntries, int personalData) {
    }
}
