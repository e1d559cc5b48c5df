package io.orderhub.config;

import java.util.Map;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The lifecycle stages' durable subscriptions on the embedded broker: queues on the multicast address
 * {@code orders.events}, each filtered by the broker on the event type it acts on. Declared up front so
 * no event is missed while the hub starts. An external broker needs the same queues (the feature
 * documents show the broker.xml lines); the ERP and CRM subscriptions are declared by SyncBrokerConfig.
 * The customer notifier's subscription ({@code notify.customer}) takes every event, unfiltered.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class StageQueuesConfig {

    /** Queue on orders.events → the event type it receives. */
    static final Map<String, String> STAGES = Map.of(
            "inventory.reserve", "order.created",
            "payment.charge", "order.confirmed",
            "inventory.allocate", "order.paid",
            "payment.refund", "order.cancelled");

    @Bean
    ArtemisConfigurationCustomizer stageQueues(@Value("${orderhub.jms.events-address}") String address,
                                               @Value("${orderhub.notify.queue}") String notifyQueue) {
        return config -> {
            CoreAddressConfiguration events = config.getAddressConfigurations().stream()
                    .filter(a -> a.getName().equals(address)).findFirst().orElseGet(() -> {
                        CoreAddressConfiguration a = new CoreAddressConfiguration().setName(address)
                                .addRoutingType(RoutingType.MULTICAST);
                        config.addAddressConfiguration(a);
                        return a;
                    });
            STAGES.forEach((queue, eventType) -> events.addQueueConfiguration(QueueConfiguration.of(queue)
                    .setAddress(address).setRoutingType(RoutingType.MULTICAST).setDurable(true)
                    .setFilterString("eventType = '" + eventType + "'")));
            // the notifier takes every event and decides itself (per channel, per template) what to mail
            events.addQueueConfiguration(QueueConfiguration.of(notifyQueue).setAddress(address)
                    .setRoutingType(RoutingType.MULTICAST).setDurable(true));
        };
    }
}
