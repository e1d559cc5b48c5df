package io.orderhub.payment;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Payment settings ({@code orderhub.payment.*}).
 *
 * @param gateways           gateways by name (the {@code paymentGateway} of a channel in channels.yaml)
 * @param connectTimeout     HTTP connect timeout towards a gateway
 * @param requestTimeout     HTTP request timeout towards a gateway (a timeout is retried with the same key)
 * @param maxAttempts        tries per gateway call for timeouts, 5xx and 429 (4xx other than 429 are not retried)
 * @param retryDelay         first backoff between tries, doubled per try
 * @param manualChannels     channels whose confirmed orders the payment stage leaves CONFIRMED (paid by someone else)
 * @param webhookTolerance   accepted age of a webhook's signature timestamp
 * @param breakerThreshold   consecutive failed gateway calls that open the gateway's circuit breaker
 * @param breakerOpenFor     how long an open breaker refuses calls before letting one through
 * @param pendingRetryAfter  a charge or refund left PENDING (gateway unavailable) this long is sent again by the job
 */
@ConfigurationProperties("orderhub.payment")
public record PaymentProperties(Map<String, Gateway> gateways, Duration connectTimeout, Duration requestTimeout,
                                Integer maxAttempts, Duration retryDelay,
                                List<String> manualChannels, Duration webhookTolerance, Integer breakerThreshold,
                                Duration breakerOpenFor, Duration pendingRetryAfter) {

    /**
     * One gateway.
     *
     * @param type            protocol: {@code stripe} (PaymentIntents) or {@code adyen} (Checkout API v71)
     * @param baseUrl         e.g. {@code https://api.stripe.com} (the client appends {@code /v1/...}) or
     *                        {@code https://checkout-test.adyen.com} (the client appends {@code /v71/...})
     * @param apiKey          secret key, sent as {@code Authorization: Bearer} (stripe) or {@code X-API-Key} (adyen)
     * @param webhookSecret   signing secret of the gateway's webhooks ({@code whsec_...}; stripe only)
     * @param merchantAccount the merchant account every Adyen request names (adyen only)
     */
    public record Gateway(String type, String baseUrl, String apiKey, String webhookSecret, String merchantAccount) {

        /** The same gateway at another base URL. */
        public Gateway at(String otherBaseUrl) {
            return new Gateway(type, otherBaseUrl, apiKey, webhookSecret, merchantAccount);
        }
    }

    public PaymentProperties {
        gateways = gateways == null ? Map.of() : Map.copyOf(gateways);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        maxAttempts = maxAttempts == null || maxAttempts < 1 ? 3 : maxAttempts;
        retryDelay = retryDelay == null ? Duration.ofMillis(500) : retryDelay;
        manualChannels = manualChannels == null ? List.of() : List.copyOf(manualChannels);
        webhookTolerance = webhookTolerance == null ? Duration.ofSeconds(300) : webhookTolerance;
        breakerThreshold = breakerThreshold == null || breakerThreshold < 1 ? 5 : breakerThreshold;
        breakerOpenFor = breakerOpenFor == null ? Duration.ofSeconds(30) : breakerOpenFor;
        pendingRetryAfter = pendingRetryAfter == null ? Duration.ofSeconds(60) : pendingRetryAfter;
    }
}
