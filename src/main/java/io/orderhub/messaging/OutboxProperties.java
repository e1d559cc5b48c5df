package io.orderhub.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The outbox relay's settings (under {@code orderhub.outbox}); defaults in {@code application.yaml}.
 *
 * @param pollIntervalMs the relay runs at least this often (besides right after a commit that appended events)
 * @param batchSize      events a relay run takes
 * @param sendTimeoutMs  a batch the broker has not taken within this time is rolled back and goes later
 */
@ConfigurationProperties("orderhub.outbox")
public record OutboxProperties(long pollIntervalMs, int batchSize, long sendTimeoutMs) {
}
