package io.orderhub.shipping;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.common.JobLeases;
import io.orderhub.common.ParallelWork;
import io.orderhub.common.WakeableSchedule;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.shipping.ShippingService.Parcel;
import io.orderhub.shipping.ShippingService.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The shipping jobs, run by the timers in {@code routes/shipping.camel.yaml}: the dispatcher (labels
 * for packed shipments, orders in parallel), the tracker poll for accounts without webhooks, and the
 * completion of delivered orders after the hold. The timers run in every instance; each job takes its
 * lease ({@link JobLeases}), so one instance does the work, once per interval.
 */
@Component("shippingJobs")
public class ShippingJobs {

    private static final Logger log = LoggerFactory.getLogger(ShippingJobs.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ParcelStore parcels;
    private final LabelPurchase labels;
    private final TrackingUpdates tracking;
    private final OrderService orders;
    private final Carriers carriers;
    private final ShippingProperties settings;
    private final Clock clock;
    private final JobLeases leases;
    private final Duration dispatchInterval;
    private final Duration pollInterval;
    private final Duration completionInterval;
    private final ParallelWork dispatchers;
    private final int dispatchBatch;
    private final WakeableSchedule dispatchSchedule;
    private final WakeableSchedule completionSchedule;

    ShippingJobs(NamedParameterJdbcTemplate jdbc, ParcelStore parcels, LabelPurchase labels, TrackingUpdates tracking,
                 OrderService orders, Carriers carriers, ShippingProperties settings, Clock clock, JobLeases leases,
                 ShippingJobProperties jobs, @Qualifier("dispatchSchedule") WakeableSchedule dispatchSchedule,
                 @Qualifier("completionSchedule") WakeableSchedule completionSchedule) {
        this.jdbc = jdbc;
        this.parcels = parcels;
        this.labels = labels;
        this.tracking = tracking;
        this.orders = orders;
        this.carriers = carriers;
        this.settings = settings;
        this.clock = clock;
        this.leases = leases;
        this.dispatchers = new ParallelWork("shipping-dispatch", jobs.dispatchConcurrency());
        this.dispatchBatch = jobs.dispatchBatchSize();
        this.dispatchInterval = Duration.ofMillis(jobs.dispatchIntervalMs());
        this.pollInterval = Duration.ofMillis(jobs.pollIntervalMs());
        this.completionInterval = Duration.ofMillis(jobs.completionIntervalMs());
        this.dispatchSchedule = dispatchSchedule;
        this.completionSchedule = completionSchedule;
    }

    /**
     * The dispatch route's run (its schedule: a packing committed here, or the interval, longer while idle): one run
     * of the dispatcher; returns how many shipments it labelled.
     */
    public int dispatch() {
        int n = dispatchPacked().size();
        dispatchSchedule.ran(n > 0);
        if (n > 0) {
            log.info("labelled {} shipments", n);
        }
        return n;
    }

    /** The completion route's run (its interval, longer while idle): returns how many orders became COMPLETED. */
    public int complete() {
        int n = completeDue().size();
        completionSchedule.ran(n > 0);
        return n;
    }

    /** One run of the dispatcher (one instance at a time); returns the shipments it labelled. */
    public List<String> dispatchPacked() {
        if (!leases.acquireNow(JobLeases.Job.DISPATCH, dispatchInterval)) {
            return List.of();
        }
        // the shipments of one order in one task, one after the other; the orders in parallel (dispatch-concurrency)
        Map<String, List<String>> byOrder = new LinkedHashMap<>();
        jdbc.query("""
                select s.shipment_id, s.order_id from shipments s
                join orders o on o.order_id = s.order_id
                left join parcels p on p.shipment_id = s.shipment_id
                where s.status = 'PACKED' and o.status = 'ALLOCATED' and (p.state is null or p.state = 'NEW')
                order by s.packed_at, s.shipment_id limit :limit
                """, new MapSqlParameterSource("limit", dispatchBatch), rs -> {
            byOrder.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(rs.getString(1));
        });
        List<String> labelled = new ArrayList<>();
        dispatchers.each(byOrder.values(), shipmentIds -> {
            List<String> done = new ArrayList<>();
            if (!leases.renew(JobLeases.Job.DISPATCH)) {
                // a run longer than the lease: another instance has the job now; it carries on
                return done;
            }
            for (String shipmentId : shipmentIds) {
                try {
                    if (labels.dispatch(shipmentId)) {
                        done.add(shipmentId);
                    }
                } catch (RuntimeException e) {
                    log.warn("shipment {} not dispatched this time: {}", shipmentId, e.toString());
                }
            }
            return done;
        }).forEach(labelled::addAll);
        return labelled;
    }

    @jakarta.annotation.PreDestroy
    void stopDispatchers() {
        dispatchers.close();
    }

    /** Polls the trackers of accounts without webhooks (one instance at a time); returns the updates applied. */
    public int pollTrackers() {
        if (!leases.acquireNow(JobLeases.Job.TRACKING_POLL, pollInterval)) {
            return 0;
        }
        int applied = 0;
        // every parcel in transit, page by page in key order: parcels a carrier never moves must not starve the rest
        String after = "";
        List<Parcel> page;
        do {
            page = parcels.inTransitAfter(after, 200);
            for (Parcel p : page) {
                after = p.shipmentId();
                if (!carriers.account(p.account()).map(ShippingProperties.Account::pollTracking).orElse(false)
                        || p.trackerId() == null) {
                    continue;
                }
                try {
                    if (tracking.apply(p.account(), carriers.gateway(p.account()).tracker(p.trackerId())) == Update.APPLIED) {
                        applied++;
                    }
                } catch (CarrierException e) {
                    log.info("tracker {} of {} not polled this time: {}", p.trackerId(), p.shipmentId(), e.getMessage());
                }
            }
        } while (page.size() == 200);
        return applied;
    }

    /** DELIVERED orders whose hold has passed become COMPLETED (one instance at a time). */
    public List<String> completeDue() {
        if (settings.completionHold().isZero() || !leases.acquireNow(JobLeases.Job.COMPLETION, completionInterval)) {
            return List.of();
        }
        Instant before = clock.instant().minus(settings.completionHold());
        List<String> due = jdbc.queryForList("""
                select o.order_id from orders o join parcels p on p.order_id = o.order_id
                where o.status = 'DELIVERED' group by o.order_id having max(p.delivered_at) <= :before
                """, new MapSqlParameterSource("before", Timestamp.from(before)), String.class);
        List<String> done = new ArrayList<>();
        for (String orderId : due) {
            try {
                orders.transition(orderId, OrderStatus.COMPLETED, "order.completed",
                        "completed " + settings.completionHold() + " after delivery");
                done.add(orderId);
            } catch (RuntimeException e) {
                log.info("order {} not completed: {}", orderId, e.getMessage());
            }
        }
        return done;
    }
}
