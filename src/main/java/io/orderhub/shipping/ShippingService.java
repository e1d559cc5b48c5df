package io.orderhub.shipping;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orderhub.common.JobLeases;
import io.orderhub.common.ParallelWork;
import io.orderhub.common.Problem;
import io.orderhub.common.RetryLaterException;
import io.orderhub.inventory.WarehouseWork;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.shipping.CarrierGateway.CarrierShipment;
import io.orderhub.shipping.CarrierGateway.Rate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shipping stage. Packed shipments of ALLOCATED orders get a carrier shipment (rates), a rate
 * chosen by the channel's policy and a bought label; the order becomes SHIPPED when every shipment
 * has one. Tracking updates (webhook or polling) move a parcel's status forward only; the order
 * becomes DELIVERED when every parcel is delivered, then COMPLETED by the completion rule.
 *
 * <p>Never two labels for one parcel: the carrier's shipment id is committed before a label is
 * bought, and every buy after the first attempt asks the carrier first whether the label exists.
 * Every step commits on its own, so a crash between steps repeats no purchase.
 */
@Service
public class ShippingService {

    private static final Logger log = LoggerFactory.getLogger(ShippingService.class);

    /** A parcel row. */
    public record Parcel(String shipmentId, String orderId, String account, String carrierShipmentId, String rateId,
                         String carrier, String service, String trackingCode, String labelUrl, String trackerId,
                         String state, String trackingStatus, int trackingRank, String message, int attempts,
                         String refundStatus, Instant updatedAt) {
    }

    /** What became of a tracking update. */
    public enum Update { APPLIED, STALE, UNKNOWN_PARCEL, DUPLICATE }

    private final NamedParameterJdbcTemplate jdbc;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final WarehouseWork warehouses;
    private final Carriers carriers;
    private final ShippingProperties settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final JobLeases leases;
    private final Duration dispatchInterval;
    private final Duration pollInterval;
    private final Duration completionInterval;
    private final ParallelWork dispatchers;
    private final int dispatchBatch;
    private final org.springframework.beans.factory.ObjectProvider<OtherParcels> otherParcels;

    public ShippingService(NamedParameterJdbcTemplate jdbc, OrderRepository orderRows, OrderService orders,
                           WarehouseWork warehouses, Carriers carriers, ShippingProperties settings, Clock clock,
                           PlatformTransactionManager transactions, JobLeases leases,
                           @Value("${orderhub.shipping.dispatch-interval-ms}") long dispatchIntervalMs,
                           @Value("${orderhub.shipping.poll-interval-ms}") long pollIntervalMs,
                           @Value("${orderhub.shipping.completion-interval-ms}") long completionIntervalMs,
                           @Value("${orderhub.shipping.dispatch-concurrency:8}") int dispatchConcurrency,
                           @Value("${orderhub.shipping.dispatch-batch-size:200}") int dispatchBatch,
                           org.springframework.beans.factory.ObjectProvider<OtherParcels> otherParcels) {
        this.otherParcels = otherParcels;
        this.dispatchers = new ParallelWork("shipping-dispatch", dispatchConcurrency);
        this.dispatchBatch = dispatchBatch;
        this.jdbc = jdbc;
        this.orderRows = orderRows;
        this.orders = orders;
        this.warehouses = warehouses;
        this.carriers = carriers;
        this.settings = settings;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.leases = leases;
        this.dispatchInterval = Duration.ofMillis(dispatchIntervalMs);
        this.pollInterval = Duration.ofMillis(pollIntervalMs);
        this.completionInterval = Duration.ofMillis(completionIntervalMs);
    }

