package io.orderhub.api;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Query strings under {@code /api/} must decode as UTF-8 and hold no control characters: a NUL or an
 * invalid escape in a filter is answered 400 naming the parameter, before any database sees it
 * (PostgreSQL refuses NUL in text, and the refusal would otherwise surface as a 500). Only the query
 * string is read, never a body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class QueryParameterFilter extends OncePerRequestFilter {

    private final ObjectMapper json;

    public QueryParameterFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/") || request.getQueryString() == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        FieldError error = check(request.getQueryString());
        if (error != null) {
            response.setStatus(Problem.MALFORMED.status());
            response.setContentType(ProblemDocument.MEDIA_TYPE);
            json.writeValue(response.getOutputStream(), ProblemDocument.of(Problem.MALFORMED,
                    error.field() + ": " + error.message(), List.of(error), request.getRequestURI(), null));
            return;
        }
        chain.doFilter(request, response);
    }

    /** The first bad parameter of a raw query string, or null. */
    static FieldError check(String query) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name;
            String value;
            try {
                name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return FieldError.of(printable(rawName), "is not valid URL encoding");
            }
            if (hasControl(name) || hasControl(value)) {
                return FieldError.of(printable(name), "must not contain control characters");
            }
        }
        return null;
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return b.toString();
    }
}
