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
 * speaks CORE, AMQP, OpenWire and STOMP for outside clients, a dead letter address for every
 * address so nothing is dropped silently, and the memory and disk limits of {@link BrokerLimits}:
 * an address beyond its memory limit pages to {@code <data dir>/artemis/paging} (default PAGE), and a
 * disk beyond its limit blocks producers until there is room again (docs/transports.md).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedBrokerConfig {

    @Bean
    BrokerLimits brokerLimits(@Value("${orderhub.broker.global-max-size}") String globalMaxSize,
                              @Value("${orderhub.broker.max-size-bytes}") String maxSizeBytes,
                              @Value("${orderhub.broker.address-full-policy}") String addressFullPolicy,
                              @Value("${orderhub.broker.page-size-bytes}") String pageSizeBytes,
                              @Value("${orderhub.broker.max-disk-usage}") int maxDiskUsage,
                              @Value("${orderhub.broker.min-disk-free}") String minDiskFree,
                              @Value("${orderhub.broker.disk-scan-period-ms}") int diskScanPeriodMs) {
        return BrokerLimits.parse(globalMaxSize, maxSizeBytes, addressFullPolicy, pageSizeBytes, maxDiskUsage, minDiskFree,
                diskScanPeriodMs);
    }

    @Bean
    ArtemisConfigurationCustomizer orderHubBroker(@Value("${orderhub.broker.host}") String host,
                                                  @Value("${orderhub.broker.port}") int port,
                                                  @Value("${spring.artemis.embedded.data-directory}") String dataDirectory,
                                                  BrokerLimits limits) {
        return config -> {
            config.setJournalSyncTransactional(true);
            config.setJournalSyncNonTransactional(true);
            config.setSecurityEnabled(false);
            // where Spring Boot puts it too; said here because the operator's docs name it
            config.setPagingDirectory(dataDirectory + "/paging");
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
            limits.applyTo(config, everywhere);
            config.setAddressSettings(Map.of("#", everywhere));
        };
    }
}
