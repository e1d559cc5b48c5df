package io.orderhub.returns;

import java.util.LinkedHashMap;
import java.util.Map;

import io.orderhub.common.JobLeases;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The returns job (routes/returns-jobs.camel.yaml): buys labels the carrier could not sell at request time,
 * polls return trackers of accounts without webhooks, settles received returns whose refund waited for the
 * gateway, closes settled ones. One instance per interval ({@link JobLeases}).
 */
@Component("returnJobs")
public class ReturnJobs {

    private final ReturnLabels labels;
    private final ReturnService returns;
    private final JobLeases leases;
    private final java.time.Duration interval;

    public ReturnJobs(ReturnLabels labels, ReturnService returns, JobLeases leases,
                      @Value("${orderhub.returns.job-interval-ms}") long intervalMs) {
        this.labels = labels;
        this.returns = returns;
        this.leases = leases;
        this.interval = java.time.Duration.ofMillis(intervalMs);
    }

    /** One run; what each part did. */
    public Map<String, Integer> run() {
        Map<String, Integer> done = new LinkedHashMap<>();
        if (!leases.acquireNow(JobLeases.Job.RETURNS, interval)) {
            return done;
        }
        done.put("labelsBought", labels.buyMissing());
        done.put("trackersPolled", labels.pollTrackers());
        done.put("settled", returns.settleReceived());
        done.put("closed", returns.closeSettled());
        return done;
    }
}
