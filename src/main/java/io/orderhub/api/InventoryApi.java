package io.orderhub.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.inventory.CatalogueService;
import io.orderhub.inventory.ItemCrossReference;
import io.orderhub.inventory.WarehouseWork;
import io.orderhub.order.OrderService;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** REST adapter of the inventory: products, stock levels, pick lists, shipments. */
@Component("inventoryApi")
public class InventoryApi {

    /** Exchange property: true when the request created the resource (201 instead of 200). */
    public static final String CREATED = "orderhub.created";

    private final CatalogueService catalogue;
    private final WarehouseWork warehouses;
    private final OrderService orders;
    private final ObjectMapper json;
    private final ItemCrossReference crossReference;

    public InventoryApi(CatalogueService catalogue, WarehouseWork warehouses, OrderService orders, ObjectMapper json,
                        ItemCrossReference crossReference) {
        this.crossReference = crossReference;
        this.catalogue = catalogue;
        this.warehouses = warehouses;
        this.orders = orders;
        this.json = json;
    }

    public void putProduct(Exchange exchange) {
        CatalogueService.Stored stored = catalogue.putProduct(ApiExchange.pathParam(exchange, "sku"), body(exchange));
        exchange.setProperty(CREATED, stored.created());
        exchange.getMessage().setBody(stored.product());
    }

    /** {@code GET /api/item-xref/{channel}}: the channel's item cross-reference. */
    public void listCrossReference(Exchange exchange) {
        exchange.getMessage().setBody(crossReference.list(ApiExchange.header(exchange, "channel")));
    }

    /** {@code PUT /api/item-xref/{channel}} {@code {partnerItem, sku, kind?}}: 201 new, 200 replaced. */
    public void putCrossReference(Exchange exchange) {
        ItemCrossReference.Stored stored = crossReference.put(ApiExchange.header(exchange, "channel"), body(exchange), "api");
        exchange.setProperty(CREATED, stored.created());
        exchange.getMessage().setBody(stored.entry());
    }

    /** {@code DELETE /api/item-xref/{channel}?partnerItem=}. */
    public void deleteCrossReference(Exchange exchange) {
        String channel = ApiExchange.header(exchange, "channel");
        String item = ApiExchange.header(exchange, "partnerItem");
        crossReference.delete(channel, item);
        exchange.getMessage().setBody(java.util.Map.of("channel", channel, "partnerItem", item, "deleted", true));
    }

    public void getInventory(Exchange exchange) {
        exchange.getMessage().setBody(catalogue.inventory(ApiExchange.pathParam(exchange, "sku")));
    }

    public void putInventory(Exchange exchange) {
        exchange.getMessage().setBody(catalogue.setOnHand(ApiExchange.pathParam(exchange, "sku"), body(exchange)));
    }

    public void adjustInventory(Exchange exchange) {
        exchange.getMessage().setBody(catalogue.adjust(ApiExchange.pathParam(exchange, "sku"), body(exchange)));
    }

    public void pickLists(Exchange exchange) {
        exchange.getMessage().setBody(warehouses.pickLists(ApiExchange.header(exchange, "id")));
    }

    public void packed(Exchange exchange) {
        exchange.getMessage().setBody(warehouses.packed(ApiExchange.header(exchange, "id")));
    }

    /** The order's shipments; the order must be visible to the caller. */
    public void orderShipments(Exchange exchange) {
        String orderId = ApiExchange.header(exchange, "id");
        orders.get(orderId, ApiExchange.caller(exchange));
        exchange.getMessage().setBody(warehouses.ofOrder(orderId));
    }

    JsonNode body(Exchange exchange) {
        String contentType = ApiExchange.header(exchange, Exchange.CONTENT_TYPE);
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!mime.equals("application/json")) {
            throw OrderHubException.field(Problem.UNSUPPORTED_MEDIA_TYPE, "Content-Type", "send application/json");
        }
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        if (bytes == null || bytes.length == 0) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is empty; send a JSON object");
        }
        try {
            return json.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw OrderHubException.field(Problem.MALFORMED, "body", io.orderhub.format.StrictJson.syntax(e));
        } catch (IOException e) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "cannot be read");
        }
    }
}
