package io.orderhub.shipping;

import static io.orderhub.shipping.ParcelStore.cut;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orderhub.inventory.WarehouseWork;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderEvent;
import io.orderhub.order.OrderRepository;
import io.orderhub.order.OrderService;
import io.orderhub.order.OrderStatus;
import io.orderhub.shipping.CarrierGateway.CarrierShipment;
import io.orderhub.shipping.CarrierGateway.Rate;
import io.orderhub.shipping.ShippingService.Parcel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Label purchase for one packed shipment of an ALLOCATED order: a carrier shipment (rates), a rate
 * chosen by the channel's policy, then the bought label; the order becomes SHIPPED when every
 * shipment has one. Parcels the carrier refuses are held for operations, and released by them.
 * Labels of cancelled orders are voided (refunded) where the carrier allows it.
 *
 * <p>Never two labels for one parcel: the carrier's shipment id is committed before a label is
 * bought, and every buy after the first attempt asks the carrier first whether the label exists.
 * Every step commits on its own, so a crash between steps repeats no purchase.
 */
@Component
class LabelPurchase {

    private static final Logger log = LoggerFactory.getLogger(LabelPurchase.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ParcelStore parcels;
    private final OrderRepository orderRows;
    private final OrderService orders;
    private final WarehouseWork warehouses;
    private final Carriers carriers;
    private final ShippingProperties settings;
    private final TrackingUpdates tracking;
    private final Clock clock;
    private final TransactionTemplate tx;

    LabelPurchase(NamedParameterJdbcTemplate jdbc, ParcelStore parcels, OrderRepository orderRows, OrderService orders,
                  WarehouseWork warehouses, Carriers carriers, ShippingProperties settings, TrackingUpdates tracking,
                  Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.parcels = parcels;
        this.orderRows = orderRows;
        this.orders = orders;
        this.warehouses = warehouses;
        this.carriers = carriers;
        this.settings = settings;
        this.tracking = tracking;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Takes one packed shipment as far as it goes now; true when it has a label afterwards. */
    public boolean dispatch(String shipmentId) {
        Optional<Parcel> existing = parcel(shipmentId);
        WarehouseWork.Shipment shipment = warehouses.ofOrder(parcels.orderOf(shipmentId)).stream()
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
                tracking.settleDelivery(parcel.orderId());
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

    private Optional<Parcel> parcel(String shipmentId) {
        return parcels.parcel(shipmentId);
    }

    private void update(String shipmentId, String sql, MapSqlParameterSource params) {
        parcels.update(shipmentId, sql, params);
    }
}
