package io.orderhub.support;

import java.util.concurrent.atomic.AtomicInteger;

import io.orderhub.config.BrokerLimits;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A small in-VM Artemis broker of a test's own (not the hub's), configured through {@link BrokerLimits} like the
 * embedded broker, with a tiny per-address limit, so a test can make an address full ({@link #fill}): under BLOCK a
 * new producer to it then waits for credit that does not come, under FAIL its send is refused, until the address
 * is drained ({@link #drain}).
 */
public final class BlockingBroker implements AutoCloseable {

    private static final AtomicInteger IDS = new AtomicInteger(700);

    private final EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    private final int id = IDS.incrementAndGet();

    public BlockingBroker(String policy, String maxSizeBytes) throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("blocking-broker-" + id);
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("invm", "vm://" + id);
        AddressSettings everywhere = new AddressSettings();
        BrokerLimits.parse("-1", maxSizeBytes, policy, "64KiB", 90, "-1", 5000).applyTo(config, everywhere);
        config.addAddressSetting("#", everywhere);
        broker.setConfiguration(config);
        broker.start();
    }

    public ConnectionFactory connectionFactory() {
        return new ActiveMQConnectionFactory("vm://" + id);
    }

    public ActiveMQServer server() {
        return broker.getActiveMQServer();
    }

    /** A durable subscription {@code queue} on the multicast {@code address} (what the hub's stages have). */
    public void multicastQueue(String address, String queue) throws Exception {
        server().createQueue(QueueConfiguration.of(queue).setAddress(address).setRoutingType(RoutingType.MULTICAST)
                .setDurable(true));
    }

    /** An anycast queue of that name. */
    public void queue(String name) throws Exception {
        server().createQueue(QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));
    }

    /** Sends 1 KiB messages to the address until the broker counts it full (its producer had credit before). */
    public void fill(String address, boolean topic) throws Exception {
        try (Connection c = connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination d = topic ? s.createTopic(address) : s.createQueue(address);
            MessageProducer p = s.createProducer(d);
            String body = "x".repeat(1024);
            for (int i = 0; i < 1000 && !full(address); i++) {
                p.send(s.createTextMessage(body));
            }
        }
        if (!full(address)) {
            throw new IllegalStateException(address + " did not become full");
        }
    }

    public boolean full(String address) throws Exception {
        return server().getPagingManager().getPageStore(SimpleString.of(address)).isFull();
    }

    public long count(String queue) {
        return server().locateQueue(SimpleString.of(queue)).getMessageCount();
    }

    /** Deletes every message of the queue: the address has room again and blocked producers get their credit. */
    public void drain(String queue) throws Exception {
        server().locateQueue(SimpleString.of(queue)).deleteAllReferences();
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
