package io.orderhub.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.orderhub.security.Role;
import org.apache.camel.CamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.SecurityDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Who may call each REST operation: read once from the {@code security} each verb of the {@code rest:} blocks in
 * {@code routes/} declares, and kept as a map from the id of the route the verb hands over to, so the guard in the
 * {@code apiErrors} route configuration needs one map get per request.
 *
 * <ul>
 *   <li>{@code security: [{key: apiKey, scopes: "CHANNEL,OPS,ADMIN"}]}: an API key (or a bearer token) with one of
 *       the listed roles;</li>
 *   <li>{@code security: [{key: signature}]}: a partner callback that its own step authenticates by its signature,
 *       no API key.</li>
 * </ul>
 *
 * <p>The hub refuses to start while a verb declares no access (or an unknown one), or hands over to a route that
 * does not use the {@code apiErrors} route configuration (where the guard runs). A route reloaded at run time
 * without a declaration is closed: every call to it is 403.
 */
@Component
public class ApiAccess extends EventNotifierSupport {

    /** The route configuration every REST route uses: problem documents, and the guard as {@code interceptFrom}. */
    public static final String ROUTE_CONFIGURATION = "apiErrors";
    /** The security key of a verb callable with an API key or bearer token; its scopes are the roles. */
    public static final String API_KEY = "apiKey";
    /** The security key of a signed partner callback (no API key). */
    public static final String SIGNATURE = "signature";
    /** The guard bean and the method a route calls itself when it must do something first (store the receipt). */
    static final String GUARD_BEAN = "apiGuard";
    static final String GUARD_IN_ROUTE = "authorize";

    private static final Logger log = LoggerFactory.getLogger(ApiAccess.class);

    /**
     * What a route requires. {@code roles} empty: a signed callback. {@code inRoute}: the route calls
     * {@code apiGuard.authorize} itself, after its first steps, so the guard in front of it lets it through.
     */
    public record Access(Set<Role> roles, boolean inRoute) {
        public boolean signed() {
            return roles.isEmpty();
        }
    }

    private final ObjectProvider<CamelContext> camel;
    private volatile Map<String, Access> byRouteId = Map.of();
    private volatile boolean built;

    public ApiAccess(ObjectProvider<CamelContext> camel) {
        this.camel = camel;
        setIgnoreCamelContextEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeEvents(true);
        setIgnoreStepEvents(true);
    }

    /** The access the route declares, or null when it declares none (the guard then refuses the call). */
    public Access of(String routeId) {
        return routeId == null ? null : byRouteId.get(routeId);
    }

    /** Reads the declarations once the routes are loaded; a missing or wrong one stops the start. */
    @EventListener(ApplicationStartedEvent.class)
    public void readDeclarations() {
        CamelContext context = camel.getIfAvailable();
        if (context == null) {
            return;
        }
        Table table = table(context.getCamelContextExtension().getContextPlugin(Model.class));
        if (!table.undeclared().isEmpty()) {
            throw new IllegalStateException("REST operations without a valid access declaration (add `security:` to "
                    + "the rest verb, see README \"Adding a REST endpoint\"): " + table.undeclared());
        }
        byRouteId = table.byRouteId();
        built = true;
    }

