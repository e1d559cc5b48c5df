package io.orderhub.planning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.orderhub.common.JobLeases;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The reorder monitor, run by the timer in {@code routes/planning-jobs.camel.yaml}: detects the
 * reorder-point crossings of the stored figures so each is sent to the ERP once.
 */
@Component("reorderMonitor")
public class ReorderMonitor {

    private final PlanningRepository repo;
    private final Clock clock;
    private final JobLeases leases;
    private final Duration reorderCheckInterval;

    ReorderMonitor(PlanningRepository repo, Clock clock, JobLeases leases, PlanningProperties settings) {
        this.repo = repo;
        this.clock = clock;
        this.leases = leases;
        this.reorderCheckInterval = Duration.ofMillis(settings.reorderCheckIntervalMs());
    }

    /**
     * Marks new reorder-point crossings and returns the suggestions not yet sent to the ERP (up to 100).
     * Runs in the caller's transaction, which holds the check's lock until the suggestions are sent and
     * marked ({@link #markNotified}); empty when another instance holds it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<ReorderSuggestion> claimCrossings() {
        Instant now = clock.instant();
        if (!leases.acquire(JobLeases.Job.REORDER_CHECK, reorderCheckInterval, Duration.ZERO)) {
            return List.of();
        }
        Set<String> marked = new HashSet<>(repo.markedBelow());
        Set<String> below = new HashSet<>();
        for (PlanningRepository.Below b : repo.belowReorderPoint()) {
            String key = b.sku() + "\t" + b.warehouse();
            below.add(key);
            if (!marked.contains(key)) {
                repo.markCrossed(b, UUID.randomUUID().toString(), now);
            }
        }
        for (String key : marked) {
            if (!below.contains(key)) {
                String[] parts = key.split("\t", 2);
                repo.markAbove(parts[0], parts[1]);
            }
        }
        List<ReorderSuggestion> pending = new ArrayList<>();
        for (PlanningRepository.Crossing c : repo.unnotified(100)) {
            pending.add(new ReorderSuggestion(c.suggestionId(), c.sku(), c.warehouse(), c.available(), c.reorderPoint(),
                    c.quantity(), c.quantity() == null ? "no order quantity (see the SKU's planning figures)" : null,
                    c.crossedAt(), null));
        }
        return pending;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void markNotified(List<ReorderSuggestion> sent) {
        repo.markNotified(sent.stream().map(ReorderSuggestion::suggestionId).toList(), clock.instant());
    }
}
