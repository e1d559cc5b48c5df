package io.orderhub.api;

import java.io.IOException;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;
import io.orderhub.audit.AuditLog;
import io.orderhub.security.AuthFailureThrottle;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Failed authentications per source address ({@link AuthFailureThrottle}): every 401 the hub answers (a missing
 * or wrong API key or token, a bad webhook signature) counts against the request's source; a blocked source
 * gets 429 with Retry-After for every request, before its body is read or stored. Counted in
 * {@code orderhub_auth_failures_total} and {@code orderhub_auth_sources_blocked_total}; each block is an audit
 * entry ({@code auth.sourceBlocked}). Health probes are never refused.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class SourceThrottleFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SourceThrottleFilter.class);

    private final AuthFailureThrottle throttle;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Counter failures;
    private final Counter blocks;
    private final Counter refused;

    public SourceThrottleFilter(AuthFailureThrottle throttle, AuditLog audit, ObjectMapper json, MeterRegistry meters) {
        this.throttle = throttle;
        this.audit = audit;
        this.json = json;
        this.failures = Counter.builder("orderhub.auth.failures").description("401 answers (failed authentications)")
                .register(meters);
        this.blocks = Counter.builder("orderhub.auth.sources.blocked")
                .description("sources blocked after too many failed authentications").register(meters);
        this.refused = Counter.builder("orderhub.auth.blocked.requests")
                .description("requests refused 429 because their source is blocked").register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/health");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String source = request.getRemoteAddr();
        OptionalLong blocked = throttle.blocked(source);
        if (blocked.isPresent()) {
            refused.increment();
            ProblemResponses.write(json, request, response, Problem.TOO_MANY_REQUESTS, FieldError.of("source",
                    "too many failed authentications from this address; retry after " + blocked.getAsLong() + " s"),
                    blocked.getAsLong());
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        count(source, response.getStatus());
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            } else {
                count(source, response.getStatus());
            }
        }
    }

    private void count(String source, int status) {
        if (status != 401) {
            return;
        }
        failures.increment();
        if (throttle.failure(source)) {
            blocks.increment();
            String detail = throttle.maxFailures() + " failed authentications within " + throttle.window()
                    + "; every request refused (429) for " + throttle.blockFor();
            log.warn("source {} blocked: {}", source, detail);
            try {
                audit.record(null, "auth.sourceBlocked", "source:" + source, "OPEN", "BLOCKED", detail);
            } catch (RuntimeException e) {
                log.warn("audit entry for blocking {} not written: {}", source, e.toString());
            }
        }
    }
}
