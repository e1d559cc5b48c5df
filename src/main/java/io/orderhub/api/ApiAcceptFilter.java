package io.orderhub.api;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API answers JSON (and problem documents) whatever the request accepts: a request under {@code /api/}
 * whose Accept header names only other types (a browser's {@code text/html}) is handled as if it also accepted
 * anything, at the lowest preference, instead of being refused 406 by the HTTP layer before the route can
 * authenticate it or say what is wrong. Preferences a route reads (text/csv for reports) are kept.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
public class ApiAcceptFilter extends OncePerRequestFilter {

    static final String ANY = "*/*;q=0.01";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return !request.getRequestURI().startsWith("/api/") || accept == null || accept.contains("*/*");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String accept = request.getHeader("Accept") + ", " + ANY;
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return "Accept".equalsIgnoreCase(name) ? accept : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return "Accept".equalsIgnoreCase(name) ? Collections.enumeration(java.util.List.of(accept))
                        : super.getHeaders(name);
            }
        }, response);
    }
}
