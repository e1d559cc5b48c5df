package io.orderhub.shipping;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * The shipping stage, seen from outside the package (the API, the cancellation, the tests). Packed
 * shipments of ALLOCATED orders get a bought label and the order becomes SHIPPED when every shipment
 * has one ({@link LabelPurchase}); tracking updates move a parcel's status forward only and the order
 * becomes DELIVERED, then COMPLETED by the completion rule ({@link TrackingUpdates}); the timers run
 * the dispatcher, the tracker poll and the completion ({@link ShippingJobs}); the parcel rows are in
 * {@link ParcelStore}. This class only hands each call to the part that does it.
 */
@Service
public class ShippingService {

    /** A parcel row. */
    public record Parcel(String shipmentId, String orderId, String account, String carrierShipmentId, String rateId,
                         String carrier, String service, String trackingCode, String labelUrl, String trackerId,
                         String state, String trackingStatus, int trackingRank, String message, int attempts,
                         String refundStatus, Instant updatedAt) {
    }

    /** What became of a tracking update. */
    public enum Update { APPLIED, STALE, UNKNOWN_PARCEL, DUPLICATE }

    private final LabelPurchase labels;
    private final TrackingUpdates tracking;
    private final ShippingJobs jobs;
    private final ParcelStore parcels;

    ShippingService(LabelPurchase labels, TrackingUpdates tracking, ShippingJobs jobs, ParcelStore parcels) {
        this.labels = labels;
        this.tracking = tracking;
        this.jobs = jobs;
        this.parcels = parcels;
    }

    // ---- dispatch: packed shipments → labels → SHIPPED

    /** One run of the dispatcher (one instance at a time); returns the shipments it labelled. */
    public List<String> dispatchPacked() {
        return jobs.dispatchPacked();
    }

    /** Takes one packed shipment as far as it goes now; true when it has a label afterwards. */
    public boolean dispatch(String shipmentId) {
        return labels.dispatch(shipmentId);
    }

    /**
     * Puts a held parcel back in the dispatcher's queue (after operations fixed the address): a new
     * carrier shipment is created on the next run.
     */
    public Parcel release(String shipmentId) {
        return labels.release(shipmentId);
    }

    // ---- tracking: status only moves forward; DELIVERED when every parcel is; COMPLETED by the rule

    /** A tracker.updated event from a webhook: applied once per event id. */
    public Update onWebhookEvent(String account, String eventId, CarrierGateway.Tracking update) {
        return tracking.onWebhookEvent(account, eventId, update);
    }

    /** Applies a tracker's status to its parcel (webhook or polling). */
    public Update apply(String account, CarrierGateway.Tracking update) {
        return tracking.apply(account, update);
    }

    /** Polls the trackers of accounts without webhooks (one instance at a time); returns the updates applied. */
    public int pollTrackers() {
        return jobs.pollTrackers();
    }

    /** DELIVERED orders whose hold has passed become COMPLETED (one instance at a time). */
    public List<String> completeDue() {
        return jobs.completeDue();
    }

    // ---- cancellation: void labels where the carrier allows it

    /** Asks the carrier to refund a parcel's label and records the answer; never fails the caller. */
    void voidLabel(Parcel parcel, String reason) {
        labels.voidLabel(parcel, reason);
    }

    // ---- queries

    public Optional<Parcel> parcel(String shipmentId) {
        return parcels.parcel(shipmentId);
    }

    public List<Parcel> parcelsOf(String orderId) {
        return parcels.parcelsOf(orderId);
    }

    /** Parcels the carrier refused, for operations. */
    public List<Parcel> held() {
        return parcels.held();
    }
}
