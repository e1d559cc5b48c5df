package io.orderhub.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpListener;
import org.apache.camel.component.platform.http.springboot.CamelRequestHandlerMapping;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Serves the REST routes (Camel's platform-http consumers) straight from the servlet filter chain, on the request's
 * own thread. Through Spring MVC, as the platform-http starter registers them, every request searched all of the
 * routes' request mappings, ran its route on a task executor and came back through a second, asynchronous servlet
 * dispatch of the whole filter chain: about a quarter of the HTTP threads' CPU in the lifecycle benchmark (issue 17,
 * docs/benchmarks.md). Here the routes' paths are matched most specific first, as Spring MVC matches them, and the
 * route's consumer answers the request; it is the same consumer, binding and error handling as before.
 * <p>
 * Everything this filter is not sure of goes on to Spring MVC as before: a method no route of the path declares
 * (405, HEAD, OPTIONS), a path no route has (404), a path one of the application's own controllers also maps
 * ({@code /api/openapi.json}), a Content-Type or Accept header that does not plainly fit the media types the route
 * declares (415, 406), a route matching on a path prefix. The filters before this one (security headers,
 * throttling, client certificates, Accept, methods, query parameters, body limits) run for every request as before;
 * the route's own {@code security} authenticates it. At most {@code orderhub.api.max-concurrent-requests} routes run
 * at a time, as many as the task executor's threads before; the others wait in arrival order.
 * {@code orderhub.api.direct-dispatch=false} turns this off ({@link DirectRestDispatchConfiguration}).
 */
@Component
@ConditionalOnProperty(name = "orderhub.api.direct-dispatch", havingValue = "true", matchIfMissing = true)
@Order(Ordered.LOWEST_PRECEDENCE - 100)
public class DirectRestDispatchFilter extends OncePerRequestFilter implements PlatformHttpListener {

    private static final Comparator<Route> MOST_SPECIFIC_FIRST =
            Comparator.comparing(Route::pattern, PathPattern.SPECIFICITY_COMPARATOR);

    private final ListableBeanFactory beans;
    private final Semaphore running;
    private final List<HttpEndpointModel> endpoints = new CopyOnWriteArrayList<>();
    private volatile List<Route> routes;
    private volatile List<PathPattern> controllerPaths;

