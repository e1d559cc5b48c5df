package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orderhub.support.StandaloneArtemis;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link ExternalBrokerQueues} against a standalone Artemis 2.44.0 broker (the distribution from Maven Central,
 * {@link StandaloneArtemis}): on a fresh broker the hub's subscriptions are created with their filters, so
 * events published before any consumer wait in the right queues; a second declaration (a restart, a second
 * instance) changes nothing; a queue that exists with another filter is reported as an ERROR naming both filters
 * and left alone. Not part of the normal suite (it starts a broker process); run it with
 * {@code ./mvnw -B test -Dtest=ExternalBrokerQueuesIT -Dsurefire.failIfNoSpecifiedTests=false} (also in .ci/run).
 */
class ExternalBrokerQueuesIT {

    static StandaloneArtemis broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = StandaloneArtemis.create(Path.of("target", "it-artemis-queues-" + UUID.randomUUID()).toAbsolutePath())
                .start().awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The hub's list as packaged, each name with the test's own tag (queue names are global on the broker). */
    static BrokerQueues hubQueues(String address, String tag) throws java.io.IOException {
        org.springframework.core.env.Environment packaged = SubscriptionFiltersTest.packaged();
        return new BrokerQueues(address, address + "::inventory.reserve" + tag, address + "::inventory.allocate" + tag,
                address + "::payment.charge" + tag, address + "::payment.refund" + tag, "erp.sync" + tag, "crm.sync" + tag,
                "notify.customer" + tag, packaged.getProperty("orderhub.sync.erp.subscription-filter"),
                packaged.getProperty("orderhub.sync.crm.subscription-filter"),
                packaged.getProperty("orderhub.notify.subscription-filter"), "b2b.outbound" + tag,
                new io.orderhub.config.PartnerSubscriptions(new org.springframework.mock.env.MockEnvironment()));
    }

    @Test
    void aFreshBrokerGetsEveryQueueWithItsFilterAndEventsBeforeAnyConsumerWaitWhereTheyBelong() throws Exception {
        String t = "." + UUID.randomUUID().toString().substring(0, 8);
        String address = "orders.events" + t;
        BrokerQueues queues = hubQueues(address, t);

        ExternalBrokerQueues.Report first = ExternalBrokerQueues.declare(queues, broker.url(), StandaloneArtemis.USER,
                StandaloneArtemis.PASSWORD, Duration.ofSeconds(30));

        assertThat(first.created()).hasSize(8);
        assertThat(first.mismatched()).isEmpty();
        for (BrokerQueues.Subscription s : queues.subscriptions()) {
            ClientSession.QueueQuery q = query(s.queue());
            assertThat(q.isExists()).as(s.queue()).isTrue();
            assertThat(q.isDurable()).as(s.queue()).isTrue();
            assertThat(q.getRoutingType()).isEqualTo(RoutingType.MULTICAST);
            assertThat(q.getAddress().toString()).isEqualTo(address);
            assertThat(q.getFilterString() == null ? null : q.getFilterString().toString()).as(s.queue()).isEqualTo(s.filter());
        }

        // published as the outbox relay does, while no hub consumes yet
        publish(address, "order.created", "order.paid", "order.shipped");
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("inventory.reserve" + t, 1);
        expected.put("payment.charge" + t, 0);
        expected.put("inventory.allocate" + t, 1);
        expected.put("payment.refund" + t, 0);
        expected.put("erp.sync" + t, 3);
        expected.put("crm.sync" + t, 3);
        expected.put("notify.customer" + t, 2); // order.created has no customer mail: its filter leaves it out
        expected.put("b2b.outbound" + t, 1);
        assertThat(depths(queues)).containsExactlyEntriesOf(expected);

        // a restart, or the second instance: nothing to do, nothing lost
        ExternalBrokerQueues.Report again = ExternalBrokerQueues.declare(queues, broker.url(), StandaloneArtemis.USER,
                StandaloneArtemis.PASSWORD, Duration.ofSeconds(30));
        assertThat(again.created()).isEmpty();
        assertThat(again.existing()).hasSize(8);
        assertThat(again.mismatched()).isEmpty();
        assertThat(depths(queues).get("erp.sync" + t)).isEqualTo(3);
    }