    // ---- dispatch: packed shipments → labels → SHIPPED

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
                    if (dispatch(shipmentId)) {
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

    /** Takes one packed shipment as far as it goes now; true when it has a label afterwards. */
    public boolean dispatch(String shipmentId) {
        Optional<Parcel> existing = parcel(shipmentId);
        WarehouseWork.Shipment shipment = warehouses.ofOrder(orderOf(shipmentId)).stream()
                .filter(s -> s.shipmentId().equals(shipmentId)).findFirst().orElseThrow();
        CanonicalOrder order = orderRows.find(shipment.orderId()).orElseThrow();
        if (order.status() != OrderStatus.ALLOCATED || !"PACKED".equals(shipment.status())) {
            return false;
        }
        ShippingProperties.Policy policy = settings.policy(order.channel(), order.shippingMethod());
        Parcel parcel = existing.orElseGet(() -> newParcel(shipment, policy));
        if (!"NEW".equals(parcel.state())) {
            return "LABELLED".equals(parcel.state());
        }
        CarrierGateway carrier = carriers.gateway(parcel.account());
        try {
            if (parcel.carrierShipmentId() == null) {
                CarrierShipment created = carrier.createShipment(request(shipment, order));
                Optional<Rate> rate;
                try {
                    rate = RateShopping.choose(created.rates(), policy);
                } catch (IllegalArgumentException e) {
                    hold(parcel, e.getMessage());
                    return false;
                }
                if (rate.isEmpty()) {
                    hold(parcel, "the carrier offered no rate for this parcel");
                    return false;
                }
                Rate r = rate.get();
                update(shipmentId, """
                        update parcels set carrier_shipment_id = :cs, rate_id = :rate, carrier = :carrier, service = :service,
                               rate_amount = :amount, rate_currency = :currency, delivery_days = :days, message = null,
                               updated_at = :now where shipment_id = :id
                        """, new MapSqlParameterSource("cs", created.id()).addValue("rate", r.id()).addValue("carrier", r.carrier())
                        .addValue("service", r.service()).addValue("amount", r.amount()).addValue("currency", r.currency())
                        .addValue("days", r.deliveryDays()));
                parcel = parcel(shipmentId).orElseThrow();
            }
            CarrierShipment bought = null;
            if (parcel.attempts() > 0) {
                // an earlier buy may have gone through without our hearing of it: ask before buying again
                CarrierShipment current = carrier.shipment(parcel.carrierShipmentId());
                if (current.purchased()) {
                    bought = current;
                }
            }
            if (bought == null) {
                update(shipmentId, "update parcels set attempts = attempts + 1, updated_at = :now where shipment_id = :id",
                        new MapSqlParameterSource());
                bought = carrier.buy(parcel.carrierShipmentId(), parcel.rateId());
            }
            if (!bought.purchased()) {
                throw new CarrierException("the carrier answered the purchase without a tracking code", true, "MALFORMED", null);
            }
            recordLabel(parcel, bought);
            return true;
        } catch (CarrierException e) {
            if (e.retryable()) {
                update(shipmentId, "update parcels set message = :message, updated_at = :now where shipment_id = :id",
                        new MapSqlParameterSource("message", cut("will retry: " + e.getMessage())));
                log.info("carrier call for {} failed, will retry: {}", shipmentId, e.getMessage());
                return false;
            }
            if ("SHIPMENT.POSTAGE.EXISTS".equals(e.code())) {
                CarrierShipment current = carrier.shipment(parcel(shipmentId).orElseThrow().carrierShipmentId());
                if (current.purchased()) {
                    recordLabel(parcel(shipmentId).orElseThrow(), current);
                    return true;
                }
            }
            hold(parcel(shipmentId).orElseThrow(), e.getMessage());
            return false;
        }
    }

    private Parcel newParcel(WarehouseWork.Shipment shipment, ShippingProperties.Policy policy) {
        String account = policy.account() == null || policy.account().isBlank() ? settings.defaultAccount() : policy.account();
        try {
            tx.executeWithoutResult(s -> jdbc.update("""
                    insert into parcels (shipment_id, order_id, account, state, created_at, updated_at)
                    values (:id, :order, :account, 'NEW', :now, :now)
                    """, new MapSqlParameterSource("id", shipment.shipmentId()).addValue("order", shipment.orderId())
                    .addValue("account", account).addValue("now", Timestamp.from(clock.instant()))));
        } catch (DuplicateKeyException e) {
            // another instance started it
        }
        return parcel(shipment.shipmentId()).orElseThrow();
    }

    private CarrierGateway.ParcelRequest request(WarehouseWork.Shipment s, CanonicalOrder order) {
        CanonicalOrder.Address to = order.shipTo();
        CarrierGateway.Address toAddress = new CarrierGateway.Address(to.name(), to.company(), to.line1(), to.line2(),
                to.city(), to.region(), to.postalCode(), to.country(), to.phone(), to.email());
        var w = s.shipFrom();
        CarrierGateway.Address from = new CarrierGateway.Address(w.name(), null, w.line1(), null, w.city(), null,
                w.postalCode(), w.country(), null, null);
        return new CarrierGateway.ParcelRequest(s.shipmentId(), from, toAddress, s.weightKg());
    }

    private void recordLabel(Parcel parcel, CarrierShipment bought) {
        Boolean cancelled = tx.execute(status -> {
            OrderStatus orderStatus = orderRows.lockStatus(parcel.orderId()).orElseThrow();
            Rate selected = bought.selectedRate();
            String carrierName = selected != null ? selected.carrier() : parcel.carrier();
            String service = selected != null ? selected.service() : parcel.service();
            Instant now = clock.instant();
            jdbc.update("""
                    update parcels set state = 'LABELLED', tracking_code = :code, label_url = :label, tracker_id = :tracker,
                           carrier = :carrier, service = :service, message = null, updated_at = :now
                    where shipment_id = :id and state = 'NEW'
                    """, new MapSqlParameterSource("id", parcel.shipmentId()).addValue("code", bought.trackingCode())
                    .addValue("label", bought.labelUrl()).addValue("tracker", bought.trackerId())
                    .addValue("carrier", carrierName).addValue("service", service).addValue("now", Timestamp.from(now)));
            jdbc.update("""
                    update shipments set status = 'SHIPPED', carrier = :carrier, service = :service, tracking_number = :code
                    where shipment_id = :id
                    """, new MapSqlParameterSource("id", parcel.shipmentId()).addValue("carrier", carrierName)
                    .addValue("service", service).addValue("code", bought.trackingCode()));
            orderRows.addEvent(parcel.orderId(), new OrderEvent(now, "shipment.labelled", null, null,
                    parcel.shipmentId() + ": " + carrierName + " " + service + ", tracking " + bought.trackingCode()
                            + (bought.labelUrl() == null ? "" : ", label " + bought.labelUrl())));
            if (orderStatus == OrderStatus.CANCELLED) {
                return true;
            }
            if (orderStatus == OrderStatus.ALLOCATED && allLabelled(parcel.orderId())) {
                orders.transition(parcel.orderId(), OrderStatus.SHIPPED, "order.shipped", "every shipment is with a carrier: "
                        + summary(parcel.orderId()), Map.of("shipments", shipmentsData(parcel.orderId())));
                settleDelivery(parcel.orderId());
            }
            return false;
        });
        if (Boolean.TRUE.equals(cancelled)) {
            // the order was cancelled while its label was being bought: give the label back
            voidLabel(parcel(parcel.shipmentId()).orElseThrow(), "order cancelled while the label was bought");
        }
    }

    private boolean allLabelled(String orderId) {
        Integer open = jdbc.queryForObject("""
                select count(*) from shipments where order_id = :id and status <> 'CANCELLED' and tracking_number is null
                """, new MapSqlParameterSource("id", orderId), Integer.class);
        return open != null && open == 0;
    }

    /** The event data's {@code shipments}: [{shipmentId, warehouse, carrier, service, trackingNumber, labelUrl}]. */
    private List<Map<String, Object>> shipmentsData(String orderId) {
        return jdbc.query("""
                select s.shipment_id, s.warehouse_id, s.carrier, s.service, s.tracking_number, p.label_url
                from shipments s left join parcels p on p.shipment_id = s.shipment_id
                where s.order_id = :id and s.tracking_number is not null order by s.shipment_id
                """, new MapSqlParameterSource("id", orderId), (rs, n) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shipmentId", rs.getString("shipment_id"));
            m.put("warehouse", rs.getString("warehouse_id"));
            m.put("carrier", rs.getString("carrier"));
            m.put("service", rs.getString("service"));
            m.put("trackingNumber", rs.getString("tracking_number"));
            if (rs.getString("label_url") != null) {
                m.put("labelUrl", rs.getString("label_url"));
            }
            return m;
        });
    }

