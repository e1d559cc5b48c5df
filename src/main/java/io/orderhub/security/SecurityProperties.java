package io.orderhub.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orderhub.security.*}: the API keys. A key's secret is given inline (from an environment
 * variable) or read from a file ({@code secret-file}, e.g. a mounted Docker or Kubernetes secret).
 * OPS and ADMIN keys name their role; keys listed under a channel in {@code mappings/channels.yaml}
 * are that channel's CHANNEL keys.
 */
@ConfigurationProperties("orderhub.security")
public record SecurityProperties(List<ApiKey> apiKeys) {

    public SecurityProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    /** {@code rateLimit}: requests per second for this key (default: orderhub.api.rate-limit.*). */
    public record ApiKey(String id, String secret, String secretFile, Role role, Double rateLimit) {

        @Override
        public String toString() {
            return "ApiKey[id=" + id + ", role=" + role + "]";
        }
    }
}
