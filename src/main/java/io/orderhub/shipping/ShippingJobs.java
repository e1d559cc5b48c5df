package io.orderhub.shipping;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Entry points of the shipping jobs for the timers in {@code routes/shipping.camel.yaml}. */
@Component("shippingJobs")
public class ShippingJobs {

    private static final Logger log = LoggerFactory.getLogger(ShippingJobs.class);

    private final ShippingService shipping;

    public ShippingJobs(ShippingService shipping) {
        this.shipping = shipping;
    }

    public int dispatch() {
        int n = shipping.dispatchPacked().size();
        if (n > 0) {
            log.info("labelled {} shipments", n);
        }
        return n;
    }

    public int pollTrackers() {
        return shipping.pollTrackers();
    }

    public int complete() {
        return shipping.completeDue().size();
    }
}
