package io.orderhub.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.orderhub.ops.OpsOverview;
import io.orderhub.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * REST adapter of what the console (/console/) reads besides the rest of the API: who the key is
 * ({@code GET /api/me}, so the console shows only what the role may do) and the live overview
 * ({@code GET /api/ops/overview}).
 */
@Component("consoleApi")
public class ConsoleApi {

    private final OpsOverview overview;

    public ConsoleApi(OpsOverview overview) {
        this.overview = overview;
    }

    public void me(Exchange exchange) {
        Caller caller = ApiExchange.caller(exchange);
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("keyId", caller.keyId());
        me.put("role", caller.role());
        me.put("channel", caller.channel());
        exchange.getMessage().setBody(me);
    }

    public void overview(Exchange exchange) {
        exchange.getMessage().setBody(overview.overview());
    }
}
