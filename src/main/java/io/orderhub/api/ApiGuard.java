package io.orderhub.api;

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
import org.apache.camel.support.ExchangeHelper;
import org.springframework.stereotype.Component;

/**
 * Authentication and access of every REST call, run by the {@code apiErrors} route configuration in front of every
 * REST route ({@code interceptFrom}): finds the access the route's rest verb declares ({@link ApiAccess}, one map
 * get), authenticates the X-API-Key header, or an {@code Authorization: Bearer} JWT when the hub accepts tokens (401),
 * applies the key's rate limit (429 with Retry-After), checks the declared roles (403), keeps the caller as an
 * exchange property and drops the key from the headers so it is never logged or echoed. A request without a key or
 * token whose TLS client certificate is bound to a channel ({@link ClientCertificateFilter}) is that channel's caller;
 * a key of another channel beside such a certificate is refused (403). A route without a
 * declaration is closed (403). Which channel's data a CHANNEL caller may see is decided by the services, not here.
 */
@Component("apiGuard")
public class ApiGuard {

    /** Exchange property: the channel the request's client certificate is bound to. */
    static final String CERTIFICATE_CHANNEL = "orderhub.certificateChannel";

    private final ApiKeyAuthenticator authenticator;
    private final JwtAuthenticator jwt;
    private final RateLimiter rateLimiter;
    private final ApiAccess access;

    public ApiGuard(ApiKeyAuthenticator authenticator, JwtAuthenticator jwt, RateLimiter rateLimiter, ApiAccess access) {
        this.authenticator = authenticator;
        this.jwt = jwt;
        this.rateLimiter = rateLimiter;
        this.access = access;
    }

    /**
     * The guard in front of every REST route (the {@code interceptFrom} of {@code apiErrors}). A signed callback
     * passes (its own step checks the signature); a route that calls {@link #authorize} itself, after storing the
     * request's document, passes here and is checked there.
     */
    public void guard(Exchange exchange) {
        // the channel of a verified client certificate (ClientCertificateFilter), kept off the headers like the key
        String certificateChannel = ApiExchange.header(exchange, ClientCertificateFilter.HEADER);
        exchange.getMessage().removeHeader(ClientCertificateFilter.HEADER);
        if (certificateChannel != null && !certificateChannel.isBlank()) {
            exchange.setProperty(CERTIFICATE_CHANNEL, certificateChannel);
        }
        ApiAccess.Access declared = declared(exchange);
        if (!declared.inRoute() && !declared.signed()) {
            require(exchange, declared.roles());
        }
    }

    /** The same check as a step of the route, for routes that must do something before it (receipt first). */
    public void authorize(Exchange exchange) {
        ApiAccess.Access declared = declared(exchange);
        if (!declared.signed()) {
            require(exchange, declared.roles());
        }
    }

    private ApiAccess.Access declared(Exchange exchange) {
        ApiAccess.Access declared = access.of(ExchangeHelper.getAtRouteId(exchange));
        if (declared == null) {
            throw OrderHubException.field(Problem.FORBIDDEN, ApiKeyAuthenticator.HEADER,
                    "this endpoint declares no access, so nobody may call it");
        }
        return declared;
    }

    private void require(Exchange exchange, Set<Role> roles) {
        String secret = ApiExchange.header(exchange, ApiKeyAuthenticator.HEADER);
        String authorization = ApiExchange.header(exchange, JwtAuthenticator.HEADER);
        exchange.getMessage().removeHeader(ApiKeyAuthenticator.HEADER);
        exchange.getMessage().removeHeader(JwtAuthenticator.HEADER);
        // an API key wins when both are sent; a bearer token is used only when tokens are accepted
        String certificateChannel = exchange.getProperty(CERTIFICATE_CHANNEL, String.class);
        boolean noKey = secret == null || secret.isBlank();
        Caller caller;
        if (noKey && JwtAuthenticator.isBearer(authorization) && jwt.enabled()) {
            caller = jwt.authenticate(authorization);
        } else if (noKey && certificateChannel != null) {
            // a client certificate bound to a channel in channels.yaml: that channel's caller, as its API key would be
            caller = Caller.channel("certificate:" + certificateChannel, certificateChannel);
        } else {
            caller = authenticator.authenticate(secret);
        }
        if (certificateChannel != null && caller.role() == Role.CHANNEL && !certificateChannel.equals(caller.channel())) {
            throw OrderHubException.field(Problem.FORBIDDEN, ApiKeyAuthenticator.HEADER, "belongs to channel '"
                    + caller.channel() + "', but the client certificate is bound to channel '" + certificateChannel + "'");
        }
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
