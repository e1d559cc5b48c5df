package io.orderhub.shipping;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.orderhub.common.Problem;
import io.orderhub.common.RetryLaterException;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.shipping.ShippingService.Parcel;
import io.orderhub.shipping.ShippingService.Update;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tracking updates (carrier webhook or polling): a parcel's status only moves forward; the order
 * becomes DELIVERED when every parcel is delivered, and COMPLETED at once when there is no
 * completion hold. Updates for parcels the shipping stage does not own (return labels) go to their
 * {@link OtherParcels} owner.
 */
@Component
class TrackingUpdates {

    private final NamedParameterJdbcTemplate jdbc;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final ShippingProperties settings;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final ObjectProvider<OtherParcels> otherParcels;

    TrackingUpdates(NamedParameterJdbcTemplate jdbc, OrderRepository orderRows, OrderService orders,
                    ShippingProperties settings, Clock clock, PlatformTransactionManager transactions,
                    ObjectProvider<OtherParcels> otherParcels) {
        this.jdbc = jdbc;
        this.orderRows = orderRows;
        this.orders = orders;
        this.settings = settings;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.otherParcels = otherParcels;
    }

    /** A tracker.updated event from a webhook: applied once per event id. */
    Update onWebhookEvent(String account, String eventId, CarrierGateway.Tracking tracking) {
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
    Update apply(String account, CarrierGateway.Tracking tracking) {
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
                    new MapSqlParameterSource("id", shipmentId), (rs, n) -> ParcelStore.row(rs)).get(0);
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
    void settleDelivery(String orderId) {
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
}
