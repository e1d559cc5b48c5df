package io.orderhub.shipping;

import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderCompensation;
import io.orderhub.order.OrderStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Cancellation after a label was bought asks the carrier to void it (EasyPost: refund) and records
 * the carrier's answer on the parcel and in the order's timeline; a refused or failed refund does
 * not stop the cancellation. Delivered parcels are left alone; unlabelled ones stop being dispatched.
 */
@Component
public class ShippingCompensation implements OrderCompensation {

    // looked up when needed: the shipping service itself depends on OrderService, which collects compensations
    private final ObjectProvider<ShippingService> shipping;

    public ShippingCompensation(ObjectProvider<ShippingService> shipping) {
        this.shipping = shipping;
    }

    @Override
    public void compensate(CanonicalOrder order, OrderStatus cancelledFrom, String reason) {
        ShippingService service = shipping.getObject();
        for (ShippingService.Parcel p : service.parcelsOf(order.orderId())) {
            if ("LABELLED".equals(p.state()) && !TrackingStatus.DELIVERED.equals(p.trackingStatus())) {
                service.voidLabel(p, "order cancelled: " + reason);
            }
        }
    }
}
