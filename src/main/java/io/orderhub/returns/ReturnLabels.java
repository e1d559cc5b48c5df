package io.orderhub.returns;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orderhub.common.Problem;
import io.orderhub.common.RetryLaterException;
import io.orderhub.inventory.CatalogueRepository;
import io.orderhub.inventory.Product;
import io.orderhub.inventory.WarehouseWork;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import io.orderhub.returns.ReturnRepository.Label;
import io.orderhub.returns.ReturnRepository.Row;
import io.orderhub.shipping.CarrierException;
import io.orderhub.shipping.CarrierGateway;
import io.orderhub.shipping.CarrierGateway.CarrierShipment;
import io.orderhub.shipping.CarrierGateway.Rate;
import io.orderhub.shipping.Carriers;
import io.orderhub.shipping.OtherParcels;
import io.orderhub.shipping.RateShopping;
import io.orderhub.shipping.ShippingProperties;
import io.orderhub.shipping.TrackingStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Return labels, bought from the carrier through the same EasyPost client as outbound labels: a shipment with
 * {@code is_return} (the outbound parcel's addresses, swapped by the carrier), the cheapest rate, the purchase.
 * Never two labels for one return: the carrier's shipment id is committed before the purchase, and a purchase
 * after a failed attempt first asks the carrier whether the label exists. A bought label moves the return
 * REQUESTED → AUTHORIZED (event return.authorized with the label); the carrier's tracking moves it to IN_TRANSIT
 * and records its arrival at the warehouse (webhook through the shipping stage, {@link OtherParcels}, or polling).
 */
@Component
public class ReturnLabels implements OtherParcels {

    private static final Logger log = LoggerFactory.getLogger(ReturnLabels.class);

    private final ReturnRepository returns;
    private final ReturnTransitions moves;
    private final OrderRepository orderRows;
    private final Carriers carriers;
    private final ShippingProperties shipping;
    private final ReturnProperties settings;
    private final WarehouseWork warehouses;
    private final CatalogueRepository catalogue;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ReturnLabels(ReturnRepository returns, ReturnTransitions moves, OrderRepository orderRows, Carriers carriers,
                        ShippingProperties shipping, ReturnProperties settings, WarehouseWork warehouses,
                        CatalogueRepository catalogue, TransactionTemplate tx, Clock clock) {
        this.returns = returns;
        this.moves = moves;
        this.orderRows = orderRows;
        this.carriers = carriers;
        this.shipping = shipping;
        this.settings = settings;
        this.warehouses = warehouses;
        this.catalogue = catalogue;
        this.tx = tx;
        this.clock = clock;
    }

    /** The carrier account return labels are bought from. */
    public String account() {
        return settings.carrierAccount() == null || settings.carrierAccount().isBlank() ? shipping.defaultAccount()
                : settings.carrierAccount();
    }

    /** Takes a REQUESTED return's label as far as it goes now; true when it has one afterwards. */
    public boolean buy(String returnId) {
        Row row = returns.find(returnId).orElseThrow();
        Label label = returns.label(returnId).orElseThrow();
        if (row.status() != ReturnStatus.REQUESTED || !"NEW".equals(label.state())) {
            return "LABELLED".equals(label.state());
        }
        CanonicalOrder order = orderRows.find(row.orderId()).orElseThrow();
        CarrierGateway carrier = carriers.gateway(label.account());
        try {
            if (label.carrierShipmentId() == null) {
                CarrierShipment created = carrier.createShipment(request(row, order));
                Optional<Rate> rate = RateShopping.choose(created.rates(), shipping.policy(order.channel(), "default"));
                if (rate.isEmpty()) {
                    hold(returnId, "the carrier offered no rate for the return parcel");
                    return false;
                }
                Rate r = rate.get();
                update(returnId, """
                        update return_labels set carrier_shipment_id = :cs, rate_id = :rate, carrier = :carrier,
                               service = :service, message = null, updated_at = :now where return_id = :id
                        """, new MapSqlParameterSource("cs", created.id()).addValue("rate", r.id())
                        .addValue("carrier", r.carrier()).addValue("service", r.service()));
                label = returns.label(returnId).orElseThrow();
            }
            CarrierShipment bought = null;
            if (label.attempts() > 0) {
                CarrierShipment current = carrier.shipment(label.carrierShipmentId());
                if (current.purchased()) {
                    bought = current;
                }
            }
            if (bought == null) {
                update(returnId, "update return_labels set attempts = attempts + 1, updated_at = :now where return_id = :id",
                        new MapSqlParameterSource());
                bought = carrier.buy(label.carrierShipmentId(), label.rateId());
            }
            if (!bought.purchased()) {
                throw new CarrierException("the carrier answered the purchase without a tracking code", true, "MALFORMED", null);
            }
            return record(returnId, bought);
        } catch (CarrierException e) {
            if (e.retryable()) {
                update(returnId, "update return_labels set message = :m, updated_at = :now where return_id = :id",
                        new MapSqlParameterSource("m", cut("will retry: " + e.getMessage())));
                log.info("return label of {} not bought, will retry: {}", returnId, e.getMessage());
                return false;
            }
            if ("SHIPMENT.POSTAGE.EXISTS".equals(e.code())) {
                CarrierShipment current = carrier.shipment(returns.label(returnId).orElseThrow().carrierShipmentId());
                if (current.purchased()) {
                    return record(returnId, current);
                }
            }
            hold(returnId, e.getMessage());
            return false;
        }
    }

    private CarrierGateway.ParcelRequest request(Row row, CanonicalOrder order) {
        CanonicalOrder.Address to = order.shipTo();
        CarrierGateway.Address customer = new CarrierGateway.Address(to.name(), to.company(), to.line1(), to.line2(),
                to.city(), to.region(), to.postalCode(), to.country(), to.phone(), to.email());
        // back to the warehouse the order left from
        var shipments = warehouses.ofOrder(order.orderId());
        if (shipments.isEmpty()) {
            throw new CarrierException("order " + order.orderId() + " has no shipment to return to", false, "NO_SHIPMENT", null);
        }
        var w = shipments.get(0).shipFrom();
        CarrierGateway.Address warehouse = new CarrierGateway.Address(w.name(), null, w.line1(), null, w.city(), null,
                w.postalCode(), w.country(), null, null);
        List<ReturnRepository.Line> lines = returns.lines(row.returnId());
        Map<String, Product> products = catalogue.products(lines.stream().map(ReturnRepository.Line::sku).toList());
        BigDecimal kg = BigDecimal.ZERO;
        for (ReturnRepository.Line l : lines) {
            Product p = products.get(l.sku());
            BigDecimal each = p == null || p.weightKg() == null ? new BigDecimal("0.5") : p.weightKg();
            kg = kg.add(each.multiply(BigDecimal.valueOf(l.quantity())));
        }
        return new CarrierGateway.ParcelRequest(row.returnId(), warehouse, customer,
                kg.signum() > 0 ? kg : new BigDecimal("0.5"), true);
    }

    /** Records the bought label and authorizes the return; a return cancelled meanwhile gets its label voided. */
    private boolean record(String returnId, CarrierShipment bought) {
        Boolean cancelled = tx.execute(s -> {
            Row row = returns.find(returnId).orElseThrow();
            orderRows.lockStatus(row.orderId());
            ReturnStatus status = returns.lockStatus(returnId).orElseThrow();
            Rate selected = bought.selectedRate();
            Label label = returns.lockLabel(returnId).orElseThrow();
            String carrierName = selected != null ? selected.carrier() : label.carrier();
            String service = selected != null ? selected.service() : label.service();
            update(returnId, """
                    update return_labels set state = 'LABELLED', tracking_code = :code, label_url = :url, tracker_id = :tracker,
                           carrier = :carrier, service = :service, message = null, updated_at = :now
                    where return_id = :id and state = 'NEW'
                    """, new MapSqlParameterSource("code", bought.trackingCode()).addValue("url", bought.labelUrl())
                    .addValue("tracker", bought.trackerId()).addValue("carrier", carrierName).addValue("service", service));
            if (status != ReturnStatus.REQUESTED) {
                return status == ReturnStatus.CANCELLED;
            }
            Map<String, Object> labelData = new java.util.LinkedHashMap<>();
            labelData.put("carrier", carrierName);
            labelData.put("service", service);
            labelData.put("trackingNumber", bought.trackingCode());
            labelData.put("labelUrl", bought.labelUrl());
            moves.transition(returnId, orderRows.find(row.orderId()).orElseThrow(), status, ReturnStatus.AUTHORIZED,
                    "return.authorized", "return label " + carrierName + " " + service + ", tracking " + bought.trackingCode(),
                    Map.of("label", labelData));
            return false;
        });
        if (Boolean.TRUE.equals(cancelled)) {
            voidLabel(returnId, "return cancelled while its label was bought");
        }
        return true;
    }

    private void hold(String returnId, String why) {
        tx.executeWithoutResult(s -> {
            update(returnId, "update return_labels set state = 'HELD', message = :m, updated_at = :now where return_id = :id",
                    new MapSqlParameterSource("m", cut(why)));
            returns.addEvent(returnId, new ReturnRepository.Event(clock.instant(), "return.label_held", null, null,
                    "the carrier refused the return label: " + why));
        });
        log.warn("return label of {} held: {}", returnId, why);
    }

    /** Asks the carrier to refund a bought label (cancelled return); never fails the caller. */
    public void voidLabel(String returnId, String reason) {
        Label label = returns.label(returnId).orElse(null);
        if (label == null || "VOIDED".equals(label.state())) {
            return;
        }
        String outcome;
        if (!"LABELLED".equals(label.state())) {
            outcome = "no label was bought";
        } else {
            try {
                outcome = "refund " + carriers.gateway(label.account()).refund(label.carrierShipmentId());
            } catch (RuntimeException e) {
                outcome = "refund refused: " + e.getMessage();
            }
        }
        String result = outcome;
        tx.executeWithoutResult(s -> {
            update(returnId, "update return_labels set state = 'VOIDED', message = :m, updated_at = :now where return_id = :id",
                    new MapSqlParameterSource("m", cut(reason + "; " + result)));
            returns.addEvent(returnId, new ReturnRepository.Event(clock.instant(), "return.label_voided", null, null,
                    reason + "; " + result));
        });
    }

    // ---- tracking

    /**
     * A tracking update for a return label (from the carrier webhook through the shipping stage, or polled):
     * the status moves forward only; in transit moves an AUTHORIZED return to IN_TRANSIT; delivered is recorded
     * as the parcel's arrival at the warehouse (the receipt is counted by the warehouse: POST .../receipt).
     */
    @Override
    public boolean track(String account, CarrierGateway.Tracking tracking) {
        Optional<Label> found = returns.labelTracked(account, tracking.trackerId(), tracking.trackingCode(),
                tracking.shipmentId());
        if (found.isEmpty()) {
            return false;
        }
        if ("NEW".equals(found.get().state())) {
            throw new RetryLaterException(Problem.UNAVAILABLE, "result.shipment_id", "the return label of "
                    + found.get().returnId() + " is still being recorded; send the event again", 2);
        }
        String returnId = found.get().returnId();
        tx.executeWithoutResult(s -> {
            Row row = returns.find(returnId).orElseThrow();
            orderRows.lockStatus(row.orderId());
            ReturnStatus status = returns.lockStatus(returnId).orElseThrow();
            Label label = returns.lockLabel(returnId).orElseThrow();
            int rank = TrackingStatus.rank(tracking.status());
            if (rank <= label.trackingRank() || !"LABELLED".equals(label.state())) {
                return;
            }
            update(returnId, "update return_labels set tracking_status = :st, tracking_rank = :rank, updated_at = :now"
                    + " where return_id = :id", new MapSqlParameterSource("st", tracking.status()).addValue("rank", rank));
            boolean delivered = TrackingStatus.DELIVERED.equals(tracking.status());
            String detail = label.carrier() + " " + label.trackingCode() + ": " + tracking.status()
                    + (delivered ? " (at the warehouse)" : "");
            boolean moving = rank >= TrackingStatus.rank("in_transit") && rank < TrackingStatus.rank("return_to_sender")
                    || delivered;
            if (moving && status == ReturnStatus.AUTHORIZED) {
                moves.transition(returnId, orderRows.find(row.orderId()).orElseThrow(), status, ReturnStatus.IN_TRANSIT,
                        "return.in_transit", detail, Map.of("label", moves.labelView(returnId)));
            }
            returns.addEvent(returnId, new ReturnRepository.Event(clock.instant(),
                    delivered ? "return.at_warehouse" : "return.tracking." + tracking.status(), null, null, detail));
        });
        return true;
    }

    // ---- the jobs

    /** Buys the labels still missing (carrier was away); returns how many were bought. */
    public int buyMissing() {
        int bought = 0;
        for (String id : returns.labelsToBuy(100)) {
            try {
                bought += buy(id) ? 1 : 0;
            } catch (RuntimeException e) {
                log.info("return label of {} not bought this time: {}", id, e.toString());
            }
        }
        return bought;
    }

    /** Polls the trackers of return labels at accounts without webhooks; returns the updates applied. */
    public int pollTrackers() {
        int applied = 0;
        for (Label l : returns.labelsInTransit(200)) {
            if (!carriers.account(l.account()).map(ShippingProperties.Account::pollTracking).orElse(false)) {
                continue;
            }
            try {
                applied += track(l.account(), carriers.gateway(l.account()).tracker(l.trackerId())) ? 1 : 0;
            } catch (RuntimeException e) {
                log.info("return tracker {} of {} not polled this time: {}", l.trackerId(), l.returnId(), e.getMessage());
            }
        }
        return applied;
    }

    private void update(String returnId, String sql, MapSqlParameterSource params) {
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> returns.updateLabel(returnId, sql, params, now));
    }

    private static String cut(String s) {
        return s == null ? null : s.length() > 1900 ? s.substring(0, 1900) + "…" : s;
    }
}
