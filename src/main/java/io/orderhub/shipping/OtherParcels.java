package io.orderhub.shipping;

/**
 * Parcels the hub bought labels for outside the shipping stage (return labels): a tracking update for a
 * parcel the shipping stage does not know is offered to them, in the same transaction as the webhook's
 * de-duplication, before it is answered as unknown.
 */
public interface OtherParcels {

    /** Applies the update when the parcel is one of these; false when it is not. */
    boolean track(String account, CarrierGateway.Tracking tracking);
}
