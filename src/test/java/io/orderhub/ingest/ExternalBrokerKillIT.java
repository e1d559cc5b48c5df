package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.OrderHubApplication;
import io.orderhub.support.StandaloneArtemis;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hub against a standalone Artemis broker (the distribution
 * {@code org.apache.activemq:apache-artemis:2.44.0:tar.gz:bin}): 1,000 orders are sent to
 * orders.inbound, the broker is killed with SIGKILL half way and restarted, and every acknowledged
 * send must become exactly one order. Not part of the normal suite (it starts its own hub and a
 * broker process); run it with
 * {@code mvn -o -B test -Dtest=ExternalBrokerKillIT -Dsurefire.failIfNoSpecifiedTests=false}
 * after {@code mvn dependency:get -Dartifact=org.apache.activemq:apache-artemis:2.44.0:tar.gz:bin}.
 */
class ExternalBrokerKillIT {

    static final int ORDERS = 1000;

    StandaloneArtemis broker;
    ConfigurableApplicationContext hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyAcknowledgedSendBecomesExactlyOneOrderAcrossABrokerKill() throws Exception {
        Path work = Path.of("target", "it-artemis-" + UUID.randomUUID()).toAbsolutePath();
        broker = StandaloneArtemis.create(work).start();
        String url = broker.url();
        // the test profile reads the mappings from their copy; reading the path makes the copy (also when run alone)
        assertThat(io.orderhub.support.HubTestSupport.MAPPINGS).isNotNull();

        // command-line arguments: they outrank application*.yaml (builder properties would not)
        hub = new SpringApplicationBuilder(OrderHubApplication.class).profiles("test").run(
                "--server.port=0",
                "--orderhub.data-dir=" + work.resolve("hub-data"),
                "--orderhub.broker.embedded=false",
                "--orderhub.sandbox.mail.enabled=false",
                "--spring.artemis.mode=native",
                // no client-side reconnect: on a lost connection the listener container recovers with a new one
                "--spring.artemis.broker-url=" + url,
                "--spring.artemis.user=" + StandaloneArtemis.USER,
                "--spring.artemis.password=" + StandaloneArtemis.PASSWORD);
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        ObjectMapper json = hub.getBean(ObjectMapper.class);
        ObjectNode template = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));

        String run = "KILL-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Set<String> acknowledged = new HashSet<>();
        int retries = 0;
        long started = System.nanoTime();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url + "?reconnectAttempts=0", StandaloneArtemis.USER,
                StandaloneArtemis.PASSWORD);
        Connection connection = null;
        MessageProducer producer = null;
        Session session = null;
        for (int i = 0; i < ORDERS; i++) {
            if (i == ORDERS / 2) {
                broker.kill();
                broker.start();
            }
            ObjectNode order = template.deepCopy();
            order.put("externalId", run + i);
            while (true) {
                try {
                    if (connection == null) {
                        connection = factory.createConnection();
                        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                        producer = session.createProducer(session.createQueue("orders.inbound"));
                    }
                    TextMessage m = session.createTextMessage(json.writeValueAsString(order));
                    m.setStringProperty("channel", "webshop");
                    m.setStringProperty("_AMQ_DUPL_ID", run + i);
                    producer.send(m); // durable: returns once the broker has it on disk
                    acknowledged.add(run + i);
                    break;
                } catch (JMSException | RuntimeException e) {
                    retries++;
                    closeQuietly(connection);
                    connection = null;
                    await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60)).ignoreExceptions()
                            .until(() -> {
                                try (Connection probe = factory.createConnection()) {
                                    return true;
                                }
                            });
                }
            }
        }
        closeQuietly(connection);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Integer made = jdbc.queryForObject("select count(distinct external_id) from orders where external_id like ?",
                    Integer.class, run + "%");
            System.out.println("external broker kill: " + made + " orders, receipts by status "
                    + jdbc.queryForList("select status, count(*) from receipts group by status"));
            return made >= acknowledged.size();
        });
        Integer orders = jdbc.queryForObject("select count(*) from orders where external_id like ?", Integer.class,
                run + "%");
        Integer receipts = jdbc.queryForObject("select count(*) from receipts where via = 'jms' and status = 'DUPLICATE'",
                Integer.class);
        System.out.printf("external broker kill: %d acknowledged sends, %d send retries, %d orders, %d duplicate "
                        + "receipts, %.1f s%n", acknowledged.size(), retries, orders, receipts,
                (System.nanoTime() - started) / 1e9);
        assertThat(acknowledged).hasSize(ORDERS);
        assertThat(orders).isEqualTo(ORDERS);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (JMSException | RuntimeException ignored) {
                // the broker is gone; the connection with it
            }
        }
    }
}
