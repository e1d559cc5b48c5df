package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
 * The broker's disk full (issue 13 item 9), for real: the hub starts with {@code ORDERHUB_BROKER_MIN_DISK_FREE} set
 * halfway into a ballast the test then puts on the journal's filesystem (a file that really takes the space), so the
 * free space the broker sees drops below its limit while the machine keeps plenty (at least the spare, 512 MiB, beyond
 * it). While full: a channel's JMS sends do not complete (the client waits for credit the broker does not give), orders
 * queued before are consumed and stored but their answers wait (answer and acknowledgement stay one transaction), REST
 * keeps taking orders (201; a rejected document still gets its 422 at once), the outbox relay's sends time out and
 * roll back instead of holding its transaction, and health, metrics and the log say why. Then the ballast goes
 * (always, in a finally block): the blocked sends complete, every order is answered or stored once, and every order
 * leaves CREATED.
 */
@Tag("reliability")
class BrokerDiskFullTest {

    static final long MIB = 1024L * 1024;
    static final long BALLAST = Long.getLong("orderhub.reliability.ballast-mb", 512) * MIB;
    static final long SPARE = Long.getLong("orderhub.reliability.spare-mb", 512) * MIB;
    static final int JMS_MESSAGES = Integer.getInteger("orderhub.reliability.disk-full-jms", 20);
    static final int REST_ORDERS = Integer.getInteger("orderhub.reliability.disk-full-rest", 20);
    static final int QUEUED = Integer.getInteger("orderhub.reliability.disk-full-queued", 10);
    /** Generous on a shared machine, and longer for a full load. */
    static final long DRAIN_SECONDS = Math.max(150, (JMS_MESSAGES + QUEUED + REST_ORDERS) / 4);

    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void whileTheBrokersDiskIsFullChannelsWaitRestTakesOrdersAndAfterwardsNothingIsLostOrTwice() throws Exception {
        Path log = Path.of("target", "reliability", "broker-disk-full-hub.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Path data = Files.createDirectories(dir.resolve("data"));
        long free = BrokerFaults.usableSpace(data);
        assertThat(free - BALLAST).as("free space on " + Files.getFileStore(data) + " (" + BrokerFaults.mib(free)
                + "): the test needs the ballast (" + BrokerFaults.mib(BALLAST) + ") and at least " + BrokerFaults.mib(SPARE)
                + " spare beside it; set -Dorderhub.reliability.ballast-mb smaller or free some space").isGreaterThanOrEqualTo(SPARE);
        // the broker's limit halfway into the ballast: above it by BALLAST/2 now, below it by BALLAST/2 with the ballast
        long minDiskFree = free - BALLAST / 2;

        try (HubProcess hub = new HubProcess(data, log)) {
            int brokerPort = hub.openBrokerPort();
            hub.env("ORDERHUB_BROKER_MIN_DISK_FREE", Long.toString(minDiskFree))
                    .env("ORDERHUB_BROKER_DISK_SCAN_PERIOD_MS", "500")
                    .env("ORDERHUB_OUTBOX_SEND_TIMEOUT_MS", "5000");
            hub.start();
            int port = hub.port();
            JsonNode before = BrokerFaults.brokerHealth(port);
            assertThat(before.get("status").asText()).as("the broker has room before the ballast (free space moved by more "
                    + "than " + BrokerFaults.mib(BALLAST / 2) + " while the hub started?): " + before).isEqualTo("UP");

            ObjectNode template = BrokerFaults.template();
            Map<String, String> restAcknowledged = new LinkedHashMap<>();
            Map<Integer, Integer> restStatuses = new HashMap<>();
            List<String> jmsIds = new ArrayList<>();
            for (int i = 0; i < JMS_MESSAGES; i++) {
                jmsIds.add(BrokerFaults.externalId("FULL-JMS"));
            }
            String replies = "reliability.replies." + UUID.randomUUID();
            ChannelSender channel = new ChannelSender(brokerPort, template, jmsIds, replies);
            // orders queued while the broker has room, the intake held (ops API), to be consumed while it is full
            List<String> queuedIds = new ArrayList<>();
            for (int i = 0; i < QUEUED; i++) {
                queuedIds.add(BrokerFaults.externalId("FULL-QUEUED"));
            }
            String queuedReplies = "reliability.replies." + UUID.randomUUID();
            ChannelSender queued = new ChannelSender(brokerPort, template, queuedIds, queuedReplies);
            assertThat(BrokerFaults.post(port, "/api/ops/routes/receiveJmsOrder/stop", BrokerFaults.ADMIN_KEY, "{}")
                    .statusCode()).isEqualTo(200);
            queued.start();
            queued.join(DRAIN_SECONDS * 1000);
            assertThat(queued.completed()).as("orders queued before the ballast: " + queued.failure()).isEqualTo(QUEUED);
            int storedWhileFull;
            int answeredWhileFull;
            int brokerHealthStatus;
            int hubHealthStatus;
            int readinessStatus;
            String fullHealth;
            String fullDisk;
            String relayBlocked;
            double diskFullGauge;
            double blockedGauge;
            double backlogWhileFull;
            int rejectedStatus;
            int completedWhileFull;
            boolean serverLogNamesIt;
            boolean relayLogNamesIt;
            long removedAt;
            long freeWithBallast;
            BrokerFaults.Ballast ballast = null;
            try {
                ballast = BrokerFaults.Ballast.place(data, BALLAST);
                ballast.file().toFile().deleteOnExit();
                freeWithBallast = BrokerFaults.usableSpace(data);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> BrokerFaults.brokerHealth(port).at("/details/diskFull").asBoolean());

                // a channel sends by JMS: its sends do not complete (waiting for credit from the broker), nothing refused
                channel.start();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(channel::waitingForCredit);
                // the intake takes the queued orders and stores them; their answers wait for the broker
                assertThat(BrokerFaults.post(port, "/api/ops/routes/receiveJmsOrder/start", BrokerFaults.ADMIN_KEY, "{}")
                        .statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            for (String externalId : queuedIds) {
                                if (!BrokerFaults.ordersOf(port, externalId).isEmpty()) {
                                    return true;
                                }
                            }
                            return false;
                        });

                // REST takes orders: receipt, order and outbox event are in the database
                for (int i = 0; i < REST_ORDERS; i++) {
                    String externalId = BrokerFaults.externalId("FULL-REST");
                    HttpResponse<String> r = BrokerFaults.post(port, "/api/orders", BrokerFaults.CHANNEL_KEY,
                            template.deepCopy().put("externalId", externalId).toString());
                    restStatuses.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() == 201) {
                        restAcknowledged.put(externalId, json.readTree(r.body()).get("orderId").asText());
                    }
                }
                // a rejected document is answered at once (its rejection notice waits for the broker in the background)
                ObjectNode invalid = template.deepCopy().put("externalId", BrokerFaults.externalId("FULL-BAD"));
                invalid.remove("shipTo");
                rejectedStatus = BrokerFaults.post(port, "/api/orders", BrokerFaults.CHANNEL_KEY, invalid.toString()).statusCode();

                // the relay's sends time out and roll back (its transaction and the relay lock let go); health says why
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> BrokerFaults.brokerHealth(port).at("/details/blockedSends/outbox relay").isTextual());
                // the component answers 503 for alerts; the hub as a whole and its readiness stay up (it takes orders)
                brokerHealthStatus = BrokerFaults.get(port, "/actuator/health/broker", BrokerFaults.OPS_KEY).statusCode();
                hubHealthStatus = BrokerFaults.get(port, "/actuator/health", BrokerFaults.OPS_KEY).statusCode();
                readinessStatus = BrokerFaults.get(port, "/actuator/health/readiness", BrokerFaults.OPS_KEY).statusCode();
                JsonNode full = BrokerFaults.brokerHealth(port);
                fullHealth = full.get("status").asText();
                fullDisk = full.at("/details/disk").asText();
                relayBlocked = full.at("/details/blockedSends/outbox relay").asText();
                diskFullGauge = BrokerFaults.gauge(port, "orderhub_broker_disk_full");
                blockedGauge = BrokerFaults.gauge(port, "orderhub_broker_blocked");
                backlogWhileFull = BrokerFaults.gauge(port, "orderhub_outbox_backlog");
                String hubLog = Files.readString(log);
                serverLogNamesIt = hubLog.contains("AMQ224128") && hubLog.contains("AMQ222212");
                relayLogNamesIt = hubLog.contains("outbox relay: the broker has not taken the send within 5 s");
                completedWhileFull = channel.completed();
                storedWhileFull = 0;
                for (String externalId : queuedIds) {
                    storedWhileFull += BrokerFaults.ordersOf(port, externalId).isEmpty() ? 0 : 1;
                }
                answeredWhileFull = queued.answersWaiting();
            } finally {
                if (ballast != null) {
                    ballast.close();
                }
            }
            removedAt = System.nanoTime();

            // room again: the channel's blocked sends complete, everything drains
            boolean unblocked = within(DRAIN_SECONDS, () -> "UP".equals(BrokerFaults.brokerHealth(port).get("status").asText()));
            channel.join(DRAIN_SECONDS * 1000);
            Map<String, JsonNode> answers = channel.awaitAnswers(DRAIN_SECONDS);
            Map<String, JsonNode> queuedAnswers = queued.awaitAnswers(DRAIN_SECONDS);
            boolean noneCreated = within(DRAIN_SECONDS, () -> BrokerFaults.ordersIn(port, "CREATED") == 0);
            double drained = (System.nanoTime() - removedAt) / 1e9;
            boolean relayRecovered = Files.readString(log).contains("outbox relay: the broker takes sends again");

            int lost = 0;
            int duplicated = 0;
            int badAnswers = 0;
            for (Map.Entry<String, String> e : restAcknowledged.entrySet()) {
                List<String> orders = BrokerFaults.ordersOf(port, e.getKey());
                lost += orders.isEmpty() ? 1 : 0;
                duplicated += orders.size() > 1 || !orders.isEmpty() && !orders.get(0).equals(e.getValue()) ? 1 : 0;
            }
            for (String externalId : jmsIds.subList(0, channel.completed())) {
                List<String> orders = BrokerFaults.ordersOf(port, externalId);
                lost += orders.isEmpty() ? 1 : 0;
                duplicated += orders.size() > 1 ? 1 : 0;
                JsonNode answer = answers.get(externalId);
                if (answer == null || orders.isEmpty() || !"ACCEPTED".equals(answer.get("status").asText())
                        || !answer.at("/orderIds/0").asText().equals(orders.get(0)) || channel.answersOf(externalId) != 1) {
                    badAnswers++;
                }
            }
            for (String externalId : queuedIds) {
                List<String> orders = BrokerFaults.ordersOf(port, externalId);
                lost += orders.isEmpty() ? 1 : 0;
                duplicated += orders.size() > 1 ? 1 : 0;
                JsonNode answer = queuedAnswers.get(externalId);
                if (answer == null || orders.isEmpty() || !"ACCEPTED".equals(answer.get("status").asText())
                        || !answer.at("/orderIds/0").asText().equals(orders.get(0)) || queued.answersOf(externalId) != 1) {
                    badAnswers++;
                }
            }
            long created = BrokerFaults.ordersIn(port, "CREATED");
            boolean pass = lost == 0 && duplicated == 0 && badAnswers == 0 && channel.completed() == JMS_MESSAGES
                    && channel.failure() == null && completedWhileFull < JMS_MESSAGES && restAcknowledged.size() == REST_ORDERS
                    && rejectedStatus == 422 && "OUT_OF_SERVICE".equals(fullHealth) && diskFullGauge == 1 && blockedGauge == 1
                    && serverLogNamesIt && relayLogNamesIt && unblocked && noneCreated && relayRecovered && storedWhileFull > 0
                    && answeredWhileFull == 0 && brokerHealthStatus == 503 && hubHealthStatus == 200 && readinessStatus == 200;
            IngestLoad.report("broker-disk-full", "| broker disk full (embedded Artemis) | a ballast file of "
                    + BrokerFaults.mib(BALLAST) + " (fallocate) on the journal's filesystem, the hub started with "
                    + "`ORDERHUB_BROKER_MIN_DISK_FREE` halfway into it (free " + BrokerFaults.mib(free) + " before, "
                    + BrokerFaults.mib(freeWithBallast) + " with the ballast); policy PAGE; ballast removed after the checks | JMS, "
                    + JMS_MESSAGES + " orders from one producer while full, " + QUEUED + " queued before (intake held, started "
                    + "while full), persistent answer queues; REST, " + REST_ORDERS + " orders and 1 invalid one while full | "
                    + "JMS: " + JMS_MESSAGES + " to send, completed while full " + completedWhileFull + " (the send in progress "
                    + "waits for producer credit; none refused), completed (acknowledged) after the removal " + channel.completed()
                    + (channel.failure() == null ? "" : ", FAILED: " + channel.failure()) + "; queued " + QUEUED + ": stored "
                    + "while full " + storedWhileFull + ", answered while full " + answeredWhileFull + "; JMS answered ACCEPTED "
                    + "exactly once " + (channel.completed() + QUEUED - badAnswers) + " of " + (channel.completed() + QUEUED)
                    + "; REST while full: " + statuses(restStatuses) + ", invalid one " + rejectedStatus + "; health broker "
                    + fullHealth + " (disk \"" + fullDisk.replaceAll(":.*", "") + "\", relay sends timing out; "
                    + "/actuator/health/broker " + brokerHealthStatus + ", /actuator/health " + hubHealthStatus + ", readiness "
                    + readinessStatus + "), gauges "
                    + "orderhub_broker_disk_full " + (int) diskFullGauge + ", orderhub_broker_blocked " + (int) blockedGauge
                    + ", outbox backlog " + (long) backlogWhileFull + "; log AMQ224128/AMQ222212 " + (serverLogNamesIt ? "yes" : "NO")
                    + ", relay warning " + (relayLogNamesIt ? "yes" : "NO") + "; lost " + lost + ", duplicated " + duplicated
                    + "; drained (answers in, no order CREATED) " + String.format(Locale.ROOT, "%.0f", drained)
                    + " s after the removal" + (noneCreated ? "" : ", " + created + " orders STILL CREATED") + " | "
                    + (pass ? "pass" : "FAIL") + " |");

            assertThat(rejectedStatus).as("a rejected document while the broker blocks").isEqualTo(422);
            assertThat(restAcknowledged).as("REST orders taken while the broker's disk is full: " + restStatuses)
                    .hasSize(REST_ORDERS);
            assertThat(completedWhileFull).as("JMS sends completed while the broker's disk was full").isLessThan(JMS_MESSAGES);
            assertThat(fullHealth).as("health component broker while full").isEqualTo("OUT_OF_SERVICE");
            assertThat(fullDisk).startsWith("full: ");
            assertThat(brokerHealthStatus).as("/actuator/health/broker while full").isEqualTo(503);
            assertThat(hubHealthStatus).as("/actuator/health while full (the hub takes orders)").isEqualTo(200);
            assertThat(readinessStatus).as("readiness while full (the hub takes orders)").isEqualTo(200);
            assertThat(relayBlocked).contains("the broker has not taken the send within 5 s");
            assertThat(diskFullGauge).isEqualTo(1.0);
            assertThat(blockedGauge).isEqualTo(1.0);
            assertThat(backlogWhileFull).as("events waiting in the outbox while full").isPositive();
            assertThat(serverLogNamesIt).as("the broker's own warnings (AMQ224128, AMQ222212) in the hub's log").isTrue();
            assertThat(relayLogNamesIt).as("the relay's warning in the hub's log").isTrue();
            assertThat(unblocked).as("health broker UP again after the removal").isTrue();
            assertThat(channel.failure()).as("the channel's sends").isNull();
            assertThat(channel.completed()).as("JMS sends acknowledged in the end").isEqualTo(JMS_MESSAGES);
            assertThat(lost).as("acknowledged orders lost").isZero();
            assertThat(duplicated).as("acknowledged orders stored twice").isZero();
            assertThat(badAnswers).as("JMS orders without exactly one ACCEPTED answer naming their order").isZero();
            assertThat(created).as("orders left in CREATED").isZero();
            assertThat(relayRecovered).as("the relay's recovery in the log").isTrue();
            assertThat(storedWhileFull).as("queued orders the intake stored while the broker's disk was full").isPositive();
            assertThat(answeredWhileFull).as("answers that got through while full").isZero();
        }
    }

    private static String statuses(Map<Integer, Integer> statuses) {
        StringBuilder b = new StringBuilder();
        statuses.forEach((status, n) -> b.append(b.length() == 0 ? "" : ", ").append(status).append(" × ").append(n));
        return b.toString();
    }

    static boolean within(long seconds, Callable<Boolean> condition) {
        return BrokerPagingTest.within(seconds, condition);
    }

    /** A channel sending orders to orders.inbound on its own thread, as a channel's integration would. */
    static final class ChannelSender {

        private final int brokerPort;
        private final ObjectNode template;
        private final List<String> externalIds;
        private final String replies;
        private final AtomicInteger completed = new AtomicInteger();
        private final AtomicReference<String> failure = new AtomicReference<>();
        private final Map<String, Integer> answersPerMessage = new HashMap<>();
        private final Thread thread;

        ChannelSender(int brokerPort, ObjectNode template, List<String> externalIds, String replies) {
            this.brokerPort = brokerPort;
            this.template = template;
            this.externalIds = externalIds;
            this.replies = replies;
            this.thread = new Thread(this::send, "channel-sender");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void send() {
            try (Connection c = BrokerFaults.factory(brokerPort).createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue replyQueue = session.createQueue(replies);
                MessageProducer producer = session.createProducer(session.createQueue("orders.inbound"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (String externalId : externalIds) {
                    producer.send(BrokerFaults.message(session, template, externalId, replyQueue));
                    completed.incrementAndGet();
                }
            } catch (Exception e) {
                failure.set(e.toString());
            }
        }

        /** The send in progress waits for producer credit from the broker (the Artemis client's flow control). */
        boolean waitingForCredit() {
            return thread.isAlive() && Arrays.stream(thread.getStackTrace())
                    .anyMatch(f -> f.getClassName().contains("ProducerCredits"));
        }

        int completed() {
            return completed.get();
        }

        String failure() {
            return failure.get();
        }

        void join(long millis) throws InterruptedException {
            thread.join(millis);
        }

        /** Answers on the answer queue now, browsed (not taken). */
        int answersWaiting() throws Exception {
            try (Connection c = BrokerFaults.factory(brokerPort).createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                c.start();
                int n = 0;
                for (var e = session.createBrowser(session.createQueue(replies)).getEnumeration(); e.hasMoreElements();
                     e.nextElement()) {
                    n++;
                }
                return n;
            }
        }

        int answersOf(String externalId) {
            return answersPerMessage.getOrDefault(externalId, 0);
        }

        /** Answers on the persistent answer queue until every completed send has one, or the time is up. */
        Map<String, JsonNode> awaitAnswers(long seconds) throws Exception {
            ObjectMapper json = new ObjectMapper();
            Map<String, JsonNode> answers = new HashMap<>();
            try (Connection c = BrokerFaults.factory(brokerPort).createConnection()) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(replies));
                c.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                while (answers.size() < completed.get() && System.nanoTime() < deadline) {
                    Message reply = consumer.receive(1000);
                    if (reply != null) {
                        answersPerMessage.merge(reply.getJMSCorrelationID(), 1, Integer::sum);
                        answers.put(reply.getJMSCorrelationID(), json.readTree(((TextMessage) reply).getText()));
                    }
                }
                // nothing else comes: one answer per message
                Message extra = consumer.receive(2000);
                if (extra != null) {
                    answersPerMessage.merge(extra.getJMSCorrelationID(), 1, Integer::sum);
                }
            }
            return answers;
        }
    }
}
