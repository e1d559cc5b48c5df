package io.orderhub.shipping;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the shipping stage ({@code orderhub.shipping.*}): carrier accounts, rate-shopping
 * policies per shipping method (and per channel), the completion hold and the job intervals.
 *
 * @param accounts          carrier accounts by name: base URL (blank: the in-hub sandbox carrier), API key,
 *                          webhook secret, whether its trackers are polled (carriers without webhooks)
 * @param defaultAccount    the account used when a policy names none
 * @param policies          rate-shopping policy by shippingMethod ({@code default} for orders without one)
 * @param channels          per channel: shippingMethod → policy, overriding {@code policies}
 * @param completionHold    DELIVERED → COMPLETED after this long (PT0S: at once)
 */
@ConfigurationProperties("orderhub.shipping")
public record ShippingProperties(Map<String, Account> accounts, String defaultAccount, Map<String, Policy> policies,
                                 Map<String, Map<String, Policy>> channels, Duration completionHold,
                                 Duration connectTimeout, Duration requestTimeout, Duration jobLease) {

    public ShippingProperties {
        accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
        defaultAccount = defaultAccount == null || defaultAccount.isBlank() ? "easypost" : defaultAccount;
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        channels = channels == null ? Map.of() : Map.copyOf(channels);
        completionHold = completionHold == null ? Duration.ZERO : completionHold;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        jobLease = jobLease == null ? Duration.ofSeconds(60) : jobLease;
    }

    public record Account(String baseUrl, String apiKey, String webhookSecret, boolean pollTracking) {
    }

    /**
     * How to choose among the rates: {@code cheapest}, {@code fastest}, or {@code cheapest-within}
     * {@code maxDays} transit days; {@code preferredCarriers} narrows the rates to those carriers when any of
     * them offers one.
     */
    public record Policy(String account, String strategy, Integer maxDays, List<String> preferredCarriers) {

        public Policy {
            strategy = strategy == null || strategy.isBlank() ? "cheapest" : strategy;
            preferredCarriers = preferredCarriers == null ? List.of() : List.copyOf(preferredCarriers);
        }
    }

    /** The policy for a channel's orders with this shippingMethod. */
    public Policy policy(String channel, String shippingMethod) {
        String method = shippingMethod == null || shippingMethod.isBlank() ? "default" : shippingMethod;
        Map<String, Policy> own = channels.getOrDefault(channel, Map.of());
        if (own.containsKey(method)) {
            return own.get(method);
        }
        if (policies.containsKey(method)) {
            return policies.get(method);
        }
        if (own.containsKey("default")) {
            return own.get("default");
        }
        return policies.getOrDefault("default", new Policy(null, "cheapest", null, List.of()));
    }
}
