package io.orderhub.sync;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The durable subscriptions of the sync targets on the embedded broker: one multicast queue per
 * target on {@code orders.events}, created with the broker, so no event published before the first
 * consumer connects is missed. The sync routes consume them by fully qualified queue name
 * ({@code orders.events::erp.sync}). An external broker needs the same queues in its broker.xml
 * (docs/erp-crm.md).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class SyncBrokerConfig {

    @Bean
    ArtemisConfigurationCustomizer syncSubscriptions(@Value("${orderhub.jms.events-address}") String address,
                                                     @Value("${orderhub.sync.erp.queue}") String erpQueue,
                                                     @Value("${orderhub.sync.crm.queue}") String crmQueue) {
        return config -> {
            for (String queue : new String[] {erpQueue, crmQueue}) {
                config.addQueueConfiguration(QueueConfiguration.of(queue).setAddress(address)
                        .setRoutingType(RoutingType.MULTICAST).setDurable(true));
            }
        };
    }
}
