package io.orderhub.security;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import io.orderhub.common.ApiProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Requests per API key: a token bucket per key (refilled at {@code rate} per second up to
 * {@code burst}). A key may carry its own rate ({@code rate-limit} in its configuration).
 */
@Component
public class RateLimiter {

    private final Clock clock;
    private final double defaultRate;
    private final double defaultBurst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Double> rates = new ConcurrentHashMap<>();

    @Autowired
    public RateLimiter(SecurityProperties properties, Clock clock, ApiProperties api) {
        this(properties, clock, api.rateLimit().perSecond(), api.rateLimit().burst());
    }

    public RateLimiter(SecurityProperties properties, Clock clock, double rate, double burst) {
        this.clock = clock;
        this.defaultRate = rate;
        this.defaultBurst = burst;
        for (SecurityProperties.ApiKey key : properties.apiKeys()) {
            if (key.rateLimit() != null) {
                rates.put(key.id(), key.rateLimit());
            }
        }
    }

    /** Takes one request from the key's bucket; empty when allowed, else the seconds to wait. */
    public OptionalLong acquire(String keyId) {
        double rate = rates.getOrDefault(keyId, defaultRate);
        double burst = rates.containsKey(keyId) ? Math.max(1, rate) : defaultBurst;
        Bucket bucket = buckets.computeIfAbsent(keyId, k -> new Bucket(burst, clock.millis()));
        synchronized (bucket) {
            long now = clock.millis();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * rate / 1000.0);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return OptionalLong.empty();
            }
            return OptionalLong.of((long) Math.ceil((1 - bucket.tokens) / rate));
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
