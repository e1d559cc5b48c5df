package io.orderhub.common;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leases of the scheduled jobs. Every hub instance runs every job's timer; the job's lock row (holder,
 * last_run) decides which instance does the work, so a job runs once per interval across instances, and
 * when its instance stops, another takes it over:
 * <ul>
 *   <li>the row is locked ({@code for update skip locked}): while one instance runs the job in the
 *       transaction that holds the row, the others skip;</li>
 *   <li>the holder (the instance that ran it last) runs it at each of its own timer's ticks;</li>
 *   <li>another instance runs it only when the holder has not run it for the job's interval plus
 *       {@code orderhub.jobs.lease} (the holder stopped, or hangs), and becomes the holder.</li>
 * </ul>
 * A run that wins the lease counts in {@code orderhub_scheduled_job_runs_total{job}} and sets
 * {@code orderhub_scheduled_job_last_run_seconds{job}} (this instance's view; sum the counter over instances).
 * Instances must have distinct {@code orderhub.instance-id}s (two with the same id both count as the holder).
 */
@Component
public class JobLeases {

    /** The leased jobs: metric name, lock table and row. */
    public enum Job {
        MAIL_POLL("mail-poll", "scheduled_job_lock", "mail-poll"),
        DISPATCH("dispatch", "shipping_job_lock", "dispatch"),
        TRACKING_POLL("tracking-poll", "shipping_job_lock", "tracking-poll"),
        COMPLETION("completion", "shipping_job_lock", "completion"),
        RESERVATION_EXPIRY("reservation-expiry", "inventory_job_lock", "reservation-expiry"),
        ERP_STOCK_POLL("erp-stock-poll", "erp_inbound_lock", "stock-poll"),
        PENDING_PAYMENTS("pending-payments", "scheduled_job_lock", "pending-payments"),
        PLANNING_RECOMPUTE("planning-recompute", "inventory_job_lock", "planning-recompute"),
        REORDER_CHECK("reorder-check", "inventory_job_lock", "reorder-check"),
        RETENTION("retention", "outbox_relay_lock", "retention"),
        RETURNS("returns", "scheduled_job_lock", "returns");

        private final String metricName;
        private final String table;
        private final String row;

        Job(String metricName, String table, String row) {
            this.metricName = metricName;
            this.table = table;
            this.row = row;
        }

        public String metricName() {
            return metricName;
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String instanceId;
    private final Duration lease;
    private final Map<Job, Counter> runs = new ConcurrentHashMap<>();
    private final Map<Job, AtomicLong> lastRun = new ConcurrentHashMap<>();

    public JobLeases(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock,
                     HubProperties hub, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.instanceId = hub.instanceId();
        this.lease = hub.jobs().lease();
        for (Job job : Job.values()) {
            runs.put(job, Counter.builder("orderhub.scheduled.job.runs").tag("job", job.metricName)
                    .description("runs of a scheduled job by this instance (it held the job's lease); sum over instances")
                    .register(meters));
            AtomicLong at = new AtomicLong();
            lastRun.put(job, at);
            Gauge.builder("orderhub.scheduled.job.last.run", at, AtomicLong::get).tag("job", job.metricName)
                    .description("when this instance last ran the job (epoch seconds; 0: not since it started)")
                    .baseUnit("seconds").register(meters);
        }
    }

    /**
     * In the caller's transaction, which keeps the job's row locked until it ends: whether this instance runs
     * the job now (and takes the lease). {@code interval} is the job's timer interval; {@code minGap}: even the
     * holder skips when it ran the job less than this long ago (a second trigger besides its timer).
     */
    public boolean acquire(Job job, Duration interval, Duration minGap) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("JobLeases.acquire must run in a transaction");
        }
        return take(job, interval, minGap, false);
    }

    /** As {@link #acquire}, in a transaction of its own that commits at once: for jobs that work outside it. */
    public boolean acquireNow(Job job, Duration interval) {
        return Boolean.TRUE.equals(tx.execute(s -> take(job, interval, Duration.ZERO, false)));
    }

    /**
     * A run on demand (operations, tests): in the caller's transaction, skipped only while another instance is
     * running the job right now; it takes the lease.
     */
    public boolean acquireForced(Job job) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("JobLeases.acquireForced must run in a transaction");
        }
        return take(job, Duration.ZERO, Duration.ZERO, true);
    }

    /**
     * A long run keeps its lease: refreshes last_run while this instance is still the holder (commits at once);
     * false when another instance has taken the job over meanwhile, and the run should stop.
     */
    public boolean renew(Job job) {
        Integer n = tx.execute(s -> jdbc.update("update " + job.table + " set last_run = :now where name = :n and holder = :holder",
                new MapSqlParameterSource("n", job.row).addValue("holder", instanceId)
                        .addValue("now", Timestamp.from(clock.instant()))));
        return n != null && n == 1;
    }

    private boolean take(Job job, Duration interval, Duration minGap, boolean force) {
        List<Object[]> rows = jdbc.query("select holder, last_run from " + job.table + " where name = :n for update skip locked",
                new MapSqlParameterSource("n", job.row), (rs, n) -> new Object[] {rs.getString(1), rs.getTimestamp(2)});
        if (rows.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        Timestamp last = (Timestamp) rows.get(0)[1];
        if (!force && !due((String) rows.get(0)[0], last == null ? null : last.toInstant(), instanceId, now, interval,
                minGap, lease)) {
            return false;
        }
        jdbc.update("update " + job.table + " set holder = :holder, last_run = :now where name = :n",
                new MapSqlParameterSource("n", job.row).addValue("holder", instanceId).addValue("now", Timestamp.from(now)));
        runs.get(job).increment();
        lastRun.get(job).set(now.getEpochSecond());
        return true;
    }

    /**
     * The lease rule: never run → due; the holder → due unless it ran less than {@code minGap} ago; another
     * instance → due only when the holder has been silent for the interval plus the lease.
     */
    static boolean due(String holder, Instant lastRun, String me, Instant now, Duration interval, Duration minGap,
                       Duration lease) {
        if (lastRun == null || holder == null) {
            return true;
        }
        if (me.equals(holder)) {
            return !lastRun.isAfter(now.minus(minGap));
        }
        return lastRun.isBefore(now.minus(interval).minus(lease));
    }
}
