package io.orderhub.format.json;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.format.CanonicalJsonFormat;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatException;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappingContext;
import org.springframework.stereotype.Component;

/**
 * Shopify order JSON (REST / {@code orders/create} webhook), mapped by {@code mappings/shopify/order.jsonata}.
 * Shopify resources that are not placed orders are recognised by their envelope and refused as a whole with
 * what to send instead, rather than read as canonical orders (which gives a list of misleading field errors):
 * a draft order ({@code draft_order}, {@code draft_orders}), a checkout ({@code checkout}, {@code checkouts}) and
 * a fulfillment order ({@code fulfillment_order}, {@code fulfillment_orders}, or a bare object with
 * {@code fulfillment_order_line_items}).
 */
@Component
public class ShopifyFormat extends JsonataFormat {

    public static final String ID = "shopify";
    static final List<String> MARKERS = List.of("financial_status", "admin_graphql_api_id", "order_number",
            "total_price_set", "total_line_items_price", "fulfillment_status");
    private static final String DRAFT = "is a Shopify draft order, which is not placed: send the order Shopify"
            + " creates when the draft is completed (the draft's order_id)";
    private static final String CHECKOUT = "is a Shopify checkout (a cart not yet paid for), not an order: send the"
            + " order Shopify creates when the checkout is completed";
    private static final String FULFILLMENT = "is a Shopify fulfillment order (the work to fulfil part of an order),"
            + " not an order: send the order itself (its order_id)";
    /** Envelope (or marker) key of a Shopify resource that is not an order, and why it is refused. */
    static final Map<String, String> NOT_ORDERS = Map.of("draft_order", DRAFT, "draft_orders", DRAFT,
            "checkout", CHECKOUT, "checkouts", CHECKOUT, "fulfillment_order", FULFILLMENT,
            "fulfillment_orders", FULFILLMENT, "fulfillment_order_line_items", FULFILLMENT);

    private final ObjectMapper mapper;

    public ShopifyFormat(ObjectMapper json) {
        super(json, ID, "shopify/order.jsonata");
        this.mapper = json;
    }

    @Override
    public int recognise(DocumentHead head) {
        if (head.looksLikeJson() && head.json().envelope() == null && notAnOrder(head.json().orderKeys()) != null) {
            return 80;
        }
        return recogniseByMarkers(head, MARKERS);
    }

    @Override
    public FormatResult read(byte[] document, MappingContext context) {
        JsonNode node;
        try {
            node = CanonicalJsonFormat.parse(mapper, document);
        } catch (FormatException e) {
            return FormatResult.rejected(e.errors());
        }
        if (node.isObject()) {
            List<String> keys = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            String key = notAnOrder(keys);
            if (key != null) {
                String field = key.equals("fulfillment_order_line_items") ? "" : "/" + key;
                return FormatResult.rejected(List.of(FieldError.of(field, NOT_ORDERS.get(key))));
            }
        }
        return super.read(document, context);
    }

    /**
     * The key that shows a top-level object is a Shopify resource other than an order: its only key is one of
     * the envelopes, or (a bare fulfillment order) it has fulfillment_order_line_items and no line_items; null otherwise.
     */
    static String notAnOrder(java.util.Collection<String> topKeys) {
        if (topKeys.size() == 1 && NOT_ORDERS.containsKey(topKeys.iterator().next())) {
            return topKeys.iterator().next();
        }
        return topKeys.contains("fulfillment_order_line_items") && !topKeys.contains("line_items")
                ? "fulfillment_order_line_items" : null;
    }
}