    private String summary(String orderId) {
        return String.join(", ", jdbc.queryForList("""
                select shipment_id || ' ' || carrier || ' ' || tracking_number from shipments
                where order_id = :id and tracking_number is not null order by shipment_id
                """, new MapSqlParameterSource("id", orderId), String.class));
    }

    private void hold(Parcel parcel, String carrierMessage) {
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            jdbc.update("update parcels set state = 'HELD', message = :m, updated_at = :now where shipment_id = :id",
                    new MapSqlParameterSource("id", parcel.shipmentId()).addValue("m", cut(carrierMessage))
                            .addValue("now", Timestamp.from(now)));
            jdbc.update("update shipments set status = 'HELD' where shipment_id = :id and status = 'PACKED'",
                    new MapSqlParameterSource("id", parcel.shipmentId()));
            orderRows.addEvent(parcel.orderId(), new OrderEvent(now, "shipment.held", null, null, parcel.shipmentId()
                    + " is on hold for operations: the carrier (" + parcel.account() + ") refused it: " + carrierMessage));
        });
        log.warn("shipment {} of order {} on hold: {}", parcel.shipmentId(), parcel.orderId(), carrierMessage);
    }

    /**
     * Puts a held parcel back in the dispatcher's queue (after operations fixed the address): a new
     * carrier shipment is created on the next run.
     */
    public Parcel release(String shipmentId) {
        tx.executeWithoutResult(s -> {
            jdbc.update("""
                    update parcels set state = 'NEW', carrier_shipment_id = null, rate_id = null, attempts = 0, updated_at = :now
                    where shipment_id = :id and state = 'HELD'
                    """, new MapSqlParameterSource("id", shipmentId).addValue("now", Timestamp.from(clock.instant())));
            jdbc.update("update shipments set status = 'PACKED' where shipment_id = :id and status = 'HELD'",
                    new MapSqlParameterSource("id", shipmentId));
        });
        return parcel(shipmentId).orElseThrow();
    }

    // ---- tracking: status only moves forward; DELIVERED when every parcel is; COMPLETED by the rule

    /** A tracker.updated event from a webhook: applied once per event id. */
    public Update onWebhookEvent(String account, String eventId, CarrierGateway.Tracking tracking) {
        return tx.execute(s -> {
            try {
                jdbc.update("insert into carrier_events (account, event_id, received_at) values (:a, :e, :now)",
                        new MapSqlParameterSource("a", account).addValue("e", eventId)
                                .addValue("now", Timestamp.from(clock.instant())));
            } catch (DuplicateKeyException e) {
                return Update.DUPLICATE;
            }
            return apply(account, tracking);
        });
    }

    /** Applies a tracker's status to its parcel (webhook or polling). */
    public Update apply(String account, CarrierGateway.Tracking tracking) {
        return tx.execute(s -> {
            List<Map<String, Object>> found = jdbc.queryForList("select shipment_id, order_id, state from parcels where account = :a and "
                    + (tracking.trackerId() != null ? "(tracker_id = :tracker or tracking_code = :code" : "(tracking_code = :code")
                    + (tracking.shipmentId() != null ? " or carrier_shipment_id = :cs)" : ")"),
                    new MapSqlParameterSource("a", account).addValue("tracker", tracking.trackerId())
                    .addValue("code", tracking.trackingCode()).addValue("cs", tracking.shipmentId()));
            if (!found.isEmpty() && "NEW".equals(found.get(0).get("state"))) {
                // the carrier sold the label and tracks it, but the hub has not recorded the purchase yet:
                // not now (the carrier sends the event again), rather than lose the status
                throw new RetryLaterException(Problem.UNAVAILABLE, "result.shipment_id", "the label of shipment "
                        + found.get(0).get("shipment_id") + " is still being recorded; send the event again", 2);
            }
            if (found.isEmpty()) {
                // a return label's parcel, say: its owner applies the update
                for (OtherParcels other : otherParcels.orderedStream().toList()) {
                    if (other.track(account, tracking)) {
                        return Update.APPLIED;
                    }
                }
                return Update.UNKNOWN_PARCEL;
            }
            String shipmentId = (String) found.get(0).get("shipment_id");
            String orderId = (String) found.get(0).get("order_id");
            orderRows.lockStatus(orderId);
            Parcel parcel = jdbc.query("select * from parcels where shipment_id = :id for update",
                    new MapSqlParameterSource("id", shipmentId), (rs, n) -> row(rs)).get(0);
            int rank = TrackingStatus.rank(tracking.status());
            if (rank <= parcel.trackingRank() || !"LABELLED".equals(parcel.state())) {
                return Update.STALE;
            }
            Instant now = clock.instant();
            boolean delivered = TrackingStatus.DELIVERED.equals(tracking.status());
            jdbc.update("""
                    update parcels set tracking_status = :status, tracking_rank = :rank, updated_at = :now
                    where shipment_id = :id
                    """, new MapSqlParameterSource("id", shipmentId).addValue("status", tracking.status())
                    .addValue("rank", rank).addValue("now", Timestamp.from(now)));
            if (delivered) {
                jdbc.update("update parcels set delivered_at = :now where shipment_id = :id",
                        new MapSqlParameterSource("id", shipmentId).addValue("now", Timestamp.from(now)));
                jdbc.update("update shipments set status = 'DELIVERED' where shipment_id = :id",
                        new MapSqlParameterSource("id", shipmentId));
            }
            orderRows.addEvent(orderId, new OrderEvent(now, "shipment." + tracking.status(), null, null,
                    shipmentId + " (" + parcel.carrier() + " " + parcel.trackingCode() + "): " + tracking.status()));
            settleDelivery(orderId);
            return Update.APPLIED;
        });
    }

    /** SHIPPED → DELIVERED when every parcel is delivered; then COMPLETED at once when there is no hold. */
    private void settleDelivery(String orderId) {
        OrderStatus status = orderRows.lockStatus(orderId).orElseThrow();
        if (status != OrderStatus.SHIPPED) {
            return;
        }
        Integer undelivered = jdbc.queryForObject("""
                select count(*) from shipments where order_id = :id and status <> 'CANCELLED' and status <> 'DELIVERED'
                """, new MapSqlParameterSource("id", orderId), Integer.class);
        if (undelivered == null || undelivered > 0) {
            return;
        }
        orders.transition(orderId, OrderStatus.DELIVERED, "order.delivered", "the carrier reports every shipment delivered");
        if (settings.completionHold().isZero()) {
            orders.transition(orderId, OrderStatus.COMPLETED, "order.completed", "completed on delivery");
        }
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
            page = jdbc.query("""
                    select * from parcels where state = 'LABELLED' and tracking_rank < :delivered and shipment_id > :after
                    order by shipment_id limit 200
                    """, new MapSqlParameterSource("delivered", TrackingStatus.rank(TrackingStatus.DELIVERED))
                    .addValue("after", after), (rs, n) -> row(rs));
            for (Parcel p : page) {
                after = p.shipmentId();
                if (!carriers.account(p.account()).map(ShippingProperties.Account::pollTracking).orElse(false)
                        || p.trackerId() == null) {
                    continue;
                }
                try {
                    if (apply(p.account(), carriers.gateway(p.account()).tracker(p.trackerId())) == Update.APPLIED) {
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

    // ---- cancellation: void labels where the carrier allows it

    /** Asks the carrier to refund a parcel's label and records the answer; never fails the caller. */
    void voidLabel(Parcel parcel, String reason) {
        String result;
        try {
            result = "refund " + carriers.gateway(parcel.account()).refund(parcel.carrierShipmentId());
        } catch (CarrierException e) {
            result = "refund refused: " + e.getMessage();
        } catch (RuntimeException e) {
            result = "refund failed: " + e.getMessage();
        }
        String outcome = result;
        tx.executeWithoutResult(s -> {
            Instant now = clock.instant();
            jdbc.update("update parcels set state = 'VOIDED', refund_status = :r, updated_at = :now where shipment_id = :id",
                    new MapSqlParameterSource("id", parcel.shipmentId()).addValue("r", cut(outcome))
                            .addValue("now", Timestamp.from(now)));
            orderRows.addEvent(parcel.orderId(), new OrderEvent(now, "shipment.voided", null, null,
                    parcel.shipmentId() + " (" + parcel.carrier() + " " + parcel.trackingCode() + "): " + reason + "; " + outcome));
        });
    }

    // ---- queries

    public Optional<Parcel> parcel(String shipmentId) {
        return jdbc.query("select * from parcels where shipment_id = :id", new MapSqlParameterSource("id", shipmentId),
                (rs, n) -> row(rs)).stream().findFirst();
    }

    public List<Parcel> parcelsOf(String orderId) {
        return jdbc.query("select * from parcels where order_id = :id order by shipment_id",
                new MapSqlParameterSource("id", orderId), (rs, n) -> row(rs));
    }

    /** Parcels the carrier refused, for operations. */
    public List<Parcel> held() {
        return jdbc.query("select * from parcels where state = 'HELD' order by updated_at limit 500",
                new MapSqlParameterSource(), (rs, n) -> row(rs));
    }

    private String orderOf(String shipmentId) {
        return jdbc.queryForObject("select order_id from shipments where shipment_id = :id",
                new MapSqlParameterSource("id", shipmentId), String.class);
    }

    private void update(String shipmentId, String sql, MapSqlParameterSource params) {
        tx.executeWithoutResult(s -> jdbc.update(sql, params.addValue("id", shipmentId)
                .addValue("now", Timestamp.from(clock.instant()))));
    }

    private static Parcel row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Parcel(rs.getString("shipment_id"), rs.getString("order_id"), rs.getString("account"),
                rs.getString("carrier_shipment_id"), rs.getString("rate_id"), rs.getString("carrier"), rs.getString("service"),
                rs.getString("tracking_code"), rs.getString("label_url"), rs.getString("tracker_id"), rs.getString("state"),
                rs.getString("tracking_status"), rs.getInt("tracking_rank"), rs.getString("message"), rs.getInt("attempts"),
                rs.getString("refund_status"), rs.getTimestamp("updated_at").toInstant());
    }

    private static String cut(String s) {
        return s == null ? null : s.length() > 1900 ? s.substring(0, 1900) + "…" : s;
    }
}
