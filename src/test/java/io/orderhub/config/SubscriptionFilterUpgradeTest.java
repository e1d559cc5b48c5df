package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded broker started on the journal of an older hub, whose notification queue took every event, applies the
 * filter the configuration now gives it: after the upgrade an event the notifier does not mail is not put on the
 * queue, and what the queue held is kept.
 */
class SubscriptionFilterUpgradeTest {

    private static final String ADDRESS = "orders.events";
    private static final String QUEUE = "notify.customer";

    @Test
    void aQueueDeclaredWithoutFilterByAnOlderHubGetsTheConfiguredFilterAtTheNextStart(@TempDir Path dir) throws Exception {
        ActiveMQServer before = start(dir, null);
        try {
            send(before, "order.allocated");
            assertThat(queue(before).getMessageCount()).isEqualTo(1);
        } finally {
            before.stop();
        }
        ActiveMQServer after = start(dir, "eventType IN ('order.confirmed', 'order.shipped')");
        try {
            assertThat(queue(after).getFilter().getFilterString().toString()).contains("order.confirmed");
            assertThat(queue(after).getMessageCount()).as("the older hub's message, kept").isEqualTo(1);
            send(after, "order.allocated");
            send(after, "order.shipped");
            // the message of the older hub stays; of the two new ones only the mailed event is queued
            assertThat(queue(after).getMessageCount()).isEqualTo(2);
        } finally {
            after.stop();
        }
    }

    private static ActiveMQServer start(Path dir, String filter) throws Exception {
        QueueConfiguration q = QueueConfiguration.of(QUEUE).setAddress(ADDRESS).setRoutingType(RoutingType.MULTICAST)
                .setDurable(true);
        Configuration config = new ConfigurationImpl().setPersistenceEnabled(true).setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .addAcceptorConfiguration("in-vm", "vm://7")
                .addAddressConfiguration(new CoreAddressConfiguration().setName(ADDRESS)
                        .addRoutingType(RoutingType.MULTICAST).addQueueConfiguration(filter == null ? q : q.setFilterString(filter)));
        ActiveMQServer server = ActiveMQServers.newActiveMQServer(config, true);
        server.start();
        return server;
    }

    private static Queue queue(ActiveMQServer server) {
        return server.locateQueue(SimpleString.of(QUEUE));
    }

    private static void send(ActiveMQServer server, String eventType) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator("vm://7");
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession();
             ClientProducer producer = session.createProducer(ADDRESS)) {
            ClientMessage m = session.createMessage(true);
            m.putStringProperty("eventType", eventType);
            producer.send(m);
        }
    }
}
