package io.orderhub.config;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's subscriptions on the embedded broker: every queue of {@link BrokerQueues} (the lifecycle
 * stages' filtered queues, the ERP, CRM and notification queues) on the multicast address
 * {@code orders.events}, declared with the broker, so no event is missed while the hub starts. An
 * external broker gets the same list at start-up from {@link ExternalBrokerQueues}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class StageQueuesConfig {

    @Bean
    ArtemisConfigurationCustomizer stageQueues(BrokerQueues queues) {
        return config -> {
            for (BrokerQueues.Subscription s : queues.subscriptions()) {
                CoreAddressConfiguration address = config.getAddressConfigurations().stream()
                        .filter(a -> a.getName().equals(s.address())).findFirst().orElseGet(() -> {
                            CoreAddressConfiguration a = new CoreAddressConfiguration().setName(s.address())
                                    .addRoutingType(RoutingType.MULTICAST);
                            config.addAddressConfiguration(a);
                            return a;
                        });
                address.addQueueConfiguration(s.configuration());
            }
        };
    }
}
