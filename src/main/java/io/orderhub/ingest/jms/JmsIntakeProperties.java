package io.orderhub.ingest.jms;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The JMS intake's settings read by Java (under {@code orderhub.jms}); defaults in {@code application.yaml}. The queue,
 * consumers and dead letter settings are read by routes/jms-intake.camel.yaml and the dead letter beans.
 *
 * @param inboundRequireBrokerUser an order message must name the broker user who sent it ({@code _AMQ_VALIDATED_USER});
 *                                 false: a message without it is taken
 */
@ConfigurationProperties("orderhub.jms")
public record JmsIntakeProperties(boolean inboundRequireBrokerUser) {
}
