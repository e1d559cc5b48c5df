package io.orderhub.security;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Failed authentications per source address ({@code orderhub.security.auth-failures.*}); defaults in
 * {@code application.yaml}.
 *
 * @param maxFailures   401 answers within {@code window} before the address is blocked
 * @param window        the window failures are counted in
 * @param blockFor      how long every request from a blocked address is answered 429
 * @param exemptSources addresses never blocked
 */
@ConfigurationProperties("orderhub.security.auth-failures")
public record AuthFailureProperties(int maxFailures, Duration window, Duration blockFor, Set<String> exemptSources) {
}
