package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.orderhub.ingest.camel.JmsDeadLetters;
import io.orderhub.support.HubTestSupport;
import io.orderhub.sync.inbound.camel.InboundDeadLetters;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The database away is waited out by the JMS consumers, transacted or acknowledging after their route
 * (routes/database-outage.camel.yaml): the failed step is tried again in place, the message never rolls back, so
 * its delivery count stays 1 however long the outage lasts, and it never reaches a dead letter queue (the broker's
 * limit is 5 deliveries, the JMS intake's 3). Found by PostgresOutageTest: before, the stage messages of orders in flight went to
 * DLQ.orders.events during a 30 s PostgreSQL stop and their orders stayed PAID.
 */
class DatabaseOutageConsumersTest extends HubTestSupport {

    @Autowired
    CamelContext camel;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    JmsDeadLetters jmsIntake;
    @Autowired
    InboundDeadLetters inboundDeadLetters;

    @Test
    void aConsumerKeepsItsMessageAndTriesAgainUntilTheDatabaseIsBack() throws Exception {
        waitsInPlace("transacted=true");
    }

    @Test
    void aConsumerThatAcknowledgesAfterItsRouteWaitsTheSameWay() throws Exception {
        waitsInPlace("acknowledgementModeName=CLIENT_ACKNOWLEDGE");
    }

    private void waitsInPlace(String consumerOptions) throws Exception {
        String queue = "test.database-outage." + UUID.randomUUID();
        String routeId = "testWaitForDatabase-" + UUID.randomUUID();
        // more failures than the broker's 5 deliveries: without waiting in place the message would be dead-lettered
        int outageAttempts = 8;
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Object> deliveryCount = new AtomicReference<>();
        AtomicInteger done = new AtomicInteger();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:" + queue + "?" + consumerOptions).routeId(routeId).routeConfigurationId("waitForDatabase")
                        .process(exchange -> {
                            if (attempts.incrementAndGet() <= outageAttempts) {
                                throw new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available",
                                                "08001"));
                            }
                            deliveryCount.set(exchange.getMessage().getHeader("JMSXDeliveryCount"));
                            done.incrementAndGet();
                        });
            }
        });
        try {
            new JmsTemplate(connectionFactory).convertAndSend(queue, "an event");
            await().atMost(Duration.ofMinutes(2)).until(() -> done.get() == 1);
            assertThat(attempts.get()).as("attempts: the outage, then one that worked").isEqualTo(outageAttempts + 1);
            assertThat(deliveryCount.get()).as("JMS deliveries of the message: never rolled back").isEqualTo(1);
            Boolean left = new JmsTemplate(connectionFactory).browse(queue,
                    (session, browser) -> !browser.getEnumeration().hasMoreElements());
            assertThat(left).as("the message left its queue").isTrue();
        } finally {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }

    @Test
    void aFailedRouteOfAConsumerThatAcknowledgesAfterItGetsItsMessageAgain() throws Exception {
        String queue = "test.client-ack." + UUID.randomUUID();
        String routeId = "testClientAck-" + UUID.randomUUID();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Object> deliveryCount = new AtomicReference<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:" + queue + "?acknowledgementModeName=CLIENT_ACKNOWLEDGE").routeId(routeId)
                        .process(exchange -> {
                            if (attempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("the first delivery fails");
                            }
                            deliveryCount.set(exchange.getMessage().getHeader("JMSXDeliveryCount"));
                        });
            }
        });
        try {
            new JmsTemplate(connectionFactory).convertAndSend(queue, "an event");
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveryCount.get() != null);
            assertThat(deliveryCount.get()).as("the failed delivery was not acknowledged: the message came again")
                    .isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> new JmsTemplate(connectionFactory).browse(queue,
                    (session, browser) -> !browser.getEnumeration().hasMoreElements()));
        } finally {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }

    @Test
    void noJmsConsumerAcknowledgesBeforeItsRouteIsDone() {
        List<String> early = new ArrayList<>();
        List<String> eventConsumers = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof JmsEndpoint jms && !jms.isTransacted()) {
                if ("CLIENT_ACKNOWLEDGE".equals(jms.getAcknowledgementModeName())) {
                    eventConsumers.add(route.getRouteId());
                } else {
                    early.add(route.getRouteId() + " (" + jms.getAcknowledgementModeName() + ")");
                }
            }
        }
        // Spring's listener acknowledges AUTO_ACKNOWLEDGE and DUPS_OK messages before or during the route: a crash
        // there would lose the message
        assertThat(early).as("JMS consumers neither transacted nor CLIENT_ACKNOWLEDGE").isEmpty();
        assertThat(eventConsumers).contains("syncErp", "syncCrm", "notifyCustomers");
        assertThat(camel.getRoutes()).filteredOn(r -> List.of("receiveJmsOrder", "notifySenders", "reserveStock",
                        "allocateStock", "payConfirmedOrder", "refundCancelledOrder").contains(r.getRouteId()))
                .hasSize(6)
                .allMatch(r -> ((JmsEndpoint) r.getEndpoint()).isTransacted(), "the intake, the senders' notices and "
                        + "the lifecycle stages are transacted");
    }

    @Test
    void everyJmsConsumerWaitsForTheDatabase() {
        List<String> without = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof JmsEndpoint
                    && (route.getConfigurationId() == null || !List.of(route.getConfigurationId().split(","))
                    .contains("waitForDatabase"))) {
                without.add(route.getRouteId() + " (" + route.getConfigurationId() + ")");
            }
        }
        assertThat(camel.getRoutes()).extracting(Route::getRouteId).contains("reserveStock", "payConfirmedOrder",
                "allocateStock", "receiveJmsOrder", "syncErp", "notifyCustomers");
        assertThat(without).as("JMS consumers without routeConfigurationId waitForDatabase").isEmpty();
    }

    @Test
    void everyJmsConsumerWorksOnAPlainMessage() {
        List<String> without = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof JmsEndpoint
                    && route.getRoutePolicyList().stream().noneMatch(p -> p.getClass().getName()
                    .equals("io.orderhub.messaging.camel.PlainJmsMessages$Detach"))) {
                without.add(route.getRouteId());
            }
        }
        // the copies an error handler makes of a Camel JmsMessage each raise and drop an exception (PlainJmsMessages)
        assertThat(camel.getRoutes()).extracting(Route::getRouteId).contains("reserveStock", "syncErp", "notifyCustomers");
        assertThat(without).as("JMS consumers still working on Camel's JmsMessage").isEmpty();
    }

    @Test
    void theDatabaseAwayNeverMakesAMessagePoison() {
        Exchange third = new DefaultExchange(camel);
        third.getIn().setHeader("JMSXDeliveryCount", 3);
        third.setProperty(Exchange.EXCEPTION_CAUGHT, new CannotCreateTransactionException("Could not open JDBC Connection",
                new SQLTransientConnectionException("Connection is not available", "08001")));
        assertThat(jmsIntake.lastDelivery(third)).as("JMS intake, third delivery, database away").isFalse();
        assertThat(inboundDeadLetters.poison(third)).as("ERP/CRM inbound, third delivery, database away").isFalse();

        Exchange poison = new DefaultExchange(camel);
        poison.getIn().setHeader("JMSXDeliveryCount", 3);
        poison.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("fails on every delivery"));
        assertThat(jmsIntake.lastDelivery(poison)).as("JMS intake, third delivery, another failure").isTrue();
        assertThat(inboundDeadLetters.poison(poison)).as("ERP/CRM inbound, third delivery, another failure").isTrue();
    }
}
