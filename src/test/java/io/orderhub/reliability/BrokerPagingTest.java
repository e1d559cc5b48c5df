package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal paging of the embedded broker (issue 13 item 9): with a small per-address limit
 * ({@code ORDERHUB_BROKER_MAX_SIZE_BYTES}), a burst of JMS orders to orders.inbound larger than the limit is
 * written to page files under the data directory instead of being refused or dropped; the test sees the page
 * files and the broker's own paging state (health component {@code broker}), then lets the intake consume:
 * every message becomes exactly one order with one answer, the events of those orders (which page on
 * orders.events too) take every order out of CREATED, and the address leaves page mode with its pages gone.
 */
@Tag("reliability")
class BrokerPagingTest {

    static final int MESSAGES = Integer.getInteger("orderhub.reliability.paging-messages", 300);
    static final String MAX_SIZE = System.getProperty("orderhub.reliability.paging-max-size", "64KiB");
    static final String PAGE_SIZE = System.getProperty("orderhub.reliability.paging-page-size", "32KiB");
    static final String INBOUND = "orders.inbound";
    static final String EVENTS = "orders.events";
    /** Generous on a shared machine, and longer for a full load. */
    static final long DRAIN_SECONDS = Math.max(150, MESSAGES / 4);

    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aBurstBeyondTheAddressLimitPagesToDiskAndEveryMessageBecomesOneOrder() throws Exception {
        Path log = Path.of("target", "reliability", "broker-paging-hub.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Path data = dir.resolve("data");
        Path paging = data.resolve("artemis").resolve("paging");
        try (HubProcess hub = new HubProcess(data, log)) {
            int brokerPort = hub.openBrokerPort();
            hub.env("ORDERHUB_BROKER_MAX_SIZE_BYTES", MAX_SIZE).env("ORDERHUB_BROKER_PAGE_SIZE_BYTES", PAGE_SIZE);
            hub.start();
            int port = hub.port();
            // the intake held (ops, ADMIN, audited), so the whole burst waits on orders.inbound whatever the machine's speed
            assertThat(BrokerFaults.post(port, "/api/ops/routes/receiveJmsOrder/stop", BrokerFaults.ADMIN_KEY, "{}")
                    .statusCode()).isEqualTo(200);

            String replies = "reliability.replies." + UUID.randomUUID();
            ObjectNode template = BrokerFaults.template();
            List<String> externalIds = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                externalIds.add(BrokerFaults.externalId("PAGE"));
            }
            long sentBytes = 0;
            int acknowledged = 0;
            try (Connection c = BrokerFaults.factory(brokerPort).createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue replyQueue = session.createQueue(replies);
                MessageProducer producer = session.createProducer(session.createQueue(INBOUND));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (String externalId : externalIds) {
                    TextMessage m = BrokerFaults.message(session, template, externalId, replyQueue);
                    sentBytes += m.getText().length();
                    // a persistent send returns once the broker has it on disk (journal or page)
                    producer.send(m);
                    acknowledged++;
                }
            }

            // paged: the broker's page files for orders.inbound under the data directory, and the broker says so
            long[] inboundPages = BrokerFaults.pageFiles(paging, INBOUND);
            JsonNode health = BrokerFaults.brokerHealth(port);
            JsonNode inboundPaging = health.at("/details/paging").get(INBOUND);
            assertThat(inboundPages[0]).as("page files of orders.inbound under " + paging).isPositive();
            assertThat(inboundPaging).as("the broker's paging state of orders.inbound: " + health).isNotNull();
            assertThat(inboundPaging.get("pages").asLong()).isPositive();
            assertThat(health.get("status").asText()).as("paging is no block: " + health).isEqualTo("UP");
            long inboundPagesSeen = Math.max(inboundPages[0], inboundPaging.get("pages").asLong());

            // the events of the orders page on orders.events as the stages work through them: watched while it drains
            AtomicLong eventsPagesSeen = new AtomicLong();
            AtomicLong eventsPageBytesSeen = new AtomicLong();
            java.util.concurrent.ScheduledExecutorService watcher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            watcher.scheduleWithFixedDelay(() -> {
                try {
                    long[] pages = BrokerFaults.pageFiles(paging, EVENTS);
                    eventsPagesSeen.accumulateAndGet(pages[0], Math::max);
                    eventsPageBytesSeen.accumulateAndGet(pages[1], Math::max);
                } catch (java.io.IOException e) {
                    // looked again at the next tick
                }
            }, 0, 300, java.util.concurrent.TimeUnit.MILLISECONDS);

            long drainStart = System.nanoTime();
            assertThat(BrokerFaults.post(port, "/api/ops/routes/receiveJmsOrder/start", BrokerFaults.ADMIN_KEY, "{}")
                    .statusCode()).isEqualTo(200);
            Map<String, JsonNode> answers = new HashMap<>();
            Map<String, Integer> answersPerMessage = new HashMap<>();
            try (Connection c = BrokerFaults.factory(brokerPort).createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(replies));
                c.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(DRAIN_SECONDS).toNanos();
                while (answersPerMessage.size() < MESSAGES && System.nanoTime() < deadline) {
                    Message reply = consumer.receive(1000);
                    if (reply != null) {
                        answersPerMessage.merge(reply.getJMSCorrelationID(), 1, Integer::sum);
                        answers.put(reply.getJMSCorrelationID(), json.readTree(((TextMessage) reply).getText()));
                    }
                }
            }
            double answeredSeconds = (System.nanoTime() - drainStart) / 1e9;
            // drained: orders.inbound out of page mode, nothing left in its page files (the broker keeps an empty
            // current page file); every order out of CREATED
            boolean outOfPageMode = within(DRAIN_SECONDS, () -> BrokerFaults.brokerHealth(port).at("/details/paging").get(INBOUND) == null
                    && BrokerFaults.pageFiles(paging, INBOUND)[1] == 0);
            boolean noneCreated = within(DRAIN_SECONDS, () -> BrokerFaults.ordersIn(port, "CREATED") == 0);
            double drainedSeconds = (System.nanoTime() - drainStart) / 1e9;
            watcher.shutdownNow();

            int lost = 0;
            int duplicated = 0;
            int badAnswers = 0;
            for (String externalId : externalIds) {
                List<String> orders = BrokerFaults.ordersOf(port, externalId);
                if (orders.isEmpty()) {
                    lost++;
                    continue;
                }
                if (orders.size() > 1) {
                    duplicated++;
                }
                JsonNode answer = answers.get(externalId);
                if (answer == null || answersPerMessage.get(externalId) != 1 || !"ACCEPTED".equals(answer.get("status").asText())
                        || !answer.at("/orderIds/0").asText().equals(orders.get(0))) {
                    badAnswers++;
                }
            }
            long created = BrokerFaults.ordersIn(port, "CREATED");
            boolean pass = lost == 0 && duplicated == 0 && badAnswers == 0 && acknowledged == MESSAGES && inboundPagesSeen > 0
                    && outOfPageMode && noneCreated;
            IngestLoad.report("broker-paging", "| broker paging (embedded Artemis) | `ORDERHUB_BROKER_MAX_SIZE_BYTES=" + MAX_SIZE
                    + "`, page size " + PAGE_SIZE + ", policy PAGE; the JMS intake route stopped (ops API) during the burst, then "
                    + "started | JMS, " + MESSAGES + " orders (" + BrokerFaults.mib(sentBytes) + " of JSON) to orders.inbound, one "
                    + "producer, persistent answer queue | sent " + MESSAGES + ", acknowledged " + acknowledged + ", refused 0; "
                    + "paged: orders.inbound " + inboundPages[0] + " page files (" + BrokerFaults.mib(inboundPages[1])
                    + "), orders.events up to " + eventsPagesSeen.get() + " page files ("
                    + BrokerFaults.mib(eventsPageBytesSeen.get()) + "); answered ACCEPTED once each "
                    + (MESSAGES - badAnswers) + ", lost " + lost + ", duplicated " + duplicated + "; all answered after "
                    + String.format(java.util.Locale.ROOT, "%.0f", answeredSeconds) + " s, "
                    + (outOfPageMode ? "orders.inbound out of page mode" : "orders.inbound STILL PAGING") + " and "
                    + (noneCreated ? "no order" : created + " orders still") + " CREATED after "
                    + String.format(java.util.Locale.ROOT, "%.0f", drainedSeconds) + " s | "
                    + (pass ? "pass" : "FAIL") + " |");
            assertThat(acknowledged).as("sends the broker acknowledged").isEqualTo(MESSAGES);
            assertThat(lost).as("messages without an order").isZero();
            assertThat(duplicated).as("messages with more than one order").isZero();
            assertThat(badAnswers).as("messages without exactly one ACCEPTED answer naming their order").isZero();
            assertThat(outOfPageMode).as("orders.inbound left page mode once drained").isTrue();
            assertThat(created).as("orders left in CREATED").isZero();
        }
    }

    /** Whether the condition holds within the time (no exception: the test still writes its row). */
    static boolean within(long seconds, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofSeconds(1)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
