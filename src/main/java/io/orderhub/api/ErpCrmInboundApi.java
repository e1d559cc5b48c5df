package io.orderhub.api;

import java.io.IOException;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.sync.inbound.CrmCustomers;
import io.orderhub.sync.inbound.ErpStockFeed;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** REST adapter of the inbound ERP and CRM data: stock levels and catalogue pushed by the ERP, customers by the CRM. */
@Component("erpCrmInboundApi")
public class ErpCrmInboundApi {

    private final ErpStockFeed feed;
    private final CrmCustomers customers;
    private final ObjectMapper json;

    public ErpCrmInboundApi(ErpStockFeed feed, CrmCustomers customers, ObjectMapper json) {
        this.feed = feed;
        this.customers = customers;
        this.json = json;
    }

    /** {@code POST /api/erp/stock-levels} and {@code POST /api/erp/catalogue}: {updateId?, products?, levels?}. */
    public void erpUpdate(Exchange exchange) {
        exchange.getMessage().setBody(feed.apply(body(exchange), "rest", null));
    }

    public void putCustomer(Exchange exchange) {
        CrmCustomers.Stored stored = customers.put(ApiExchange.header(exchange, "externalId"), body(exchange));
        exchange.setProperty(InventoryApi.CREATED, stored.created());
        exchange.getMessage().setBody(stored.stale()
                ? java.util.Map.of("stale", true, "customer", stored.customer()) : stored.customer());
    }

    public void getCustomer(Exchange exchange) {
        exchange.getMessage().setBody(customers.get(ApiExchange.header(exchange, "externalId")));
    }

    private JsonNode body(Exchange exchange) {
        String contentType = ApiExchange.header(exchange, Exchange.CONTENT_TYPE);
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
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
