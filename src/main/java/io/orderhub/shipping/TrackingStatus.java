package io.orderhub.shipping;

import java.util.List;
import java.util.Locale;

/**
 * EasyPost tracker statuses in the order a parcel goes through them. A status only moves forward:
 * an update with a lower rank than the recorded one is ignored. Problem statuses (return_to_sender,
 * failure, error, cancelled) rank after in-transit ones but before delivered.
 */
public final class TrackingStatus {

    public static final String DELIVERED = "delivered";
    static final List<String> ORDER = List.of("unknown", "pre_transit", "in_transit", "out_for_delivery",
            "available_for_pickup", "return_to_sender", "failure", "error", "cancelled", "delivered");

    private TrackingStatus() {
    }

    /** 1.. for known statuses, 0 for anything else. */
    public static int rank(String status) {
        if (status == null) {
            return 0;
        }
        int i = ORDER.indexOf(status.toLowerCase(Locale.ROOT));
        return i < 0 ? 0 : i + 1;
    }
}
