package io.orderhub.api;

import java.util.EnumSet;
import java.util.Set;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.common.RetryLaterException;
import io.orderhub.security.ApiKeyAuthenticator;
import io.orderhub.security.Caller;
import io.orderhub.security.JwtAuthenticator;
import io.orderhub.security.RateLimiter;
import io.orderhub.security.Role;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The first step of every REST route: authenticates the X-API-Key header, or an
 * {@code Authorization: Bearer} JWT when the hub accepts tokens (401), applies the key's
 * rate limit (429 with Retry-After), checks the role the route needs (403), keeps the caller as an exchange property and drops the key from the headers so
 * it is never logged or echoed. Which channel's data a CHANNEL caller may see is decided by the
 * services, not here.
 */
@Component("apiGuard")
public class ApiGuard {

    private final ApiKeyAuthenticator authenticator;
    private final JwtAuthenticator jwt;
    private final RateLimiter rateLimiter;

    public ApiGuard(ApiKeyAuthenticator authenticator, JwtAuthenticator jwt, RateLimiter rateLimiter) {
        this.authenticator = authenticator;
        this.jwt = jwt;
        this.rateLimiter = rateLimiter;
    }

    /** Any valid key: CHANNEL, OPS or ADMIN. */
    public void anyRole(Exchange exchange) {
        require(exchange, EnumSet.allOf(Role.class));
    }

    /** OPS or ADMIN. */
    public void operator(Exchange exchange) {
        require(exchange, EnumSet.of(Role.OPS, Role.ADMIN));
    }

    /** ADMIN only. */
    public void admin(Exchange exchange) {
        require(exchange, EnumSet.of(Role.ADMIN));
    }

    private void require(Exchange exchange, Set<Role> roles) {
        String secret = ApiExchange.header(exchange, ApiKeyAuthenticator.HEADER);
        String authorization = ApiExchange.header(exchange, JwtAuthenticator.HEADER);
        exchange.getMessage().removeHeader(ApiKeyAuthenticator.HEADER);
        exchange.getMessage().removeHeader(JwtAuthenticator.HEADER);
        // an API key wins when both are sent; a bearer token is used only when tokens are accepted
        Caller caller = (secret == null || secret.isBlank()) && JwtAuthenticator.isBearer(authorization) && jwt.enabled()
                ? jwt.authenticate(authorization)
                : authenticator.authenticate(secret);
        rateLimiter.acquire(caller.keyId()).ifPresent(wait -> {
            throw new RetryLaterException(Problem.TOO_MANY_REQUESTS, ApiKeyAuthenticator.HEADER,
                    "this key sent more requests than its rate limit allows; retry after " + wait + " s", wait);
        });
        if (!roles.contains(caller.role())) {
            throw OrderHubException.field(Problem.FORBIDDEN, ApiKeyAuthenticator.HEADER,
                    "a " + caller.role() + " key may not call this endpoint; it needs " + roles);
        }
        exchange.setProperty(ApiExchange.CALLER, caller);
    }
}
