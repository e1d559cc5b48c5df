package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

/** The TLS acceptor's settings and the rule for the plain acceptor (no broker: BrokerTlsTest runs one). */
class BrokerTlsSettingsTest {

    static final io.orderhub.crypto.DataCipher CIPHER = new io.orderhub.crypto.DataCipher(io.orderhub.crypto.KeyRing.load(
            java.nio.file.Path.of("src", "test", "resources", "test-keyring.properties"), null));


    @Test
    void thePlainAcceptorOnAnInterfaceOtherHostsReachIsRefusedUnlessAllowed() {
        assertThatThrownBy(() -> BrokerTls.refusePlain("0.0.0.0", 61616, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0.0.0.0:61616")
                .hasMessageContaining("ORDERHUB_BROKER_ALLOW_PLAIN")
                .hasMessageContaining("ORDERHUB_BROKER_TLS_PORT");
        assertThatThrownBy(() -> BrokerTls.refusePlain("10.1.2.3", 61616, false)).isInstanceOf(IllegalStateException.class);
        for (String loopback : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
            assertThatCode(() -> BrokerTls.refusePlain(loopback, 61616, false)).as(loopback).doesNotThrowAnyException();
        }
        assertThatCode(() -> BrokerTls.refusePlain("0.0.0.0", -1, false)).as("no plain acceptor").doesNotThrowAnyException();
        assertThatCode(() -> BrokerTls.refusePlain("0.0.0.0", 61616, true)).as("allowed").doesNotThrowAnyException();
    }

    @Test
    void prodAllowsNoPlainAcceptorBeyondLoopbackByDefaultAndTheDefaultProfileDoes() {
        assertThat(yaml("application-prod.yaml").getProperty("orderhub.broker.allow-plain"))
                .isEqualTo("${ORDERHUB_BROKER_ALLOW_PLAIN:false}");
        assertThat(yaml("application.yaml").getProperty("orderhub.broker.allow-plain"))
                .isEqualTo("${ORDERHUB_BROKER_ALLOW_PLAIN:true}");
        assertThat(yaml("application.yaml").getProperty("orderhub.broker.tls.port")).isEqualTo("${ORDERHUB_BROKER_TLS_PORT:-1}");
    }

    @Test
    void theAcceptorNeedsAReadableKeyStoreAndForClientCertificatesATrustStore(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> tls(null, null, false).acceptor("tls"))
                .hasMessageContaining("ORDERHUB_BROKER_TLS_KEYSTORE");
        assertThatThrownBy(() -> tls(dir.resolve("missing.p12").toString(), null, false).acceptor("tls"))
                .hasMessageContaining("cannot read").hasMessageContaining("missing.p12");
        Path keys = Files.writeString(dir.resolve("keys.p12"), "x");
        assertThatThrownBy(() -> tls(keys.toString(), null, true).acceptor("tls"))
                .hasMessageContaining("ORDERHUB_BROKER_TLS_TRUSTSTORE");

        TransportConfiguration acceptor = tls(keys.toString(), keys.toString(), true).acceptor("tls");
        assertThat(acceptor.getName()).isEqualTo("tls");
        assertThat(acceptor.getParams()).containsEntry("sslEnabled", true).containsEntry("needClientAuth", true)
                .containsEntry("protocols", "CORE,AMQP,OPENWIRE,STOMP").containsEntry("port", 61617)
                .containsEntry("keyStoreType", "PKCS12").containsEntry("trustStorePath", keys.toString());
        assertThat(acceptor.toString()).doesNotContain("store-secret");
    }

    @Test
    void theEmbeddedBrokerGetsTheTlsAcceptorBesideThePlainOneAndProdRulesRefuseAPlainOneBeyondLoopback(@TempDir Path dir)
            throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.p12"), "x");
        EmbeddedBrokerConfig config = new EmbeddedBrokerConfig();
        BrokerLimits limits = BrokerLimits.parse("128MiB", "16MiB", "PAGE", "10MiB", 90, "-1", 5000);
        BrokerQueues queues = new BrokerQueues("orders.events", "orders.events::inventory.reserve",
                "orders.events::inventory.allocate", "orders.events::payment.charge", "orders.events::payment.refund",
                "orders.events::erp.sync", "orders.events::crm.sync", "orders.events::notify.customer", null, null, null,
                "orders.events::b2b.outbound", new io.orderhub.config.PartnerSubscriptions(new MockEnvironment()));
        MockEnvironment env = new MockEnvironment().withProperty("orderhub.jms.inbound-queue", "orders.inbound");
        BrokerTls tls = new BrokerTls("0.0.0.0", 61617, keys.toString(), "store-secret", "PKCS12", null, null, null, false);

        ConfigurationImpl broker = new ConfigurationImpl();
        config.orderHubBroker(broker("127.0.0.1", false), dir.toString(), limits, queues, tls, env, CIPHER).customize(broker);
        assertThat(broker.getAcceptorConfigurations()).extracting(TransportConfiguration::getName)
                .containsExactlyInAnyOrder("tcp", "tls");
        TransportConfiguration acceptor = broker.getAcceptorConfigurations().stream()
                .filter(a -> a.getName().equals("tls")).findFirst().orElseThrow();
        assertThat(acceptor.getParams()).containsEntry("sslEnabled", true).containsEntry("host", "0.0.0.0");

        assertThatThrownBy(() -> config.orderHubBroker(broker("0.0.0.0", false), dir.toString(), limits, queues, tls, env, CIPHER))
                .hasMessageContaining("ORDERHUB_BROKER_ALLOW_PLAIN");
        ConfigurationImpl off = new ConfigurationImpl();
        config.orderHubBroker(broker("0.0.0.0", true), dir.toString(), limits, queues,
                new BrokerTls("0.0.0.0", -1, null, null, null, null, null, null, false), env, CIPHER).customize(off);
        assertThat(off.getAcceptorConfigurations()).extracting(TransportConfiguration::getName).containsExactly("tcp");
    }

    @Test
    void theBrokerUrlIsLoggedWithoutItsStorePasswords() {
        assertThat(ExternalBrokerQueues.redacted("tcp://b:61617?sslEnabled=true;trustStorePath=/t.p12;trustStorePassword=s3cret;"
                + "keyStorePassword=other&verifyHost=true")).isEqualTo("tcp://b:61617?sslEnabled=true;trustStorePath=/t.p12;"
                + "trustStorePassword=***;keyStorePassword=***&verifyHost=true");
    }

    /** The plain acceptor's settings on port 61616 (the rest is given to the customizer separately). */
    private static BrokerProperties broker(String host, boolean allowPlain) {
        return new BrokerProperties(true, host, 61616, allowPlain, null, null, null, null, null, 90, null, null, true, null);
    }

    private static BrokerTls tls(String keyStore, String trustStore, boolean needClientAuth) {
        return new BrokerTls("0.0.0.0", 61617, keyStore, "store-secret", "PKCS12", trustStore, "store-secret", null,
                needClientAuth);
    }

    private static java.util.Properties yaml(String name) {
        YamlPropertiesFactoryBean factory = new YamlPropertiesFactoryBean();
        factory.setResources(new ClassPathResource(name));
        return factory.getObject();
    }
}
