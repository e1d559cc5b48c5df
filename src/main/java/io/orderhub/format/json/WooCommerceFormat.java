package io.orderhub.format.json;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.format.DocumentHead;
import org.springframework.stereotype.Component;

/** WooCommerce REST API v3 order JSON, mapped by {@code mappings/woocommerce/order.jsonata}. */
@Component
public class WooCommerceFormat extends JsonataFormat {

    public static final String ID = "woocommerce";
    static final List<String> MARKERS = List.of("prices_include_tax", "discount_total", "date_created_gmt",
            "shipping_total", "cart_tax", "order_key");

    public WooCommerceFormat(ObjectMapper json) {
        super(json, ID, "woocommerce/order.jsonata");
    }

    @Override
    public int recognise(DocumentHead head) {
        return recogniseByMarkers(head, MARKERS);
    }
}
