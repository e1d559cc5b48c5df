package io.orderhub.sandbox;

import java.io.IOException;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The request id each emulated API puts on every answer, as the real one does and its SDK reports with an error:
 * Stripe's {@code Request-Id: req_…}, EasyPost's {@code X-Ep-Request-Uuid}.
 */
@Component
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxRequestIds extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !uri.startsWith("/sandbox/payment/stripe/") && !uri.startsWith("/sandbox/carrier/v2/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = UUID.randomUUID().toString().replace("-", "");
        if (request.getRequestURI().startsWith("/sandbox/payment/stripe/")) {
            response.setHeader("Request-Id", "req_" + id.substring(0, 14));
        } else {
            response.setHeader("X-Ep-Request-Uuid", id);
        }
        chain.doFilter(request, response);
    }
}
