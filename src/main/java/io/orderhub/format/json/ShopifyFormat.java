package io.orderhub.format.json;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.format.DocumentHead;
import org.springframework.stereotype.Component;

/** Shopify order JSON (REST / {@code orders/create} webhook), mapped by {@code mappings/shopify/order.jsonata}. */
@Component
public class ShopifyFormat extends JsonataFormat {

    public static final String ID = "shopify";
    static final List<String> MARKERS = List.of("financial_status", "admin_graphql_api_id", "order_number",
            "total_price_set", "total_line_items_price", "fulfillment_status");

    public ShopifyFormat(ObjectMapper json) {
        super(json, ID, "shopify/order.jsonata");
    }

    @Override
    public int recognise(DocumentHead head) {
        return recogniseByMarkers(head, MARKERS);
    }
}
