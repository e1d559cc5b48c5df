package io.orderhub.shipping;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shipping jobs' settings (under {@code orderhub.shipping}, beside {@link ShippingProperties}); defaults in
 * {@code application.yaml}. The intervals are milliseconds: the timers of routes/shipping.camel.yaml read the same keys.
 *
 * @param dispatchIntervalMs   the label dispatcher's interval
 * @param pollIntervalMs       the tracking poller's interval
 * @param completionIntervalMs the completion job's interval
 * @param dispatchConcurrency  orders whose labels a dispatcher run buys at once
 * @param dispatchBatchSize    packed shipments a dispatcher run takes
 */
@ConfigurationProperties("orderhub.shipping")
public record ShippingJobProperties(long dispatchIntervalMs, long pollIntervalMs, long completionIntervalMs,
                                    int dispatchConcurrency, int dispatchBatchSize) {
}
