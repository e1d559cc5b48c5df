package io.orderhub.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.audit.AuditLog;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Operations on the running routes: list them with state, throughput, failures and last error (from
 * the Camel route metrics and the failures this notifier saw), and stop or start one (ADMIN,
 * audited). The operations routes themselves cannot be stopped through this API.
 */
@Component("routeOps")
public class RouteOps extends EventNotifierSupport {

    private static final Set<String> PROTECTED = Set.of("listRoutes", "stopRoute", "startRoute", "reloadRoute");

    private final CamelContext camel;
    private final MeterRegistry meters;
    private final AuditLog audit;
    private final MappingFiles mappings;
    private final String routesLocation;
    private final Map<String, LastError> lastErrors = new ConcurrentHashMap<>();

    public RouteOps(CamelContext camel, MeterRegistry meters, AuditLog audit, MappingFiles mappings,
                    @Value("${camel.main.routes-include-pattern}") String routesLocation) {
        this.camel = camel;
        this.meters = meters;
        this.audit = audit;
        this.mappings = mappings;
        this.routesLocation = routesLocation;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        camel.getManagementStrategy().addEventNotifier(this);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeFailedEvent || event instanceof CamelEvent.ExchangeFailureHandledEvent) {
            Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
            Throwable cause = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            String routeId = exchange.getFromRouteId();
            if (routeId != null && cause != null) {
                lastErrors.put(routeId, new LastError(Instant.now(), cause.getClass().getSimpleName() + ": "
                        + io.orderhub.security.MaskedMessageConverter.mask(String.valueOf(cause.getMessage()))));
            }
        }
    }

    public void list(Exchange exchange) {
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            String id = route.getRouteId();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("routeId", id);
            r.put("from", route.getEndpoint().getEndpointUri());
            r.put("status", String.valueOf(camel.getRouteController().getRouteStatus(id)));
            r.put("source", route.getSourceLocationShort());
            r.put("uptimeMillis", route.getUptimeMillis());
            r.put("exchangesTotal", count("camel.exchanges.total", id));
            r.put("exchangesFailed", count("camel.exchanges.failed", id));
            r.put("failuresHandled", count("camel.exchanges.failures.handled", id));
            r.put("inflight", gauge("camel.exchanges.inflight", id));
            r.put("lastError", lastErrors.get(id));
            routes.add(r);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routesLocation", routesLocation);
        body.put("mappingsLocation", mappings.location());
        body.put("routes", routes);
        exchange.getMessage().setBody(body);
    }

    public void stop(Exchange exchange) throws Exception {
        change(exchange, false);
    }

    public void start(Exchange exchange) throws Exception {
        change(exchange, true);
    }

    /**
     * Reads the route's file again (ORDERHUB_ROUTES_DIR, or the packaged copy) and replaces every route it
     * defines; a file that also serves REST endpoints is refused (restart the hub for those). Routes
     * deleted from the file stay until the next restart.
     */
    public void reload(Exchange exchange) throws Exception {
        String id = ApiExchange.header(exchange, "routeId");
        org.apache.camel.Route route = camel.getRoute(id);
        if (route == null) {
            throw OrderHubException.field(Problem.NOT_FOUND, "routeId", "no route " + id);
        }
        org.apache.camel.spi.Resource source = route.getSourceResource();
        if (source == null) {
            throw OrderHubException.field(Problem.CONFLICT, "routeId", "route " + id + " was not loaded from a route file");
        }
        List<String> siblings = new ArrayList<>();
        for (org.apache.camel.Route r : camel.getRoutes()) {
            if (r.getSourceResource() != null && source.getLocation().equals(r.getSourceResource().getLocation())) {
                if (r.isCreatedByRestDsl() || PROTECTED.contains(r.getRouteId())) {
                    throw OrderHubException.field(Problem.CONFLICT, "routeId", "route " + id + " comes from "
                            + route.getSourceLocationShort() + ", which also serves REST endpoints (route "
                            + r.getRouteId() + "); restart the hub to reload it");
                }
                siblings.add(r.getRouteId());
            }
        }
        java.util.Collections.sort(siblings);
        java.util.Set<String> reloaded = new java.util.TreeSet<>(
                org.apache.camel.support.PluginHelper.getRoutesLoader(camel).updateRoutes(source));
        ServiceStatus status = camel.getRouteController().getRouteStatus(id);
        audit.record(ApiExchange.caller(exchange), "route.reload", id, String.join(",", siblings),
                String.join(",", reloaded), route.getSourceLocationShort());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routeId", id);
        body.put("source", route.getSourceLocationShort());
        body.put("reloaded", reloaded);
        body.put("status", String.valueOf(status));
        exchange.getMessage().setBody(body);
    }

    private void change(Exchange exchange, boolean start) throws Exception {
        String id = ApiExchange.header(exchange, "routeId");
        if (camel.getRoute(id) == null) {
            throw OrderHubException.field(Problem.NOT_FOUND, "routeId", "no route " + id);
        }
        if (PROTECTED.contains(id)) {
            throw OrderHubException.field(Problem.CONFLICT, "routeId", "route " + id + " serves this API and cannot be "
                    + (start ? "started" : "stopped") + " through it");
        }
        ServiceStatus before = camel.getRouteController().getRouteStatus(id);
        if (start) {
            camel.getRouteController().startRoute(id);
        } else {
            camel.getRouteController().stopRoute(id);
        }
        ServiceStatus after = camel.getRouteController().getRouteStatus(id);
        audit.record(ApiExchange.caller(exchange), start ? "route.start" : "route.stop", id, String.valueOf(before),
                String.valueOf(after), null);
        exchange.getMessage().setBody(Map.of("routeId", id, "status", String.valueOf(after)));
    }

    private double count(String name, String routeId) {
        Counter c = meters.find(name).tag("routeId", routeId).tag("kind", "CamelRoute").counter();
        return c == null ? 0 : c.count();
    }

    private double gauge(String name, String routeId) {
        Gauge g = meters.find(name).tag("routeId", routeId).gauge();
        return g == null ? 0 : g.value();
    }

    /** The most recent failure of a route (masked). */
    public record LastError(Instant at, String message) {
    }
}
