package io.orderhub.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When a job's thread runs the job: at once when something woke it ({@link #wake}: work was committed on this
 * instance), otherwise once its interval since the last run is over. A job with an idle backoff looks less often
 * while it finds nothing: after {@code idleThreshold} runs in a row that found nothing ({@link #ran}), only every
 * {@code idleMultiplier + 1}th interval, until a run finds work again or a wake-up comes. One thread waits on a
 * schedule ({@link #awaitDue}); the Camel scheduler that runs a route's poll from it is
 * {@code io.orderhub.messaging.camel.ScheduleTrigger}.
 */
public class WakeableSchedule {

    private final Clock clock;
    private final Duration interval;
    private final int idleThreshold;
    private final int idleMultiplier;
    private final Object lock = new Object();
    private volatile boolean woken = true;
    private Instant lastRun = Instant.EPOCH;
    private int idleRuns;

    /** A schedule without idle backoff: a run when woken, and at least once per interval. */
    public WakeableSchedule(Clock clock, Duration interval) {
        this(clock, interval, 0, 0);
    }

    /**
     * @param idleThreshold  runs in a row that found nothing before the job backs off (0 counts as 1)
     * @param idleMultiplier intervals skipped between looks while backed off; 0: never backs off
     */
    public WakeableSchedule(Clock clock, Duration interval, int idleThreshold, int idleMultiplier) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        if (idleThreshold < 0 || idleMultiplier < 0) {
            throw new IllegalArgumentException("idle backoff threshold and multiplier must not be negative, were "
                    + idleThreshold + " and " + idleMultiplier);
        }
        this.clock = clock;
        this.interval = interval;
        this.idleThreshold = Math.max(1, idleThreshold);
        this.idleMultiplier = idleMultiplier;
    }

    /** Work was committed: the job runs now, or right after the run in progress. Returns at once. */
    public void wake() {
        if (woken) {
            // already due: the committing threads need not meet on the lock
            return;
        }
        synchronized (lock) {
            woken = true;
            lock.notifyAll();
        }
    }

    /** What the run found: nothing (counts towards the idle backoff) or work (ends it). */
    public void ran(boolean foundWork) {
        synchronized (lock) {
            idleRuns = foundWork ? 0 : Math.min(idleRuns + 1, idleThreshold);
        }
    }

    /** Whether the job runs now; a true answer counts as the run. */
    public boolean due() {
        synchronized (lock) {
            Instant now = clock.instant();
            if (woken || !now.isBefore(lastRun.plus(gap()))) {
                woken = false;
                lastRun = now;
                return true;
            }
            return false;
        }
    }

    /** Waits until the job is due ({@link #due}): woken, or its current interval since the last run is over. */
    public void awaitDue() throws InterruptedException {
        synchronized (lock) {
            while (!due()) {
                long waitMs = Math.max(1, Duration.between(clock.instant(), lastRun.plus(gap())).toMillis());
                lock.wait(waitMs);
            }
        }
    }

    /** The time between two runs that nothing woke: the interval, or (multiplier + 1) intervals while backed off. */
    private Duration gap() {
        return idleMultiplier > 0 && idleRuns >= idleThreshold ? interval.multipliedBy(idleMultiplier + 1L) : interval;
    }
}
