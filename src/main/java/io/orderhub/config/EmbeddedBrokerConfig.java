package io.orderhub.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderhub.security.BrokerUsers;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jms.connection.SingleConnectionFactory;

/**
 * The embedded Artemis broker of the zero-setup default: a persistent journal under the data
 * directory (an acknowledged send is synced to disk), a TCP acceptor on ORDERHUB_BROKER_PORT that
 * speaks CORE, AMQP, OpenWire and STOMP for outside clients, a dead letter address for every
 * address so nothing is dropped silently, and the memory and disk limits of {@link BrokerLimits}:
 * an address beyond its memory limit pages to {@code <data dir>/artemis/paging} (default PAGE), and a
 * disk beyond its limit blocks producers until there is room again (docs/transports.md). An optional TLS acceptor
 * ({@link BrokerTls}, ORDERHUB_BROKER_TLS_PORT) speaks the same protocols; where {@code orderhub.broker.allow-plain}
 * is false ({@code prod}) the plain acceptor may listen on a loopback interface only.
 *
 * <p>Security is on: no anonymous access. The hub's own user ({@code spring.artemis.user}, role {@code hub}) and the
 * channels' users ({@code orderhub.broker.users}, role {@code channel}) of {@link BrokerUsers} are the broker's
 * users, with the per-address roles of {@link BrokerSecurity}; the broker puts the sender's user on every message
 * ({@code _AMQ_VALIDATED_USER}), which the JMS intake checks against the channel the message names. The hub's own
 * connections (in-VM) log in with the hub's user.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedBrokerConfig {

    @Bean
    BrokerLimits brokerLimits(BrokerProperties broker) {
        return BrokerLimits.parse(broker.globalMaxSize(), broker.maxSizeBytes(), broker.addressFullPolicy(),
                broker.pageSizeBytes(), broker.maxDiskUsage(), broker.minDiskFree(),
                Math.toIntExact(broker.diskScanPeriod().toMillis()));
    }

    @Bean
    BrokerTls brokerTls(BrokerProperties broker) {
        BrokerProperties.Tls tls = broker.tls();
        return new BrokerTls(tls.host(), tls.port(), tls.keystore(), tls.keystorePassword(), tls.keystoreType(),
                tls.truststore(), tls.truststorePassword(), tls.truststoreType(), tls.needClientAuth());
    }

    @Bean
    ArtemisConfigurationCustomizer orderHubBroker(BrokerProperties broker,
                                                  @Value("${spring.artemis.embedded.data-directory}") String dataDirectory,
                                                  BrokerLimits limits, BrokerQueues queues, BrokerTls tls,
                                                  Environment environment, io.orderhub.crypto.DataCipher cipher) {
        String host = broker.host();
        int port = broker.port();
        BrokerTls.refusePlain(host, port, broker.allowPlain());
        return config -> {
            config.setJournalSyncTransactional(true);
            config.setJournalSyncNonTransactional(true);
            config.setSecurityEnabled(true);
            // the sender's validated user on every message, whatever the sender put there (the JMS intake's binding)
            config.setPopulateValidatedUser(true);
            // ... and on AMQP 1.0 messages, which Artemis leaves without it
            config.registerBrokerPlugin(new ValidatedUserOnEveryMessage());
            // channels' orders sealed under the key ring before the broker stores them (journal and paging files),
            // and so are the intake's dead letters
            config.registerBrokerPlugin(new SealedInboundOrders(List.of(
                    environment.getRequiredProperty("orderhub.jms.inbound-queue"),
                    environment.getProperty("orderhub.jms.inbound-dead-letter-queue", "")), cipher));
            // no clustering here: the cluster user's well-known default password must not open the broker
            config.setClusterPassword(UUID.randomUUID().toString());
            config.setSecurityRoles(BrokerSecurity.roles(hubOnlyAddresses(queues, environment),
                    environment.getRequiredProperty("orderhub.jms.inbound-queue")));
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
            if (tls.enabled()) {
                // same protocols, same logins (the security settings are the broker's, not the acceptor's), over TLS
                config.addAcceptorConfiguration(tls.acceptor("tls"));
            }
            AddressSettings everywhere = new AddressSettings()
                    .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("DLQ"))
                    .setExpiryAddress(org.apache.activemq.artemis.api.core.SimpleString.of("ExpiryQueue"))
                    .setMaxDeliveryAttempts(5)
                    .setAutoCreateDeadLetterResources(true);
            limits.applyTo(config, everywhere);
            // answer queues named plainly are queues (anycast) unless the client says otherwise; the rest of their
            // settings come from "#" (Artemis merges the matches)
            AddressSettings replies = new AddressSettings()
                    .setDefaultAddressRoutingType(org.apache.activemq.artemis.api.core.RoutingType.ANYCAST)
                    .setDefaultQueueRoutingType(org.apache.activemq.artemis.api.core.RoutingType.ANYCAST);
            config.setAddressSettings(Map.of("#", everywhere, BrokerSecurity.REPLY_ADDRESSES, replies));
        };
    }

    /** The addresses only the hub's user may use: its events, its subscriptions, its own queues, dead letters. */
    public static List<String> hubOnlyAddresses(BrokerQueues queues, Environment env) {
        List<String> addresses = new ArrayList<>();
        addresses.add(queues.address());
        queues.subscriptions().forEach(s -> addresses.add(s.address()));
        for (String key : List.of("orderhub.jms.inbound-dead-letter-queue", "orderhub.ops.broker-dead-letter-queue",
                "orderhub.erp-inbound.queue", "orderhub.erp-inbound.dead-letter-queue", "orderhub.crm-inbound.queue",
                "orderhub.crm-inbound.dead-letter-queue", "orderhub.notify.rejections-queue", "orderhub.planning.reorder-queue",
                "orderhub.outbound.queue")) {
            String address = env.getProperty(key);
            if (address != null && !address.isBlank()) {
                addresses.add(address);
            }
        }
        addresses.add("ExpiryQueue");
        return addresses;
    }

    /**
     * The embedded broker's users (JAAS in memory: {@link InVMLoginModule}) and the hub's own in-VM connection
     * factory's login. Spring Boot gives the embedded broker neither: without them the broker would have no users
     * and the hub could not connect to it.
     */
    @Bean
    static BeanPostProcessor embeddedBrokerLogins(ObjectProvider<BrokerUsers> brokerUsers) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof EmbeddedActiveMQ broker) {
                    broker.setSecurityManager(securityManager(brokerUsers.getObject()));
                } else if (bean instanceof ActiveMQConnectionFactory factory) {
                    login(factory, brokerUsers.getObject());
                } else if (bean instanceof SingleConnectionFactory caching
                        && caching.getTargetConnectionFactory() instanceof ActiveMQConnectionFactory factory) {
                    login(factory, brokerUsers.getObject());
                }
                return bean;
            }
        };
    }

    static ActiveMQJAASSecurityManager securityManager(BrokerUsers users) {
        if (users.hubUser() == null || users.hubPassword() == null) {
            throw new IllegalStateException("the embedded broker needs the hub's own user: set ORDERHUB_ARTEMIS_USER and "
                    + "ORDERHUB_ARTEMIS_PASSWORD (spring.artemis.user / password); anonymous access is off");
        }
        SecurityConfiguration logins = new SecurityConfiguration();
        logins.addUser(users.hubUser(), users.hubPassword());
        logins.addRole(users.hubUser(), BrokerUsers.HUB_ROLE);
        for (BrokerUsers.ChannelUser u : users.channelUsers()) {
            if (u.password() != null) {
                logins.addUser(u.id(), u.password());
                logins.addRole(u.id(), BrokerUsers.CHANNEL_ROLE);
            }
        }
        return new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), logins);
    }

    private static void login(ActiveMQConnectionFactory factory, BrokerUsers users) {
        if (factory.getUser() == null && users.hubUser() != null) {
            factory.setUser(users.hubUser());
            factory.setPassword(users.hubPassword());
        }
    }
}
