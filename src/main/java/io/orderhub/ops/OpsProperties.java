package io.orderhub.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Operations settings ({@code orderhub.ops.*}); defaults in {@code application.yaml}.
 *
 * @param metrics               the gauges that need a query or a broker browse
 * @param health                connector health
 * @param brokerDeadLetterQueue the broker's own dead letter queue
 * @param brokerReplayTimeout   a replay the broker does not take within this time is rolled back (503)
 */
@ConfigurationProperties("orderhub.ops")
public record OpsProperties(Metrics metrics, Health health, String brokerDeadLetterQueue, Duration brokerReplayTimeout) {

    /** Gauges counted every {@code refresh}; an external broker's queues browsed up to {@code browseCap} each. */
    public record Metrics(Duration refresh, int browseCap) {
    }

    /** A connector is OUT_OF_SERVICE after {@code connectorFailures} failed calls in a row. */
    public record Health(int connectorFailures) {
    }
}
