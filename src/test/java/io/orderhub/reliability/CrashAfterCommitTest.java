package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.AfterCommitHook;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash between the database commit and the JMS acknowledgement (issue 13, fault 2), injected with the test
 * hook {@link FaultInjection} (orderhub.faults.halt-after-commit): the hub halts (exit 137, like kill -9) right
 * after a message's work committed and before its JMS transaction did, so the broker redelivers a message whose
 * effect is already stored. After the restart (without the hook) there must be one order per message, one
 * {@code order.created} event per order, the redelivered message answered DUPLICATE with the same order number,
 * and, for the reservation stage, one reservation per order.
 */
@Tag("reliability")
class CrashAfterCommitTest {

    static final int MESSAGES = Integer.getInteger("orderhub.reliability.crash-messages", 40);
    static final int HALT_AT = Integer.getInteger("orderhub.reliability.crash-at", 10);

    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jmsIntakeCrashAfterTheCommitMakesOneOrderAndTheRedeliveryIsADuplicate() throws Exception {
        Path log = log("crash-after-commit-jms-hub.log");
        try (HubProcess hub = new HubProcess(dir.resolve("data"), log)) {
            int brokerPort = hub.openBrokerPort();
            hub.env("ORDERHUB_FAULTS_HALT_AFTER_COMMIT", AfterCommitHook.JMS_INTAKE)
                    .env("ORDERHUB_FAULTS_HALT_AFTER_COUNT", Integer.toString(HALT_AT));
            hub.start();
            String replies = "reliability.replies." + UUID.randomUUID();
            ObjectNode template = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
            List<String> externalIds = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                externalIds.add("CRASH-" + UUID.randomUUID().toString().replace('-', 'x'));
            }
            // sends the broker acknowledged (a persistent send returns when the message is on disk)
            int sent = 0;
            try (Connection c = factory(brokerPort).createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue replyQueue = session.createQueue(replies);
                MessageProducer producer = session.createProducer(session.createQueue("orders.inbound"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (String externalId : externalIds) {
                    producer.send(message(session, template, externalId, replyQueue));
                    sent++;
                }
            } catch (jakarta.jms.JMSException e) {
                // the hub halted while we were still sending: the rest is sent again after the restart, as a channel
                // does with a send that got no acknowledgement
            }
            assertThat(hub.awaitExit(180)).as("exit code of the halt injected after the commit").isEqualTo(137);

            hub.env("ORDERHUB_FAULTS_HALT_AFTER_COMMIT", null);
            hub.start();
            Map<String, JsonNode> answers = new LinkedHashMap<>();
            Map<String, Integer> answersPerMessage = new HashMap<>();
            try (Connection c = factory(brokerPort).createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue replyQueue = session.createQueue(replies);
                MessageConsumer consumer = session.createConsumer(replyQueue);
                c.start();
                MessageProducer producer = session.createProducer(session.createQueue("orders.inbound"));
                for (String externalId : externalIds.subList(sent, externalIds.size())) {
                    producer.send(message(session, template, externalId, replyQueue));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (answersPerMessage.size() < MESSAGES && System.nanoTime() < deadline) {
                    Message reply = consumer.receive(1000);
                    if (reply != null) {
                        String id = reply.getJMSCorrelationID();
                        answersPerMessage.merge(id, 1, Integer::sum);
                        answers.put(id, json.readTree(((TextMessage) reply).getText()));
                    }
                }
                // nothing else arrives: one answer per message, not one per delivery
                Message extra = consumer.receive(2000);
                if (extra != null) {
                    answersPerMessage.merge(extra.getJMSCorrelationID(), 1, Integer::sum);
                }
            }
            IngestLoad probe = probe(hub);
            awaitNoOrderInCreated(probe, hub);
            int lost = 0;
            int duplicated = 0;
            int createdEventsWrong = 0;
            int inconsistentAnswers = 0;
            List<String> problems = new ArrayList<>();
            for (String externalId : externalIds) {
                JsonNode page = json.readTree(probe.get(hub.port(), "/api/orders?externalId=" + externalId).body());
                long found = page.get("totalItems").asLong();
                if (found == 0) {
                    lost++;
                    continue;
                }
                if (found > 1) {
                    duplicated++;
                }
                String orderId = page.at("/items/0/orderId").asText();
                if (count(probe, hub, orderId, "order.created") != 1) {
                    createdEventsWrong++;
                }
                JsonNode answer = answers.get(externalId);
                // one answer per message; the one send in doubt at the halt (if any) was sent twice: two answers
                int expectedAnswers = sent < MESSAGES && externalId.equals(externalIds.get(sent)) ? 2 : 1;
                if (answer == null || !answer.at("/orderIds/0").asText().equals(orderId)
                        || answersPerMessage.getOrDefault(externalId, 0) > expectedAnswers
                        || answersPerMessage.getOrDefault(externalId, 0) == 0) {
                    inconsistentAnswers++;
                    problems.add(externalId + " (order " + orderId + "): " + answersPerMessage.getOrDefault(externalId, 0)
                            + " answers, last " + answer);
                }
            }
            long accepted = answers.values().stream().filter(a -> a.get("status").asText().equals("ACCEPTED")).count();
            long duplicates = answers.values().stream().filter(a -> a.get("status").asText().equals("DUPLICATE")).count();
            boolean pass = lost == 0 && duplicated == 0 && createdEventsWrong == 0 && inconsistentAnswers == 0 && duplicates >= 1;
            IngestLoad.report("crash-after-commit-jms", "| crash between the database commit and the JMS acknowledgement "
                    + "(JMS intake) | test hook `orderhub.faults.halt-after-commit=jms-intake`: halt (exit 137) after the "
                    + HALT_AT + "th order's commit, before its JMS commit; restart without the hook | JMS, " + MESSAGES
                    + " orders to orders.inbound (" + sent + " sent before the halt), the default consumers (ORDERHUB_JMS_INBOUND_CONSUMERS) | answered ACCEPTED " + accepted + ", DUPLICATE (redelivered "
                    + "after the crash) " + duplicates + ", messages with not exactly one consistent answer "
                    + inconsistentAnswers + "; lost " + lost + ", duplicated " + duplicated + ", orders without exactly one "
                    + "order.created event " + createdEventsWrong + " | " + (pass ? "pass" : "FAIL") + " |");
            assertThat(lost).as("messages without an order").isZero();
            assertThat(duplicated).as("messages with more than one order").isZero();
            assertThat(createdEventsWrong).as("orders without exactly one order.created event").isZero();
            assertThat(problems).as("messages without exactly one answer naming their order").isEmpty();
            assertThat(duplicates).as("the redelivered message is answered DUPLICATE").isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void reservationStageCrashAfterTheCommitReservesOnce() throws Exception {
        Path log = log("crash-after-commit-reserve-hub.log");
        try (HubProcess hub = new HubProcess(dir.resolve("data"), log)) {
            hub.env("ORDERHUB_FAULTS_HALT_AFTER_COMMIT", AfterCommitHook.INVENTORY_RESERVE)
                    .env("ORDERHUB_FAULTS_HALT_AFTER_COUNT", Integer.toString(HALT_AT));
            hub.start();
            IngestLoad load = new IngestLoad(hub.port(), 2, MESSAGES);
            assertThat(hub.awaitExit(180)).as("exit code of the halt injected after the reservation's commit").isEqualTo(137);
            load.close();

            hub.env("ORDERHUB_FAULTS_HALT_AFTER_COMMIT", null);
            hub.start();
            awaitNoOrderInCreated(load, hub);
            int[] counts = load.lostAndDuplicated(hub.port());
            // the reservation stage decides once per order: one step out of CREATED (reserved, backordered or
            // cancelled), and never two "stock reserved"
            int reservedTwice = 0;
            int notReserved = 0;
            int reserved = 0;
            for (String orderId : load.acknowledged().values()) {
                JsonNode events = json.readTree(load.get(hub.port(), "/api/orders/" + orderId + "/events").body());
                int reservations = 0;
                int decisions = 0;
                for (JsonNode e : events) {
                    if (e.path("detail").asText().startsWith("stock reserved")) {
                        reservations++;
                    }
                    if ("CREATED".equals(e.path("fromStatus").asText())) {
                        decisions++;
                    }
                }
                reserved += reservations == 1 ? 1 : 0;
                if (reservations > 1 || decisions > 1) {
                    reservedTwice++;
                } else if (decisions == 0) {
                    notReserved++;
                }
            }
            boolean pass = counts[0] == 0 && counts[1] == 0 && reservedTwice == 0 && notReserved == 0;
            IngestLoad.report("crash-after-commit-reserve", "| crash between the database commit and the JMS acknowledgement "
                    + "(reservation stage, queue inventory.reserve) | test hook `orderhub.faults.halt-after-commit="
                    + "inventory-reserve`: halt after the " + HALT_AT + "th reservation's commit; restart without the hook "
                    + "| REST, 2 clients until the halt | accepted " + load.acknowledged().size() + ", lost " + counts[0]
                    + ", duplicated " + counts[1] + ", reserved once " + reserved + ", reserved (or decided) twice " + reservedTwice
                    + ", never decided " + notReserved
                    + " | " + (pass ? "pass" : "FAIL") + " |");
            assertThat(load.acknowledged()).hasSizeGreaterThanOrEqualTo(HALT_AT);
            assertThat(counts[0]).as("acknowledged orders lost").isZero();
            assertThat(counts[1]).as("acknowledged orders duplicated").isZero();
            assertThat(reservedTwice).as("orders reserved twice").isZero();
            assertThat(notReserved).as("orders the reservation stage never decided").isZero();
            assertThat(reserved).as("orders reserved").isPositive();
        }
    }

    // --- helpers ---

    private static Path log(String name) throws java.io.IOException {
        Path log = Path.of("target", "reliability", name);
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        return log;
    }

    private static ActiveMQConnectionFactory factory(int brokerPort) {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=0",
                HubProcess.BROKER_USER, HubProcess.BROKER_PASSWORD);
    }

    private static TextMessage message(Session session, ObjectNode template, String externalId, Queue replyTo)
            throws jakarta.jms.JMSException {
        TextMessage m = session.createTextMessage(template.deepCopy().put("externalId", externalId).toString());
        m.setStringProperty("channel", "webshop");
        m.setJMSCorrelationID(externalId);
        m.setJMSReplyTo(replyTo);
        return m;
    }

    private IngestLoad probe(HubProcess hub) throws java.io.IOException {
        return new IngestLoad(hub.port(), 0, 0);
    }

    private void awaitNoOrderInCreated(IngestLoad probe, HubProcess hub) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> json.readTree(probe.get(
                hub.port(), "/api/orders?status=CREATED&size=1").body()).get("totalItems").asLong() == 0);
    }

    private int count(IngestLoad probe, HubProcess hub, String orderId, String type) throws Exception {
        int n = 0;
        for (JsonNode e : json.readTree(probe.get(hub.port(), "/api/orders/" + orderId + "/events").body())) {
            if (type.equals(e.path("type").asText())) {
                n++;
            }
        }
        return n;
    }
}
