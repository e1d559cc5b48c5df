package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped for 30 s under load (issue 13, fault 4). The test runs its own PostgreSQL 15 cluster
 * ({@link PrivatePostgres}: never the machine's shared server), starts the hub on it as a separate JVM (the
 * embedded default's sandboxes, demo keys and embedded Artemis, the datasource on the private cluster), and
 * sends orders over REST (several clients, 503 answers sent again with the same externalId after Retry-After)
 * and JMS (orders.inbound). It stops the database with {@code pg_ctl stop} while the load goes on, starts it
 * again after {@code orderhub.reliability.pg-outage-seconds}, and then counts: every REST request answered
 * 201/200, or 503 with Retry-After and a problem document, never another status and never no answer; every
 * acknowledged order (201/200, and every JMS message the broker accepted) exactly once, each JMS message answered
 * once; the whole backlog done (every order COMPLETED, every outbox event published, every queue empty); nothing
 * half-written in the database (read directly); nothing dead-lettered; readiness DOWN while the database is away
 * and UP after, liveness UP throughout. The counts go to target/reliability/postgres-outage.md.
 * <p>
 * Full load, e.g.: {@code -Dorderhub.reliability.pg-outage-seconds=120 -Dorderhub.reliability.pg-outage-rest-clients=16
 * -Dorderhub.reliability.pg-outage-rest-pause-ms=100 -Dorderhub.reliability.pg-outage-jms-rate=20
 * -Dorderhub.reliability.pg-outage-drain-seconds=1800}; {@code -Dorderhub.reliability.pg-stop-mode=immediate} stops
 * PostgreSQL without a checkpoint (crash recovery at the start).
 */
@Tag("reliability")
class PostgresOutageTest {

    static final int OUTAGE_SECONDS = Integer.getInteger("orderhub.reliability.pg-outage-seconds", 30);
    /** pg_ctl's shutdown mode: fast (sessions terminated, clean checkpoint) or immediate (no checkpoint: crash recovery). */
    static final String STOP_MODE = System.getProperty("orderhub.reliability.pg-stop-mode", "fast");
    static final int REST_CLIENTS = Integer.getInteger("orderhub.reliability.pg-outage-rest-clients", 4);
    /** Each REST client's pause between two requests. */
    static final long REST_PAUSE_MS = Long.getLong("orderhub.reliability.pg-outage-rest-pause-ms", 500);
    static final int JMS_PRODUCERS = Integer.getInteger("orderhub.reliability.pg-outage-jms-producers", 2);
    static final double JMS_RATE = Double.parseDouble(System.getProperty("orderhub.reliability.pg-outage-jms-rate", "2"));
    /** REST orders acknowledged before the database is stopped, and after it is back before the load stops. */
    static final int LEAD_ORDERS = Integer.getInteger("orderhub.reliability.pg-outage-lead-orders", 20);
    static final int TRAIL_ORDERS = Integer.getInteger("orderhub.reliability.pg-outage-trail-orders", 20);
    /** The REST clients' timeout: what a channel's HTTP client commonly waits for an answer. */
    static final long CLIENT_TIMEOUT_SECONDS = Long.getLong("orderhub.reliability.pg-outage-client-timeout-seconds", 30);
    static final long DRAIN_SECONDS = Long.getLong("orderhub.reliability.pg-outage-drain-seconds", 420);
    /**
     * Where every order must end: webshop orders pay with the sandbox Stripe card, ship with the sandbox carrier
     * (a tracking step a second here) and complete at once after delivery.
     */
    static final String FINAL_STATUS = "COMPLETED";
    static final String OPS_KEY = HubProcess.OPS_KEY;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void postgresStoppedUnderLoadAnswers503OrWaitsAndLosesNothing() throws Exception {
        Path hubLog = log("postgres-outage-hub.log");
        try (PrivatePostgres pg = PrivatePostgres.start(Path.of("target", "reliability", "postgres-outage-pg.log"))) {
            pg.createDatabase("orderhub");
            try (HubProcess hub = new HubProcess(dir.resolve("data"), hubLog)) {
                int brokerPort = hub.openBrokerPort();
                // the embedded default (demo keys and sandboxes: a profile would refuse the demo keys) with the
                // datasource on the private cluster, as bench/load.sh runs the hub on PostgreSQL
                hub.env("ORDERHUB_DB_URL", pg.jdbcUrl("orderhub")).env("ORDERHUB_DB_USER", "postgres")
                        .env("ORDERHUB_DB_PASSWORD", "")
                        // the sandboxes quick, so orders go on through shipping while the test runs
                        .env("ORDERHUB_SANDBOX_CARRIER_STEP_SECONDS", "1")
                        .env("ORDERHUB_SANDBOX_CARRIER_TICK_MS", "500")
                        .env("ORDERHUB_SANDBOX_PACK_INTERVAL_MS", "1000")
                        .env("ORDERHUB_SANDBOX_PACK_DELAY_SECONDS", "0")
                        .env("ORDERHUB_SHIPPING_DISPATCH_MS", "1000")
                        .env("ORDERHUB_SHIPPING_COMPLETION_MS", "2000");
                hub.start();
                hub.stockExampleOrder();
                run(pg, hub, brokerPort);
            }
        }
    }

    private void run(PrivatePostgres pg, HubProcess hub, int brokerPort) throws Exception {
        long t0 = System.nanoTime();
        try (BrokerQueueDepths broker = new BrokerQueueDepths(brokerPort);
             HealthProbe readiness = new HealthProbe(hub.port(), "/actuator/health/readiness");
             HealthProbe liveness = new HealthProbe(hub.port(), "/actuator/health/liveness");
             RetryingRestChannel rest = new RetryingRestChannel(hub.port(), REST_CLIENTS, REST_PAUSE_MS,
                     Duration.ofSeconds(CLIENT_TIMEOUT_SECONDS));
             JmsOrderChannel jms = new JmsOrderChannel(brokerPort, JMS_PRODUCERS, JMS_RATE)) {
            await("REST orders acknowledged before the stop").atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(200)).until(() -> rest.acknowledged().size() >= LEAD_ORDERS);

            long stopAsked = System.nanoTime();
            pg.stop(STOP_MODE);
            long down = System.nanoTime();
            // the outage: the database stays away while the load goes on
            await("PostgreSQL stays stopped").during(Duration.ofSeconds(OUTAGE_SECONDS))
                    .atMost(Duration.ofSeconds(OUTAGE_SECONDS + 120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !pg.accepting());
            long restartAsked = System.nanoTime();
            pg.start();
            long up = System.nanoTime();
            int acknowledgedAtRestart = rest.acknowledged().size();
            await("REST orders acknowledged after the restart").atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> rest.acknowledged().size() >= acknowledgedAtRestart + TRAIL_ORDERS);
            rest.stopNewOrders();
            jms.stopSending();
            long loadStopped = System.nanoTime();
            // after the restart: counted and reported even when one of these does not come true in time
            List<String> unfinished = new ArrayList<>();
            waitFor(unfinished, "every REST order answered 201/200 (503s sent again)", Duration.ofMinutes(5), rest::settled);
            waitFor(unfinished, "readiness UP after the restart", Duration.ofMinutes(3),
                    () -> status("/actuator/health/readiness", hub.port()) == 200);
            waitFor(unfinished, "an answer to every JMS message the broker accepted", Duration.ofSeconds(DRAIN_SECONDS),
                    () -> jms.answers().keySet().containsAll(jms.accepted()));
            AtomicReference<Map<String, Long>> lastDepths = new AtomicReference<>(Map.of());
            AtomicReference<Map<String, Long>> lastStatuses = new AtomicReference<>(Map.of());
            boolean backlogDone = waitFor(unfinished, "backlog drained: every order " + FINAL_STATUS
                    + ", every event published, every queue empty", Duration.ofSeconds(DRAIN_SECONDS), () -> {
                        lastStatuses.set(statuses(pg));
                        lastDepths.set(broker.depths());
                        return drained(lastStatuses.get(), lastDepths.get(), unpublished(pg));
                    });
            String notDrained = backlogDone && unfinished.isEmpty() ? null : unfinished + "; orders by status "
                    + lastStatuses.get() + ", queues " + lastDepths.get() + ", unpublished events " + unpublished(pg);
            long drained = System.nanoTime();
            readiness.close();
            liveness.close();

            // --- counting ---
            Map<String, String> ordersByExternalId = ordersByExternalId(pg);
            List<RetryingRestChannel.Attempt> attempts = rest.attempts();
            int created = 0;
            int resentOk = 0;
            int answered503 = 0;
            int malformed503 = 0;
            int unanswered = 0;
            int waited = 0;
            List<String> other = new ArrayList<>();
            for (RetryingRestChannel.Attempt a : attempts) {
                boolean duringOutage = a.startNanos() < up && a.endNanos() > stopAsked;
                switch (a.status()) {
                    case 201 -> created++;
                    case 200 -> resentOk++;
                    case 503 -> {
                        answered503++;
                        if (!a.wellFormed()) {
                            malformed503++;
                            other.add("503 without Retry-After or problem document: " + a.detail());
                        }
                    }
                    case 0 -> {
                        unanswered++;
                        other.add("no answer for " + a.externalId() + ": " + a.detail());
                    }
                    default -> other.add(a.status() + " for " + a.externalId() + ": " + a.detail());
                }
                if ((a.status() == 201 || a.status() == 200) && duringOutage) {
                    waited++;
                }
            }
            Map<String, String> restAcknowledged = rest.acknowledged();
            int resentOrders = (int) rest.sent().values().stream().filter(n -> n > 1).count();
            int lost = 0;
            int duplicated = 0;
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> e : restAcknowledged.entrySet()) {
                String stored = ordersByExternalId.get(e.getKey());
                if (stored == null) {
                    lost++;
                    problems.add("REST " + e.getKey() + " (answered " + e.getValue() + ") not stored");
                } else if (!stored.equals(e.getValue())) {
                    duplicated++;
                    problems.add("REST " + e.getKey() + " answered " + e.getValue() + " but stored as " + stored);
                }
            }
            Set<String> jmsAccepted = jms.accepted();
            Map<String, List<JsonNode>> answers = jms.answers();
            int jmsAnswerProblems = 0;
            for (String externalId : jmsAccepted) {
                String stored = ordersByExternalId.get(externalId);
                List<JsonNode> its = answers.getOrDefault(externalId, List.of());
                if (stored == null) {
                    lost++;
                    problems.add("JMS " + externalId + " not stored; answers " + its);
                    continue;
                }
                if (its.size() != 1 || !Set.of("ACCEPTED", "DUPLICATE").contains(its.get(0).path("status").asText())
                        || !stored.equals(its.get(0).at("/orderIds/0").asText())) {
                    jmsAnswerProblems++;
                    problems.add("JMS " + externalId + " (order " + stored + "): answers " + its);
                }
            }
            Set<String> sentAnywhere = new java.util.HashSet<>(rest.sent().keySet());
            sentAnywhere.addAll(jmsAccepted);
            long strangers = ordersByExternalId.keySet().stream().filter(id -> !sentAnywhere.contains(id)).count();
            duplicated += (int) strangers;

            Map<String, Long> halfWritten = halfWritten(pg);
            long halfWrittenTotal = halfWritten.values().stream().mapToLong(Long::longValue).sum();
            long openReceipts = count(pg, "select count(*) from receipts where status = 'RECEIVED'");
            Map<String, Long> depths = broker.depths();
            long brokerDeadLetters = BrokerQueueDepths.deadLettered(depths);
            JsonNode opsBroker = json.readTree(get("/api/ops/broker/dead-letters", hub.port()).body());
            long opsBrokerDeadLetters = 0;
            for (JsonNode n : opsBroker.path("queues")) {
                opsBrokerDeadLetters += n.asLong();
            }
            JsonNode syncDead = json.readTree(get("/api/ops/dead-letters?limit=500", hub.port()).body());
            long syncDeadLetters = syncDead.size();
            long deadLettered = Math.max(brokerDeadLetters, opsBrokerDeadLetters) + syncDeadLetters;

            // probes answered while the database was away (a probe asked just before the restart may be answered UP)
            List<HealthProbe.Answer> readyDuring = readiness.askedBetween(down, restartAsked).stream()
                    .filter(a -> a.answeredNanos() < restartAsked).toList();
            long readyDownDuring = readyDuring.stream().filter(a -> a.status() == 503).count();
            long readyUpDuring = readyDuring.stream().filter(a -> a.status() == 200).count();
            long liveNotUp = liveness.askedBetween(t0, drained).stream().filter(a -> a.status() != 200).count();

            double drainSeconds = (drained - up) / 1e9;
            double trailSeconds = (loadStopped - up) / 1e9;
            int acknowledged = restAcknowledged.size() + jmsAccepted.size();
            boolean pass = notDrained == null && other.isEmpty() && lost == 0 && duplicated == 0 && jmsAnswerProblems == 0 && halfWrittenTotal == 0
                    && deadLettered == 0 && readyDownDuring > 0 && liveNotUp == 0 && jms.unsent() == 0;
            IngestLoad.report("postgres-outage", "| PostgreSQL stopped for " + OUTAGE_SECONDS + " s under load (the hub on "
                    + "PostgreSQL 15, embedded Artemis) | `pg_ctl stop -m " + STOP_MODE + "` of the test's own cluster, "
                    + "started again after " + OUTAGE_SECONDS + " s on the same data directory | REST, " + REST_CLIENTS
                    + " clients (503 sent again with the same externalId after Retry-After), and JMS to orders.inbound at "
                    + JMS_RATE + "/s | acknowledged " + acknowledged + " (REST " + restAcknowledged.size() + ": 201 " + created
                    + ", 200 " + resentOk + "; JMS accepted by the broker " + jmsAccepted.size() + "), answered 503 "
                    + answered503 + " (" + resentOrders + " orders sent again, each one order; 503 without Retry-After or "
                    + "problem document " + malformed503 + "), waited and succeeded " + waited + ", unanswered " + unanswered
                    + ", other answers " + (other.size() - malformed503 - unanswered) + ", lost " + lost + ", duplicated "
                    + duplicated + ", JMS messages without exactly one answer naming their order " + jmsAnswerProblems
                    + ", half-written " + halfWrittenTotal + ", dead-lettered " + deadLettered + "; readiness DOWN "
                    + readyDownDuring + " of " + readyDuring.size() + " probes during the outage, liveness not UP "
                    + liveNotUp + "; " + (notDrained == null ? "backlog drained (every order " + FINAL_STATUS + ", every queue empty) "
                    + String.format("%.0f", drainSeconds) + " s after the restart (load went on for "
                    + String.format("%.0f", trailSeconds) + " s of it)" : "NOT drained: " + String.join("; ", unfinished)) + " | "
                    + (pass ? "pass" : "FAIL") + " |");
            System.out.println("PostgresOutageTest: statuses " + statuses(pg) + ", queues " + depths
                    + ", receipts left RECEIVED " + openReceipts + ", half-written " + halfWritten + ", readiness up during "
                    + readyUpDuring + ", stopped in " + (down - stopAsked) / 1_000_000 + " ms, started in "
                    + (up - restartAsked) / 1_000_000 + " ms, other answers " + other);

            assertThat(notDrained).as("the backlog after the restart").isNull();
            assertThat(other).as("REST answers other than 201, 200 and a well-formed 503").isEmpty();
            assertThat(problems).as("acknowledged orders lost, duplicated or answered inconsistently").isEmpty();
            assertThat(strangers).as("orders stored that no client sent").isZero();
            assertThat(halfWritten).as("half-written orders, receipts and events").allSatisfy((k, v) ->
                    assertThat(v).as(k).isZero());
            assertThat(brokerDeadLetters).as("messages in the broker's dead letter queues: " + depths).isZero();
            assertThat(opsBrokerDeadLetters).as("dead letters the ops API shows: " + opsBroker).isZero();
            assertThat(syncDeadLetters).as("sync and notification dead letters: " + syncDead).isZero();
            assertThat(jms.unsent()).as("JMS sends the broker refused and that were not sent again").isZero();
            assertThat(readyDownDuring).as("readiness DOWN while the database was away").isPositive();
            assertThat(liveNotUp).as("liveness answers other than UP (a database outage is no reason to restart the hub)")
                    .isZero();
            assertThat(answered503 + waited).as("requests during the outage answered 503 or waited").isPositive();
        }
    }

    /** Awaits the condition; when it does not come true in time, notes it in {@code unfinished} and says false. */
    private static boolean waitFor(List<String> unfinished, String what, Duration atMost,
                                   java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            unfinished.add(what + ": not within " + atMost.toSeconds() + " s");
            return false;
        }
    }

    // --- the hub ---

    private HttpResponse<String> get(String path, int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-API-Key", OPS_KEY)
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String path, int port) {
        try {
            return get(path, port).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    // --- the database, read directly ---

    /**
     * The whole backlog is done: every order in the final status, every outbox event published, and every queue
     * of the broker empty (the stages, the ERP and CRM sync, the notifications; dead letter queues are counted
     * apart).
     */
    private static boolean drained(Map<String, Long> statuses, Map<String, Long> depths, long unpublished) {
        boolean allFinal = statuses.keySet().stream().allMatch(FINAL_STATUS::equals);
        boolean queuesEmpty = depths.entrySet().stream().filter(e -> !BrokerQueueDepths.isDeadLetterQueue(e.getKey()))
                .allMatch(e -> e.getValue() == 0);
        return allFinal && queuesEmpty && unpublished == 0 && !statuses.isEmpty();
    }

    private static Map<String, Long> statuses(PrivatePostgres pg) throws SQLException {
        Map<String, Long> m = new TreeMap<>();
        try (Connection c = pg.connect("orderhub"); PreparedStatement s = c.prepareStatement(
                "select status, count(*) from orders group by status"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    private static long unpublished(PrivatePostgres pg) throws SQLException {
        return count(pg, "select count(*) from outbox where published_at is null");
    }

    private static Map<String, String> ordersByExternalId(PrivatePostgres pg) throws SQLException {
        Map<String, String> m = new HashMap<>();
        try (Connection c = pg.connect("orderhub"); PreparedStatement s = c.prepareStatement(
                "select external_id, order_id from orders where channel = 'webshop'"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                if (m.put(rs.getString(1), rs.getString(2)) != null) {
                    throw new AssertionError("two orders for externalId " + rs.getString(1));
                }
            }
        }
        return m;
    }

    /** Each kind of half-written state, counted in the database. */
    private Map<String, Long> halfWritten(PrivatePostgres pg) throws SQLException, IOException {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("orders without lines", count(pg, """
                select count(*) from orders o where not exists (select 1 from order_lines l where l.order_id = o.order_id)"""));
        m.put("orders whose receipt is missing", count(pg, """
                select count(*) from orders o where not exists (select 1 from receipts r where r.receipt_id = o.receipt_id)"""));
        m.put("orders whose receipt does not record them", count(pg, """
                select count(*) from orders o join receipts r on r.receipt_id = o.receipt_id
                where r.status <> 'ACCEPTED' or r.order_ids is null or r.order_ids not like '%"' || o.order_id || '"%'"""));
        m.put("orders without exactly one order.created outbox event", count(pg, """
                select count(*) from orders o where (select count(*) from outbox e
                where e.order_id = o.order_id and e.type = 'order.created') <> 1"""));
        m.put("orders without their order.created timeline entry", count(pg, """
                select count(*) from orders o where not exists (select 1 from order_events e
                where e.order_id = o.order_id and e.type = 'order.created')"""));
        m.put("outbox events never published", count(pg, "select count(*) from outbox where published_at is null"));
        long acceptedWithoutOrder = 0;
        try (Connection c = pg.connect("orderhub"); PreparedStatement s = c.prepareStatement(
                "select order_ids from receipts where status = 'ACCEPTED'"); ResultSet rs = s.executeQuery();
             PreparedStatement find = c.prepareStatement("select count(*) from orders where order_id = ?")) {
            while (rs.next()) {
                JsonNode ids = rs.getString(1) == null ? json.createArrayNode() : json.readTree(rs.getString(1));
                if (ids.isEmpty()) {
                    acceptedWithoutOrder++;
                }
                for (JsonNode id : ids) {
                    find.setString(1, id.asText());
                    try (ResultSet f = find.executeQuery()) {
                        f.next();
                        if (f.getLong(1) != 1) {
                            acceptedWithoutOrder++;
                        }
                    }
                }
            }
        }
        m.put("ACCEPTED receipts without their order", acceptedWithoutOrder);
        return m;
    }

    private static long count(PrivatePostgres pg, String sql) throws SQLException {
        try (Connection c = pg.connect("orderhub"); PreparedStatement s = c.prepareStatement(sql);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Path log(String name) throws IOException {
        Path log = Path.of("target", "reliability", name);
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        return log;
    }
}
