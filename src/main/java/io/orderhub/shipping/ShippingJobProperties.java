package io.orderhub.shipping;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shipping jobs' settings (under {@code orderhub.shipping}, beside {@link ShippingProperties}); defaults in
 * {@code application.yaml}. The intervals are milliseconds: the tracking poll's timer in routes/shipping.camel.yaml reads
 * its key, the dispatcher's and the completion's schedules ({@link ShippingConfig}) theirs.
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
