package io.orderhub.config;

import java.util.Map;

import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded Artemis broker of the zero-setup default: a persistent journal under the data
 * directory (an acknowledged send is synced to disk), a TCP acceptor on ORDERHUB_BROKER_PORT that
 * speaks CORE, AMQP, OpenWire and STOMP for outside clients, and a dead letter address for every
 * address so nothing is dropped silently.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedBrokerConfig {

    @Bean
    ArtemisConfigurationCustomizer orderHubBroker(@Value("${orderhub.broker.host}") String host,
                                                  @Value("${orderhub.broker.port}") int port) {
        return config -> {
            config.setJournalSyncTransactional(true);
            config.setJournalSyncNonTransactional(true);
            config.setSecurityEnabled(false);
            if (port >= 0) {
                try {
                    config.addAcceptorConfiguration("tcp", "tcp://" + host + ":" + port
                            + "?protocols=CORE,AMQP,OPENWIRE,STOMP");
                } catch (Exception e) {
                    throw new IllegalStateException("cannot configure the broker acceptor on " + host + ":" + port, e);
                }
            }
            AddressSettings everywhere = new AddressSettings()
                    .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("DLQ"))
                    .setExpiryAddress(org.apache.activemq.artemis.api.core.SimpleString.of("ExpiryQueue"))
                    .setMaxDeliveryAttempts(5)
                    .setAutoCreateDeadLetterResources(true);
            config.setAddressSettings(Map.of("#", everywhere));
        };
    }
}