    public DirectRestDispatchFilter(CamelContext camel, ListableBeanFactory beans,
            @Value("${orderhub.api.max-concurrent-requests:8}") int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("orderhub.api.max-concurrent-requests must be at least 1, not " + maxConcurrent);
        }
        this.beans = beans;
        this.running = new Semaphore(maxConcurrent, true);
        PlatformHttpComponent http = camel.getComponent("platform-http", PlatformHttpComponent.class);
        // routes start after this filter is made; each consumer that starts (or stops, on a reload) is announced here
        http.addPlatformHttpListener(this);
        endpoints.addAll(List.copyOf(http.getHttpEndpoints()));
    }

    @Override
    public synchronized void registerHttpEndpoint(HttpEndpointModel model) {
        endpoints.add(model);
        routes = null;
    }

    @Override
    public synchronized void unregisterHttpEndpoint(HttpEndpointModel model) {
        endpoints.removeIf(e -> e == model || e.getUri().equals(model.getUri()) && sameVerbs(e, model));
        routes = null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Route route = routeFor(request);
        if (route == null) {
            chain.doFilter(request, response);
            return;
        }
        String pattern = route.pattern().getPatternString();
        // what Spring MVC's handler mapping would have set: the HTTP metrics' uri tag and the matched pattern
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(pattern));
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServletException("interrupted while waiting for a free request slot", e);
        }
        try {
            // the engine's executor runs the route in place (DirectRestDispatchConfiguration): this returns answered
            route.consumer().service(request, response).join();
        } finally {
            running.release();
        }
    }

    /** The route answering this request here, or null for Spring MVC to answer it as before. */
    Route routeFor(HttpServletRequest request) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
            uri = uri.substring(contextPath.length());
        }
        PathContainer path = PathContainer.parsePath(uri);
        Route found = null;
        for (Route route : routes()) {
            if (route.verbs().contains(method) && route.pattern().matches(path)) {
                found = route;
                break;
            }
        }
        if (found == null || !found.takes(request)) {
            return null;
        }
        for (PathPattern controller : controllerPaths()) {
            if (controller.matches(path)) {
                return null;
            }
        }
        return found;
    }

    private List<Route> routes() {
        List<Route> current = routes;
        return current != null ? current : buildRoutes();
    }

    /** Under the same lock as the listener's changes: an index built while a route was added is never kept. */
    private synchronized List<Route> buildRoutes() {
        List<Route> current = routes;
        if (current == null) {
            List<Route> built = new ArrayList<>();
            for (HttpEndpointModel model : endpoints) {
                if (model.getConsumer() instanceof SpringBootPlatformHttpConsumer consumer
                        && !consumer.getEndpoint().isMatchOnUriPrefix() && model.getVerbs() != null
                        && !model.getVerbs().isBlank()) {
                    Set<String> verbs = Set.copyOf(
                            Arrays.asList(model.getVerbs().toUpperCase(Locale.ROOT).split("\\s*,\\s*")));
                    built.add(new Route(PathPatternParser.defaultInstance.parse(model.getUri()), verbs,
                            mediaTypes(model.getConsumes()), mediaTypes(model.getProduces()), consumer));
                }
            }
            built.sort(MOST_SPECIFIC_FIRST);
            current = List.copyOf(built);
            routes = current;
        }
        return current;
    }

    /** The paths of the application's own controllers and actuator endpoints: those requests go to Spring MVC. */
    private List<PathPattern> controllerPaths() {
        List<PathPattern> current = controllerPaths;
        if (current == null) {
            List<PathPattern> found = new ArrayList<>();
            for (RequestMappingInfoHandlerMapping mapping : beans.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                    .values()) {
                if (mapping instanceof CamelRequestHandlerMapping) {
                    continue;
                }
                mapping.getHandlerMethods().keySet().forEach(info -> {
                    PathPatternsRequestCondition paths = info.getPathPatternsCondition();
                    if (paths != null) {
                        found.addAll(paths.getPatterns());
                    } else {
                        info.getPatternValues().forEach(p -> found.add(PathPatternParser.defaultInstance.parse(p)));
                    }
                });
            }
            current = List.copyOf(found);
            controllerPaths = current;
        }
        return current;
    }

    private static boolean sameVerbs(HttpEndpointModel a, HttpEndpointModel b) {
        return a.getVerbs() == null ? b.getVerbs() == null : a.getVerbs().equals(b.getVerbs());
    }

    private static List<MediaType> mediaTypes(String declared) {
        return declared == null || declared.isBlank() ? List.of() : MediaType.parseMediaTypes(declared);
    }

    /**
     * A route's path, methods, and the media types it declares it consumes and produces: a request whose
     * Content-Type or Accept header does not plainly fit them goes on to Spring MVC, which answers as before (415, 406).
     */
    record Route(PathPattern pattern, Set<String> verbs, List<MediaType> consumes, List<MediaType> produces,
            SpringBootPlatformHttpConsumer consumer) {

        boolean takes(HttpServletRequest request) {
            return fits(consumes, request.getContentType(), false) && fits(produces, request.getHeader("Accept"), true);
        }

        private static boolean fits(List<MediaType> declared, String header, boolean absentFits) {
            if (declared.isEmpty()) {
                return true;
            }
            if (header == null || header.isBlank()) {
                return absentFits;
            }
            try {
                for (MediaType wanted : MediaType.parseMediaTypes(header)) {
                    for (MediaType type : declared) {
                        if (type.isCompatibleWith(wanted)) {
                            return true;
                        }
                    }
                }
            } catch (InvalidMediaTypeException e) {
                return false;
            }
            return false;
        }
    }
}
