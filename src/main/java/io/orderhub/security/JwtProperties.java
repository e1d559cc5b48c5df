package io.orderhub.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orderhub.security.jwt.*}: optional OAuth2 bearer tokens (JWT, RS256/ES256) beside the API keys.
 * On when {@code issuer} is set, with {@code audience} and the issuer's keys from {@code jwk-set-uri}
 * or a PEM public key file ({@code public-key-file}). The role comes from {@code roles-claim} (a list or
 * a space-separated string, e.g. {@code scope}; values OPS, ADMIN, CHANNEL, optionally prefixed
 * {@code orderhub:}), a CHANNEL caller's channel from {@code channel-claim}.
 */
@ConfigurationProperties("orderhub.security.jwt")
public record JwtProperties(String issuer, String audience, String jwkSetUri, String publicKeyFile, String rolesClaim,
                            String channelClaim, Duration clockSkew) {

    public JwtProperties {
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
        channelClaim = channelClaim == null || channelClaim.isBlank() ? "channel" : channelClaim;
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
    }

    public boolean enabled() {
        return issuer != null && !issuer.isBlank();
    }
}
