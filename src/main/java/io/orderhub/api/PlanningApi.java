package io.orderhub.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.planning.OrderReports;
import io.orderhub.planning.PlanningSeed;
import io.orderhub.planning.PlanningService;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** REST adapter of inventory planning and the order reports. */
@Component("planningApi")
public class PlanningApi {

    private final PlanningService planning;
    private final PlanningSeed seed;
    private final OrderReports reports;
    private final io.orderhub.returns.ReturnReports returnReports;
    private final InventoryApi inventoryApi;
    private final ObjectMapper json;

    public PlanningApi(PlanningService planning, PlanningSeed seed, OrderReports reports, InventoryApi inventoryApi,
                       ObjectMapper json,
                       io.orderhub.returns.ReturnReports returnReports) {
        this.returnReports = returnReports;
        this.planning = planning;
        this.seed = seed;
        this.reports = reports;
        this.inventoryApi = inventoryApi;
        this.json = json;
    }

    public void planning(Exchange exchange) {
        exchange.getMessage().setBody(planning.planning(ApiExchange.pathParam(exchange, "sku")));
    }

    public void demandHistory(Exchange exchange) {
        exchange.getMessage().setBody(planning.demandHistory(ApiExchange.pathParam(exchange, "sku")));
    }

    public void reorderSuggestions(Exchange exchange) {
        exchange.getMessage().setBody(java.util.Map.of("suggestions", planning.reorderSuggestions()));
    }

    public void putLeadTimes(Exchange exchange) {
        exchange.getMessage().setBody(planning.putLeadTimes(ApiExchange.pathParam(exchange, "sku"), inventoryApi.body(exchange)));
    }

    public void putSkuSettings(Exchange exchange) {
        exchange.getMessage().setBody(planning.putSkuSettings(ApiExchange.pathParam(exchange, "sku"), inventoryApi.body(exchange)));
    }

    public void putCategorySettings(Exchange exchange) {
        exchange.getMessage().setBody(planning.putCategorySettings(ApiExchange.header(exchange, "category"),
                inventoryApi.body(exchange)));
    }

    public void recompute(Exchange exchange) {
        exchange.getMessage().setBody(planning.recomputeAll());
    }

    public void seed(Exchange exchange) {
        String days = ApiExchange.header(exchange, "days");
        int n = 365;
        if (days != null) {
            if (days.isBlank()) {
                throw OrderHubException.field(Problem.INVALID, "days", "is empty; give a whole number of days or leave it out");
            }
            try {
                n = Integer.parseInt(days.trim());
            } catch (NumberFormatException e) {
                throw OrderHubException.field(Problem.INVALID, "days", "must be a whole number of days");
            }
        }
        exchange.getMessage().setBody(seed.seed(n));
    }

    /** {@code GET /api/reports/returns?from=&to=}: return rates per SKU and channel, return reasons. */
    public void returnsReport(Exchange exchange) {
        OrderReports.Query q = reports.query(ApiExchange.header(exchange, "from"), ApiExchange.header(exchange, "to"), null);
        exchange.getMessage().setBody(returnReports.returns(q.from(), q.to()));
    }

    /** The report as JSON, or as CSV when the caller accepts text/csv (and not JSON first). */
    public void ordersReport(Exchange exchange) {
        OrderReports.Query q = reports.query(ApiExchange.header(exchange, "from"), ApiExchange.header(exchange, "to"),
                ApiExchange.header(exchange, "groupBy"));
        OrderReports.Report report = reports.orders(q);
        String accept = ApiExchange.header(exchange, "Accept");
        boolean csv = accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv")
                && !accept.toLowerCase(Locale.ROOT).startsWith("application/json");
        if (csv) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
            exchange.getMessage().setBody(reports.csv(report).getBytes(StandardCharsets.UTF_8));
        } else {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            try {
                exchange.getMessage().setBody(json.writeValueAsBytes(report));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        ApiExchange.answerAsIs(exchange);
    }
}
