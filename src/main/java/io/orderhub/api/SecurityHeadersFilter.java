package io.orderhub.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Standard security headers on every answer, set before anything else runs (so refusals by later filters and
 * error pages carry them too): no MIME sniffing, no framing, no referrer; API and actuator answers are never
 * cached; the console (/console/) gets a content security policy of its own files only; HSTS only on requests that came over HTTPS (a plain-HTTP hub must not pin browsers to HTTPS).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SecurityHeadersFilter extends OncePerRequestFilter {

    static final String HSTS = "max-age=31536000; includeSubDomains";
    static final String CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        String path = request.getRequestURI();
        if (path.startsWith("/console")) {
            // the console: its own scripts and styles only, no inline script, API calls to this hub only
            response.setHeader("Content-Security-Policy", CONSOLE_CSP);
        } else if (!response.containsHeader("Content-Security-Policy")) {
            response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        }
        if (path.startsWith("/api/") || path.startsWith("/actuator") || path.equals("/error")) {
            response.setHeader("Cache-Control", "no-store");
        }
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        chain.doFilter(request, response);
    }
}