    /** Routes reloaded from ORDERHUB_ROUTES_DIR: read again; what is undeclared stays closed. */
    @Override
    public void notify(CamelEvent event) {
        if (!built) {
            return;
        }
        CamelContext context = camel.getIfAvailable();
        if (context != null) {
            Table table = table(context.getCamelContextExtension().getContextPlugin(Model.class));
            if (!table.undeclared().isEmpty()) {
                log.error("REST operations without a valid access declaration are closed (403): {}", table.undeclared());
            }
            byRouteId = table.byRouteId();
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteAddedEvent || event instanceof CamelEvent.RouteRemovedEvent;
    }

    /** The table of the routes' declarations, and every REST operation whose declaration is missing or wrong. */
    public record Table(Map<String, Access> byRouteId, List<String> undeclared) {
    }

    /** Builds the table from the rest and route definitions of the model. */
    public static Table table(Model model) {
        Map<String, RouteDefinition> routesByInput = new HashMap<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (route.getInput() != null && route.getRouteId() != null) {
                routesByInput.put(normalized(route.getInput().getEndpointUri()), route);
            }
        }
        Map<String, Access> byRouteId = new HashMap<>();
        List<String> undeclared = new ArrayList<>();
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String operation = verb.asVerb().toUpperCase(Locale.ROOT) + " " + (rest.getPath() == null ? "" : rest.getPath())
                        + (verb.getPath() == null ? "" : verb.getPath());
                String target = verb.getTo() == null ? null : verb.getTo().getEndpointUri();
                // Camel inlines the direct route into the verb's own route (camel.rest.inline-routes, on by default);
                // without inlining the verb's route only hands over to it
                RouteDefinition route = target == null ? null : routesByInput.get(normalized(target));
                if (route == null) {
                    route = routesByInput.get(normalized("rest:" + verb.asVerb() + ":" + rest.getPath()
                            + (verb.getPath() == null ? "" : ":" + verb.getPath())));
                }
                if (route == null) {
                    undeclared.add(operation + " (hands over to " + target + ", which is no route of the hub)");
                    continue;
                }
                String problem = null;
                Set<Role> roles = null;
                List<SecurityDefinition> security = verb.getSecurity();
                if (security == null || security.size() != 1) {
                    problem = "declares no access: add security: [{key: apiKey, scopes: \"<roles>\"}] or [{key: signature}]";
                } else if (SIGNATURE.equals(security.get(0).getKey())) {
                    roles = EnumSet.noneOf(Role.class);
                } else if (API_KEY.equals(security.get(0).getKey())) {
                    roles = roles(security.get(0).getScopes());
                    if (roles == null) {
                        problem = "scopes '" + security.get(0).getScopes() + "' name no roles of " + EnumSet.allOf(Role.class);
                    }
                } else {
                    problem = "security key '" + security.get(0).getKey() + "' is neither " + API_KEY + " nor " + SIGNATURE;
                }
                if (problem == null && !usesApiConfiguration(route)) {
                    problem = "its route " + route.getRouteId() + " does not use routeConfigurationId: " + ROUTE_CONFIGURATION;
                }
                if (problem != null) {
                    undeclared.add(operation + " (route " + route.getRouteId() + ") " + problem);
                    continue;
                }
                Access access = new Access(Collections.unmodifiableSet(EnumSet.copyOf(roles)), callsGuard(route.getOutputs()));
                Access before = byRouteId.putIfAbsent(route.getRouteId(), access);
                if (before != null && !before.equals(access)) {
                    undeclared.add(operation + " (route " + route.getRouteId() + ") declares other roles than another "
                            + "operation handing over to the same route");
                }
            }
        }
        return new Table(Map.copyOf(byRouteId), List.copyOf(undeclared));
    }

    /**
     * {@code direct://x?a=b} and {@code direct:x} name the same input, and so do {@code rest:get:/a:/%7Bid%7D} (as the
     * started context keeps it) and {@code rest:get:/a:/{id}}.
     */
    private static String normalized(String uri) {
        if (uri == null) {
            return null;
        }
        int query = uri.indexOf('?');
        String plain = query < 0 ? uri : uri.substring(0, query);
        return plain.replace("%7B", "{").replace("%7D", "}").replace("%7b", "{").replace("%7d", "}")
                .replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*):/{0,2}", "$1:");
    }

    private static Set<Role> roles(String scopes) {
        if (scopes == null || scopes.isBlank()) {
            return null;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String scope : scopes.split(",")) {
            try {
                roles.add(Role.valueOf(scope.trim()));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return roles;
    }

    private static boolean usesApiConfiguration(RouteDefinition route) {
        String ids = route.getRouteConfigurationId();
        if (ids == null) {
            return false;
        }
        for (String id : ids.split(",")) {
            if (ROUTE_CONFIGURATION.equals(id.trim())) {
                return true;
            }
        }
        return false;
    }

    private static boolean callsGuard(List<ProcessorDefinition<?>> steps) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof BeanDefinition bean && GUARD_BEAN.equals(bean.getRef())
                    && GUARD_IN_ROUTE.equals(bean.getMethod())) {
                return true;
            }
        }
        return false;
    }
}
