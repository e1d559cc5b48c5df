package io.orderhub.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.ingest.mail.MailIntake;
import io.orderhub.inventory.ReservationExpiry;
import io.orderhub.shipping.ShippingService;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The scheduled jobs' leases with two instances on one database: a job another instance ran within its interval
 * is not run again here (its timer ticks too), and a job whose holder has been silent for its interval plus the
 * lease is taken over. The other instance is played by its row in the job's lock table.
 */
class JobLeasesTest extends HubTestSupport {

    static final String OTHER = "hub-other-instance";

    @Autowired
    ReservationExpiry expiry;
    @Autowired
    ShippingService shipping;
    @Autowired
    MailIntake mail;
    @Autowired
    MeterRegistry meters;
    @Value("${orderhub.instance-id}")
    String me;
    @Value("${orderhub.inventory.expiry-interval-ms}")
    long expiryIntervalMs;
    @Value("${orderhub.shipping.poll-interval-ms}")
    long trackingIntervalMs;
    @Value("${orderhub.jobs.lease}")
    Duration lease;

    @Test
    void theRule() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        Duration interval = Duration.ofSeconds(10);
        Duration lease = Duration.ofSeconds(60);
        assertThat(JobLeases.due(null, null, "a", now, interval, Duration.ZERO, lease)).as("never run").isTrue();
        assertThat(JobLeases.due("a", now.minusSeconds(1), "a", now, interval, Duration.ZERO, lease)).as("the holder").isTrue();
        assertThat(JobLeases.due("a", now.minusSeconds(1), "a", now, interval, Duration.ofSeconds(5), lease))
                .as("the holder, within the minimum gap").isFalse();
        assertThat(JobLeases.due("b", now.minusSeconds(69), "a", now, interval, Duration.ZERO, lease))
                .as("another holder, silent for less than interval + lease").isFalse();
        assertThat(JobLeases.due("b", now.minusSeconds(71), "a", now, interval, Duration.ZERO, lease))
                .as("another holder, silent for longer: taken over").isTrue();
    }

    @Test
    void aJobAnotherInstanceRanWithinItsIntervalIsNotRunHereAndIsTakenOverWhenItsHolderFallsSilent() {
        double before = runs("reservation-expiry");
        try {
            // the other instance expired reservations a moment ago: this instance's tick does nothing
            lockRow("inventory_job_lock", "reservation-expiry", OTHER, Instant.now().minusSeconds(1));
            expiry.expire();
            assertThat(holder("inventory_job_lock", "reservation-expiry")).isEqualTo(OTHER);
            assertThat(runs("reservation-expiry")).isEqualTo(before);

            // the other instance stopped: after its interval and the lease, this one takes the job over
            lockRow("inventory_job_lock", "reservation-expiry", OTHER,
                    Instant.now().minusMillis(expiryIntervalMs).minus(lease).minusSeconds(1));
            expiry.expire();
            assertThat(holder("inventory_job_lock", "reservation-expiry")).isEqualTo(me);
            assertThat(runs("reservation-expiry")).isEqualTo(before + 1);
        } finally {
            lockRow("inventory_job_lock", "reservation-expiry", null, null);
        }
    }

    @Test
    void aJobWhoseIntervalIsLongerThanTheLeaseIsNotTakenOverBetweenTheHoldersRuns() {
        // the tracking poll runs every hour here, the lease is a minute: the holder ran it 90 s ago and is fine
        assertThat(Duration.ofMillis(trackingIntervalMs)).isGreaterThan(lease.plusSeconds(30));
        try {
            lockRow("shipping_job_lock", "tracking-poll", OTHER, Instant.now().minus(lease).minusSeconds(30));
            shipping.pollTrackers();
            assertThat(holder("shipping_job_lock", "tracking-poll")).isEqualTo(OTHER);
        } finally {
            lockRow("shipping_job_lock", "tracking-poll", null, null);
        }
    }

    @Test
    void theMailboxIsPolledByTheLeaseHolderOnly() {
        try {
            lockRow("scheduled_job_lock", "mail-poll", OTHER, Instant.now());
            assertThat(mail.takePoll()).isFalse();
            lockRow("scheduled_job_lock", "mail-poll", me, Instant.now());
            assertThat(mail.takePoll()).isTrue();
        } finally {
            lockRow("scheduled_job_lock", "mail-poll", null, null);
        }
    }

    private double runs(String job) {
        return meters.get("orderhub.scheduled.job.runs").tag("job", job).counter().count();
    }

    private void lockRow(String table, String name, String holder, Instant lastRun) {
        jdbc.update("update " + table + " set holder = ?, last_run = ? where name = ?", holder,
                lastRun == null ? null : Timestamp.from(lastRun), name);
    }

    private String holder(String table, String name) {
        return jdbc.queryForObject("select holder from " + table + " where name = ?", String.class, name);
    }
}
