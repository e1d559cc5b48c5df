package io.orderhub.api;

import java.io.IOException;
import java.security.Principal;
import java.util.EnumSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.security.ApiKeyAuthenticator;
import io.orderhub.security.Caller;
import io.orderhub.security.JwtAuthenticator;
import io.orderhub.security.Role;
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
 * Who may read the actuator: {@code /actuator/health} (and its groups) and {@code /actuator/prometheus} are
 * public; every other endpoint (metrics, info, ...) needs an OPS or ADMIN key (401 without a valid one, 403
 * with a CHANNEL key). A request with an OPS or ADMIN key is passed on as that user in that role, so health
 * shows its components and details ({@code management.endpoint.health.show-details: when-authorized}) to
 * operators only: an anonymous caller sees UP or DOWN, never paths or disk figures. A key that is sent must be
 * valid, also on the public endpoints.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class ActuatorAccessFilter extends OncePerRequestFilter {

    private static final EnumSet<Role> OPERATORS = EnumSet.of(Role.OPS, Role.ADMIN);

    private final ApiKeyAuthenticator keys;
    private final JwtAuthenticator jwt;
    private final ObjectMapper json;

    public ActuatorAccessFilter(ApiKeyAuthenticator keys, JwtAuthenticator jwt, ObjectMapper json) {
        this.keys = keys;
        this.jwt = jwt;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/actuator");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        boolean open = path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || path.equals("/actuator/prometheus");
        String secret = request.getHeader(ApiKeyAuthenticator.HEADER);
        String authorization = request.getHeader(JwtAuthenticator.HEADER);
        boolean bearer = JwtAuthenticator.isBearer(authorization) && jwt.enabled();
        if ((secret == null || secret.isBlank()) && !bearer) {
            if (open) {
                chain.doFilter(request, response);
            } else {
                ProblemResponses.write(json, request, response, Problem.UNAUTHENTICATED, FieldError.of(
                        ApiKeyAuthenticator.HEADER, "is missing; this actuator endpoint needs an OPS or ADMIN key"), 0);
            }
            return;
        }
        Caller caller;
        try {
            caller = secret != null && !secret.isBlank() ? keys.authenticate(secret) : jwt.authenticate(authorization);
        } catch (OrderHubException e) {
            FieldError error = e.errors().isEmpty() ? FieldError.of(ApiKeyAuthenticator.HEADER, e.getMessage()) : e.errors().get(0);
            ProblemResponses.write(json, request, response, e.problem(), error, 0);
            return;
        }
        if (!OPERATORS.contains(caller.role())) {
            if (open) {
                chain.doFilter(request, response);
            } else {
                ProblemResponses.write(json, request, response, Problem.FORBIDDEN, FieldError.of(ApiKeyAuthenticator.HEADER,
                        "a " + caller.role() + " key may not read this actuator endpoint; it needs OPS or ADMIN"), 0);
            }
            return;
        }
        chain.doFilter(new Operator(request, caller), response);
    }

    /** The request as an authenticated operator: its principal is the key's id, its role the key's role. */
    static final class Operator extends HttpServletRequestWrapper {

        private final Caller caller;

        Operator(HttpServletRequest request, Caller caller) {
            super(request);
            this.caller = caller;
        }

        @Override
        public Principal getUserPrincipal() {
            return caller::keyId;
        }

        @Override
        public String getRemoteUser() {
            return caller.keyId();
        }

        @Override
        public boolean isUserInRole(String role) {
            return caller.role().name().equals(role) || ("ROLE_" + caller.role().name()).equals(role);
        }
    }
}