    @Test
    void aQueueWithAnotherFilterIsReportedAndLeftAsItIs() throws Exception {
        String t = "." + UUID.randomUUID().toString().substring(0, 8);
        String address = "orders.events" + t;
        BrokerQueues queues = hubQueues(address, t);
        // a hand-written broker.xml with a wrong filter, and a queue auto-created unfiltered by an early consumer
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
             ClientSessionFactory f = locator.createSessionFactory();
             ClientSession session = f.createSession(StandaloneArtemis.USER, StandaloneArtemis.PASSWORD, false, true, true, false, 0)) {
            session.createAddress(SimpleString.of(address), java.util.EnumSet.of(RoutingType.MULTICAST), false);
            session.createQueue(QueueConfiguration.of("inventory.reserve" + t).setAddress(address)
                    .setRoutingType(RoutingType.MULTICAST).setDurable(true).setFilterString("eventType = 'order.paid'"));
            session.createQueue(QueueConfiguration.of("payment.charge" + t).setAddress(address)
                    .setRoutingType(RoutingType.MULTICAST).setDurable(true));
        }
        Logger logger = (Logger) LoggerFactory.getLogger(ExternalBrokerQueues.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        ExternalBrokerQueues.Report report;
        try {
            report = ExternalBrokerQueues.declare(queues, broker.url(), StandaloneArtemis.USER, StandaloneArtemis.PASSWORD,
                    Duration.ofSeconds(30));
        } finally {
            logger.detachAppender(logged);
        }

        assertThat(report.created()).hasSize(6).doesNotContain("inventory.reserve" + t, "payment.charge" + t);
        assertThat(report.mismatched()).containsExactly(
                "inventory.reserve" + t + ": filter \"eventType = 'order.paid'\" instead of \"eventType = 'order.created'\"",
                "payment.charge" + t + ": filter none instead of \"eventType = 'order.confirmed'\"");
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.ERROR).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("queue inventory.reserve" + t + " exists but differs",
                        "filter \"eventType = 'order.paid'\" instead of \"eventType = 'order.created'\"", "broker.xml"))
                .anySatisfy(m -> assertThat(m).contains("queue payment.charge" + t + " exists but differs", "filter none"));
        // left as it was: the hub does not drop an operator's queue and its messages
        assertThat(query("inventory.reserve" + t).getFilterString().toString()).isEqualTo("eventType = 'order.paid'");
    }

    private static ClientSession.QueueQuery query(String queue) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
             ClientSessionFactory f = locator.createSessionFactory();
             ClientSession session = f.createSession(StandaloneArtemis.USER, StandaloneArtemis.PASSWORD, false, true, true, false, 0)) {
            return session.queueQuery(SimpleString.of(queue));
        }
    }

    private static void publish(String address, String... eventTypes) throws Exception {
        try (Connection c = new ActiveMQConnectionFactory(broker.url(), StandaloneArtemis.USER, StandaloneArtemis.PASSWORD)
                .createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic(address));
            for (String type : eventTypes) {
                TextMessage m = session.createTextMessage("{\"type\":\"" + type + "\"}");
                m.setStringProperty("eventType", type);
                producer.send(m);
            }
        }
    }

    private static Map<String, Integer> depths(BrokerQueues queues) throws Exception {
        Map<String, Integer> depths = new LinkedHashMap<>();
        try (Connection c = new ActiveMQConnectionFactory(broker.url(), StandaloneArtemis.USER, StandaloneArtemis.PASSWORD)
                .createConnection()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            for (BrokerQueues.Subscription s : queues.subscriptions()) {
                try (QueueBrowser browser = session.createBrowser(session.createQueue(s.fullyQualified()))) {
                    depths.put(s.queue(), Collections.list(browser.getEnumeration()).size());
                }
            }
        }
        return depths;
    }
}
