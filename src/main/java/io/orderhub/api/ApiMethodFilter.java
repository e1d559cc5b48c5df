package io.orderhub.api;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * 405 for a method a fixed API path does not take, even where a templated path of another method would match the
 * same URL: {@code PUT /api/inventory/reorder-suggestions} is a method {@code /inventory/reorder-suggestions} (GET)
 * does not take, not a {@code PUT /inventory/{sku}} of the SKU "reorder-suggestions". Also TRACE and CONNECT, which
 * the API never takes, as problem documents. Answers before authentication: the method is wrong for anyone.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
public class ApiMethodFilter extends OncePerRequestFilter {

    private static final String PREFIX = "/api";

    private final ObjectMapper json;
    private final ObjectProvider<CamelContext> camel;
    private volatile Map<String, Set<String>> fixedPaths;

    public ApiMethodFilter(ObjectMapper json, ObjectProvider<CamelContext> camel) {
        this.json = json;
        this.camel = camel;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(PREFIX + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getRequestURI().substring(PREFIX.length());
        Set<String> allowed = fixedPaths().get(path.endsWith("/") && path.length() > 1
                ? path.substring(0, path.length() - 1) : path);
        String allow = null;
        boolean refuse = false;
        if (method.equals("TRACE") || method.equals("CONNECT")) {
            refuse = true;
            allow = allowed == null ? null : String.join(", ", allowed);
        } else if (allowed != null && !allowed.contains(method) && !method.equals("OPTIONS")
                && !(method.equals("HEAD") && allowed.contains("GET"))) {
            refuse = true;
            allow = String.join(", ", allowed);
        }
        if (!refuse) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(405);
        if (allow != null) {
            response.setHeader(HttpHeaders.ALLOW, allow);
        }
        response.setContentType(ProblemDocument.MEDIA_TYPE);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        json.writeValue(response.getOutputStream(),
                ProblemErrorController.methodNotAllowed(method, allow, request.getRequestURI()));
    }

    /** Each REST path without a template variable, with the methods the routes define for it. */
    private Map<String, Set<String>> fixedPaths() {
        Map<String, Set<String>> known = fixedPaths;
        if (known != null) {
            return known;
        }
        CamelContext context = camel.getIfAvailable();
        if (context == null) {
            return Map.of();
        }
        Map<String, Set<String>> paths = new LinkedHashMap<>();
        for (RestDefinition rest : context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String path = rest.getPath() + (verb.getPath() == null ? "" : verb.getPath());
                if (!path.contains("{")) {
                    paths.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(verb.asVerb().toUpperCase(Locale.ROOT));
                }
            }
        }
        if (!paths.isEmpty()) {
            fixedPaths = paths;
        }
        return paths;
    }
}
