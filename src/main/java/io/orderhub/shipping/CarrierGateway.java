package io.orderhub.shipping;

import java.math.BigDecimal;
import java.util.List;

/**
 * The carrier SPI: what the shipping stage needs from a carrier (or a carrier aggregator). One
 * implementation speaks EasyPost v2 ({@link EasyPostClient}); a live account is a change of base
 * URL and key. Failures: {@link CarrierException} with {@code retryable} telling a timeout or 5xx
 * (try again later, safely) from a refusal (4xx: bad address, no rate), which is not retried.
 */
public interface CarrierGateway {

    /** The account name this gateway was configured under (orderhub.shipping.accounts.*). */
    String account();

    /** Creates a shipment at the carrier and returns it with its rates. */
    CarrierShipment createShipment(ParcelRequest request);

    /** Reads a shipment back (after a timeout: was the label bought?). */
    CarrierShipment shipment(String carrierShipmentId);

    /** Buys the label for a rate: tracking code and label URL. */
    CarrierShipment buy(String carrierShipmentId, String rateId);

    /** The tracker's current status (polling fallback). */
    Tracking tracker(String trackerId);

    /** Asks the carrier to void the label / refund the postage; returns the carrier's refund status. */
    String refund(String carrierShipmentId);

    /** An address in the carrier's terms. */
    record Address(String name, String company, String street1, String street2, String city, String state,
                   String zip, String country, String phone, String email) {
    }

    /**
     * What is sent: from, to, weight (kg; converted to the protocol's unit by the client), the hub's reference.
     * {@code isReturn}: a return label (EasyPost {@code is_return}): the addresses are those of the outbound parcel
     * and the carrier swaps them, so the customer sends the parcel back to the warehouse.
     */
    record ParcelRequest(String reference, Address from, Address to, BigDecimal weightKg, boolean isReturn) {

        public ParcelRequest(String reference, Address from, Address to, BigDecimal weightKg) {
            this(reference, from, to, weightKg, false);
        }
    }

    record Rate(String id, String carrier, String service, BigDecimal amount, String currency, Integer deliveryDays) {
    }

    record CarrierShipment(String id, List<Rate> rates, String trackingCode, String labelUrl, String trackerId,
                           Rate selectedRate) {

        public boolean purchased() {
            return trackingCode != null && !trackingCode.isBlank();
        }
    }

    record Tracking(String trackerId, String trackingCode, String status, String shipmentId, java.time.Instant updatedAt) {
    }

    /** The last call to the carrier and the failures in a row (health); null when not tracked. */
    default io.orderhub.common.CallRecord calls() {
        return null;
    }
}
