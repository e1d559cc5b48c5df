package io.orderhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.StandaloneArtemis;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.mail.Message;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two hub instances on one PostgreSQL database and one standalone Artemis 2.44.0 broker (journal on disk), with
 * one GreenMail server in this JVM for the orders mailbox (IMAP intake, SMTP answers) and the customer mails
 * (issue 13: two instances). Orders come over REST (to both instances), JMS (orders.inbound) and e-mail; both
 * instances do stage work; the instance holding the scheduled jobs' leases (and, most of the time, the outbox relay
 * lock) is killed with SIGKILL half way through the load; the survivor must take its jobs over and finish everything: every acknowledged order exactly once and COMPLETED, one charge, one
 * label, one ERP sales order and one CRM order record per order, one customer mail of each kind per order and one
 * answer per order mail. While both run, every leased scheduled job runs at most once per interval between them
 * ({@code orderhub_scheduled_job_runs_total}). The row for docs/reliability.md goes to
 * target/reliability/two-instances.md; the hubs' logs to target/reliability/two-instances-hub-{a,b}.log.
 *
 * <p>Needs the machine's PostgreSQL at 127.0.0.1:5432 (user postgres, trust; {@code orderhub.reliability.pg-*}
 * to change) and the Artemis distribution in the local Maven repository. Sizes are system properties:
 * {@code orderhub.reliability.two-orders} (60), {@code orderhub.reliability.two-load-seconds} (40).
 */
@Tag("reliability")
class TwoInstancesTest {

    static final int ORDERS = Integer.getInteger("orderhub.reliability.two-orders", 60);
    static final long LOAD_SECONDS = Long.getLong("orderhub.reliability.two-load-seconds", 40);
    static final String PG_HOST = System.getProperty("orderhub.reliability.pg-host", "127.0.0.1");
    static final String PG_PORT = System.getProperty("orderhub.reliability.pg-port", "5432");
    static final String PG_USER = System.getProperty("orderhub.reliability.pg-user", "postgres");
    static final String PG_PASSWORD = System.getProperty("orderhub.reliability.pg-password", "");
    static final String OPS_KEY = HubProcess.OPS_KEY;
    static final String CUSTOMER = "erika@example.com";

    /** The leased jobs and the intervals (ms) they are given here. */
    static final Map<String, Long> JOBS = new LinkedHashMap<>();

    static {
        JOBS.put("mail-poll", 2000L);
        JOBS.put("dispatch", 1000L);
        JOBS.put("tracking-poll", 2000L);
        JOBS.put("completion", 2000L);
        JOBS.put("reservation-expiry", 2000L);
        JOBS.put("erp-stock-poll", 3000L);
        JOBS.put("pending-payments", 2000L);
    }

    /** Routes whose exchanges are the stage work an instance did (intake by JMS and mail, stages, sync, mail). */
    static final List<String> STAGE_ROUTES = List.of("receiveJmsOrder", "receiveOrderMail", "reserveStock",
            "payConfirmedOrder", "allocateStock", "syncErp", "syncCrm", "notifyCustomers");

    /** Customer mails the webshop channel sends (channels.yaml), by a phrase of their subject. */
    static final Map<String, String> MAIL_KINDS = Map.of("confirmed", "is confirmed", "paid", "Payment received",
            "shipped", "is on its way", "delivered", "has been delivered");

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String run = UUID.randomUUID().toString().substring(0, 8);

    /** externalId → transport, for every order whose sender was told it arrived. */
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** order mails delivered to the mailbox: sender → externalId. */
    final Map<String, String> mailSenders = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> sent = new ConcurrentHashMap<>();
    final AtomicInteger unanswered = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    @Test
    void twoInstancesShareTheLoadAndTheSurvivorFinishesTheKilledOnesWork() throws Exception {
        long started = System.nanoTime();
        Path work = Path.of("target", "two-instances-" + run).toAbsolutePath();
        Files.createDirectories(work);
        String db = "orderhub_two_" + run;
        sql("postgres", "create database " + db);
        TestMailServer mail = null;
        StandaloneArtemis broker = null;
        HubProcess a = null;
        HubProcess b = null;
        try {
            broker = StandaloneArtemis.create(work.resolve("artemis")).start();
            mail = new TestMailServer();
            a = hub("hub-a", work, db, broker, mail);
            b = hub("hub-b", work, db, broker, mail);
            // both at once, as two replicas start
            HubProcess first = a;
            HubProcess second = b;
            CompletableFuture.allOf(CompletableFuture.runAsync(() -> start(first)),
                    CompletableFuture.runAsync(() -> start(second))).get(10, TimeUnit.MINUTES);
            a.stockExampleOrder();
            Map<String, HubProcess> hubs = new LinkedHashMap<>();
            hubs.put("hub-a", a);
            hubs.put("hub-b", b);

            // the load: REST to both instances, JMS to orders.inbound, e-mail to the orders mailbox, paced over LOAD_SECONDS
            // the window of the job counts: from before the first scrape to after the last, so it holds every run counted
            long windowFrom = System.nanoTime();
            java.sql.Timestamp windowFromAt = java.sql.Timestamp.from(java.time.Instant.now());
            Map<String, Map<String, Double>> windowStart = scrapeAll(hubs);
            List<String> transports = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                transports.add(i % 4 == 1 ? "jms" : i % 4 == 3 ? "email" : "rest");
            }
            List<HubProcess> restTargets = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(a, b));
            ObjectNode template = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
            ActiveMQConnectionFactory jmsFactory = new ActiveMQConnectionFactory(broker.url(), StandaloneArtemis.USER,
                    StandaloneArtemis.PASSWORD);
            jakarta.jms.Connection jms = jmsFactory.createConnection();
            Session jmsSession = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = jmsSession.createProducer(jmsSession.createQueue("orders.inbound"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            jakarta.mail.Session smtp = mail.session();
            AtomicInteger next = new AtomicInteger();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            long period = Math.max(1, LOAD_SECONDS * 1000 / ORDERS);
            pacer.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= ORDERS) {
                    return;
                }
                String transport = transports.get(i);
                String externalId = "TWO-" + run + "-" + i;
                ObjectNode order = template.deepCopy().put("externalId", externalId);
                try {
                    switch (transport) {
                        case "rest" -> rest(restTargets.get(i % restTargets.size()), order);
                        case "jms" -> jms(jmsSession, producer, order);
                        default -> email(smtp, order, i);
                    }
                } catch (Exception e) {
                    unanswered.incrementAndGet();
                }
                sent.computeIfAbsent(transport, t -> new AtomicInteger()).incrementAndGet();
            }, 0, period, TimeUnit.MILLISECONDS);

            // half way: the window of the job counts ends, and the instance holding the outbox relay lock is killed
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> next.get() >= ORDERS / 2);
            Map<String, Map<String, Double>> windowEnd = scrapeAll(hubs);
            double windowSeconds = (System.nanoTime() - windowFrom) / 1e9;
            java.sql.Timestamp windowEndAt = java.sql.Timestamp.from(java.time.Instant.now());
            // the victim: the instance holding the job leases (they stay with one instance while it lives), else the
            // one that last held the outbox relay lock
            String relayHolder = jdbcString(db, "select holder from outbox_relay_lock where name = 'orders.events'");
            int leasesA = leasesHeldBy(db, "hub-a").size();
            int leasesB = leasesHeldBy(db, "hub-b").size();
            String victimName = leasesA > leasesB ? "hub-a" : leasesB > leasesA ? "hub-b"
                    : hubs.containsKey(relayHolder) ? relayHolder : "hub-a";
            String survivorName = victimName.equals("hub-a") ? "hub-b" : "hub-a";
            HubProcess victim = hubs.get(victimName);
            HubProcess survivor = hubs.get(survivorName);
            List<String> victimLeases = leasesHeldBy(db, victimName);
            boolean victimRelays = victimName.equals(relayHolder);
            int acknowledgedAtKill = acknowledged.size();
            victim.kill();
            restTargets.remove(victim);

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> next.get() >= ORDERS);
            pacer.shutdown();
            assertThat(pacer.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            jms.close();

            // the survivor finishes: every acknowledged order COMPLETED, every mail answered, every customer mail sent
            // (an order stored by the killed instance whose 201 it could not send any more is finished too, and mailed)
            TestMailServer greenMail = mail;
            boolean finished = true;
            try {
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).until(() ->
                        completed(db) >= acknowledged.size() && completed(db) == stored(db)
                                && answers(greenMail).values().stream().mapToInt(List::size).sum() >= mailSenders.size()
                                && customerMails(greenMail) >= stored(db) * MAIL_KINDS.size());
                // and nothing more arrives afterwards (a second mail, a late redelivery)
                await().atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                        .during(Duration.ofSeconds(8)).until(() -> customerMails(greenMail) == stored(db) * MAIL_KINDS.size()
                                && answers(greenMail).values().stream().mapToInt(List::size).sum() == mailSenders.size()
                                && backlog(db) == 0);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // counted and reported below as it stands
                finished = false;
            }
            int storedUnanswered = stored(db) - acknowledged.size();
            Map<String, Map<String, Double>> end = Map.of(survivorName, scrape(survivor));
            // the jobs the victim held, taken over by the survivor
            List<String> notTakenOver = new ArrayList<>();
            for (String job : JOBS.keySet()) {
                if (jobRuns(end.get(survivorName), job) - jobRuns(windowEnd.get(survivorName), job) < 1) {
                    notTakenOver.add(job);
                }
            }

            // --- counts
            Counts c = count(db, mail);
            Map<String, Integer> byTransport = new TreeMap<>();
            acknowledged.values().forEach(t -> byTransport.merge(t, 1, Integer::sum));
            double victimBefore = stageWork(windowEnd.get(victimName));
            double survivorBefore = stageWork(windowEnd.get(survivorName));
            double survivorAfter = stageWork(end.get(survivorName)) - survivorBefore;
            double total = victimBefore + survivorBefore + survivorAfter;
            StringBuilder jobs = new StringBuilder();
            List<String> jobsOver = new ArrayList<>();
            List<String> jobsIdle = new ArrayList<>();
            for (Map.Entry<String, Long> job : JOBS.entrySet()) {
                double runs = 0;
                for (String name : hubs.keySet()) {
                    runs += jobRuns(windowEnd.get(name), job.getKey()) - jobRuns(windowStart.get(name), job.getKey());
                }
                long max = (long) Math.floor(windowSeconds * 1000 / job.getValue()) + 1;
                if (job.getKey().equals("dispatch")) {
                    // a packing committed on an instance wakes that instance's dispatcher at once (WakeableSchedule):
                    // one run more per shipment packed in the window; the other instance's timer still takes no run
                    max += packedBetween(db, windowFromAt, windowEndAt);
                }
                jobs.append(jobs.length() == 0 ? "" : ", ").append(job.getKey()).append(' ').append((long) runs).append('/')
                        .append(max);
                if (runs > max) {
                    jobsOver.add(job.getKey() + " " + (long) runs + " > " + max);
                }
                if (runs < 1) {
                    jobsIdle.add(job.getKey());
                }
            }
            boolean pass = finished && notTakenOver.isEmpty() && c.lost == 0 && c.duplicated == 0 && c.notCompleted == 0 && c.charges.isEmpty() && c.labels.isEmpty()
                    && c.erp.isEmpty() && c.crm.isEmpty() && c.customerMails.isEmpty() && c.answers.isEmpty() && jobsOver.isEmpty()
                    && victimBefore >= 0.2 * (victimBefore + survivorBefore) && survivorBefore >= 0.2 * (victimBefore + survivorBefore);
            String row = "| two hub instances on one PostgreSQL and one Artemis 2.44.0 (standalone, journal on disk), kill -9 of one "
                    + "| SIGKILL of one instance (" + victimName + ": holding the leases of "
                    + (victimLeases.isEmpty() ? "no job" : String.join(", ", victimLeases))
                    + (victimRelays ? "; the last holder of the outbox relay lock" : "")
                    + ") after " + acknowledgedAtKill + " acknowledged orders; the other (" + survivorName + ") runs on | "
                    + ORDERS + " orders over " + LOAD_SECONDS + " s: REST to both instances, JMS to orders.inbound, e-mail to "
                    + "the orders mailbox (GreenMail); sandboxes on the shared database | accepted " + acknowledged.size() + " ("
                    + byTransport.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
                    + "), unanswered at the kill " + unanswered.get() + " (stored all the same and finished: " + storedUnanswered
                    + "); stage exchanges before the kill " + victimName + " "
                    + percent(victimBefore, victimBefore + survivorBefore) + " / " + survivorName + " "
                    + percent(survivorBefore, victimBefore + survivorBefore) + " of " + (long) (victimBefore + survivorBefore)
                    + ", " + survivorName + " " + (long) survivorAfter + " after; lost " + c.lost + ", duplicated " + c.duplicated
                    + ", not COMPLETED " + c.notCompleted + "; per order: charges 1 (orders with another count "
                    + c.charges.size() + "), labels 1 (" + c.labels.size() + "), ERP sales orders 1 (" + c.erp.size()
                    + "), CRM order records 1 (" + c.crm.size() + "), customer mails 1 of each of " + MAIL_KINDS.size()
                    + " kinds (" + c.customerMails.size() + "), answers per order mail 1 (" + c.answers.size()
                    + "); job runs in " + Math.round(windowSeconds) + " s with both up, both instances together / most allowed "
                    + "(window ÷ interval + 1, for dispatch plus the shipments packed in the window; two unleased timers would make "
                    + "about twice): " + jobs + "; jobs run by "
                    + survivorName + " after the kill " + (JOBS.size() - notTakenOver.size()) + " of " + JOBS.size() + " | "
                    + (pass ? "pass" : "FAIL") + " |";
            IngestLoad.report("two-instances", row);
            System.out.printf("two instances: %s%n(%.0f s in all)%n", row, (System.nanoTime() - started) / 1e9);

            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ORDERS * 3 / 4);
            assertThat(finished).as("the survivor finished within the waits (every order COMPLETED, every mail sent once)")
                    .isTrue();
            assertThat(c.lostIds).as("acknowledged orders lost").isEmpty();
            assertThat(c.duplicatedIds).as("acknowledged orders stored more than once").isEmpty();
            assertThat(c.notCompleted).as("acknowledged orders not COMPLETED").isZero();
            assertThat(c.charges).as("orders without exactly one payment intent").isEmpty();
            assertThat(c.labels).as("shipments without exactly one purchased label").isEmpty();
            assertThat(c.erp).as("orders without exactly one ERP sales order").isEmpty();
            assertThat(c.crm).as("orders without exactly one CRM order record").isEmpty();
            assertThat(c.customerMails).as("(order, kind) without exactly one customer mail").isEmpty();
            assertThat(c.answers).as("order mails without exactly one answer").isEmpty();
            assertThat(jobsOver).as("jobs run more often than once per interval across the instances").isEmpty();
            assertThat(jobsIdle).as("jobs that did not run at all in the window").isEmpty();
            assertThat(notTakenOver).as("jobs the survivor did not run after the kill").isEmpty();
            assertThat(victimBefore).as("stage work of " + victimName + " before the kill")
                    .isGreaterThanOrEqualTo(0.2 * (victimBefore + survivorBefore));
            assertThat(survivorBefore).as("stage work of " + survivorName + " before the kill")
                    .isGreaterThanOrEqualTo(0.2 * (victimBefore + survivorBefore));
            assertThat(survivorAfter).as("stage work of " + survivorName + " after the kill").isPositive();
            assertThat(total).isPositive();
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            if (broker != null) {
                broker.close();
            }
            if (mail != null) {
                mail.close();
            }
            sql("postgres", "drop database if exists " + db + " with (force)");
        }
    }

    // --- the hubs

    private HubProcess hub(String name, Path work, String db, StandaloneArtemis broker, TestMailServer mail) throws Exception {
        Path log = Path.of("target", "reliability", "two-instances-" + name + ".log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        HubProcess hub = new HubProcess(work.resolve(name), log);
        Map<String, String> env = new LinkedHashMap<>();
        // the embedded default (no profile: its sandboxes and demo keys; demo keys are refused under any named profile,
        // "postgres" included) with the datasource on PostgreSQL, as bench/load.sh runs it
        env.put("ORDERHUB_INSTANCE_ID", name);
        env.put("ORDERHUB_DB_URL", "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + db);
        env.put("ORDERHUB_DB_USER", PG_USER);
        env.put("ORDERHUB_DB_PASSWORD", PG_PASSWORD);
        env.put("ORDERHUB_DB_POOL_SIZE", "8");
        env.put("ORDERHUB_BROKER_EMBEDDED", "false");
        env.put("ORDERHUB_ARTEMIS_MODE", "native");
        env.put("ORDERHUB_ARTEMIS_URL", broker.url());
        env.put("ORDERHUB_ARTEMIS_USER", StandaloneArtemis.USER);
        env.put("ORDERHUB_ARTEMIS_PASSWORD", StandaloneArtemis.PASSWORD);
        env.put("ORDERHUB_BROKER_DECLARE_WAIT", "PT180S");
        // one mail server for both: the orders mailbox and the customers' mail; the hubs' own sandbox mail servers off
        env.putAll(mail.hubEnvironment());
        env.put("ORDERHUB_MAIL_POLL_MS", Long.toString(JOBS.get("mail-poll")));
        env.put("ORDERHUB_MAIL_CLAIM_STALE_SECONDS", "20");
        // quick sandboxes and jobs, so orders reach COMPLETED in seconds and the job counts mean something
        env.put("ORDERHUB_SANDBOX_CARRIER_STEP_SECONDS", "1");
        env.put("ORDERHUB_SANDBOX_PACK_INTERVAL_MS", "500");
        env.put("ORDERHUB_SANDBOX_PACK_DELAY_SECONDS", "0");
        env.put("ORDERHUB_SHIPPING_DISPATCH_MS", Long.toString(JOBS.get("dispatch")));
        env.put("ORDERHUB_SHIPPING_POLL_MS", Long.toString(JOBS.get("tracking-poll")));
        env.put("ORDERHUB_SHIPPING_COMPLETION_MS", Long.toString(JOBS.get("completion")));
        env.put("ORDERHUB_COMPLETION_HOLD", "PT1S");
        env.put("ORDERHUB_RESERVATION_EXPIRY_INTERVAL_MS", Long.toString(JOBS.get("reservation-expiry")));
        env.put("ORDERHUB_ERP_STOCK_POLL_MS", Long.toString(JOBS.get("erp-stock-poll")));
        env.put("ORDERHUB_PAYMENT_PENDING_RETRY_INTERVAL_MS", Long.toString(JOBS.get("pending-payments")));
        env.put("ORDERHUB_JOBS_LEASE", "PT10S");
        env.put("ORDERHUB_METRICS_REFRESH_MS", "60000");
        env.forEach(hub::env);
        return hub;
    }

    private static void start(HubProcess hub) {
        try {
            hub.start();
            hub.awaitReady(300);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- the load

    private void rest(HubProcess hub, ObjectNode order) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/orders"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-API-Key", IngestLoad.KEY).POST(HttpRequest.BodyPublishers.ofString(order.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201 || r.statusCode() == 200) {
            acknowledged.put(order.get("externalId").asText(), "REST");
        } else {
            refused.incrementAndGet();
        }
    }

    private void jms(Session session, MessageProducer producer, ObjectNode order) throws Exception {
        TextMessage m = session.createTextMessage(order.toString());
        m.setStringProperty("channel", "webshop");
        producer.send(m); // persistent: returns once the broker has it on disk
        acknowledged.put(order.get("externalId").asText(), "JMS");
    }

    private void email(jakarta.mail.Session session, ObjectNode order, int i) throws Exception {
        String sender = "buyer-" + run + "-" + i + "@webshop.example";
        String messageId = "<two-" + run + "-" + i + "@webshop.example>";
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom(new InternetAddress(sender));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(TestMailServer.ORDERS));
        m.setSubject("order " + i);
        m.setText(order.toString(), "UTF-8");
        Transport.send(m); // the mail server took it for the mailbox
        mailSenders.put(sender, order.get("externalId").asText());
        acknowledged.put(order.get("externalId").asText(), "e-mail");
    }

    // --- what the hubs show

    private Map<String, Map<String, Double>> scrapeAll(Map<String, HubProcess> hubs) throws Exception {
        Map<String, Map<String, Double>> all = new HashMap<>();
        for (Map.Entry<String, HubProcess> h : hubs.entrySet()) {
            all.put(h.getKey(), scrape(h.getValue()));
        }
        return all;
    }

    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

    /** The hub's Prometheus samples: "name{labels}" → value. */
    private Map<String, Double> scrape(HubProcess hub) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port()
                + "/actuator/prometheus")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    private static double jobRuns(Map<String, Double> samples, String job) {
        return sum(samples, "orderhub_scheduled_job_runs_total", "job=\"" + job + "\"");
    }

    private static double stageWork(Map<String, Double> samples) {
        double n = 0;
        for (String route : STAGE_ROUTES) {
            n += sum(samples, "camel_exchanges_total", "routeId=\"" + route + "\"");
        }
        return n;
    }

    private static double sum(Map<String, Double> samples, String name, String label) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{") && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static String percent(double part, double whole) {
        return whole == 0 ? "0 %" : Math.round(100 * part / whole) + " %";
    }

    // --- what the database and the mail server hold

    private record Counts(int lost, int duplicated, int notCompleted, List<String> lostIds, List<String> duplicatedIds,
                          Map<String, Integer> charges, Map<String, Integer> labels, Map<String, Integer> erp,
                          Map<String, Integer> crm, Map<String, Integer> customerMails, Map<String, Integer> answers) {
    }

    /** Shipments packed between the two times (the dispatcher's wake-ups). */
    private long packedBetween(String db, java.sql.Timestamp from, java.sql.Timestamp to) throws Exception {
        try (Connection c = connect(db); java.sql.PreparedStatement s = c.prepareStatement(
                "select count(*) from shipments where packed_at between ? and ?")) {
            s.setTimestamp(1, from);
            s.setTimestamp(2, to);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Counts count(String db, TestMailServer mail) throws Exception {
        Map<String, List<String[]>> orders = new HashMap<>();
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select external_id, order_id, status from orders where external_id like 'TWO-"
                     + run + "-%'")) {
            while (rs.next()) {
                orders.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        int notCompleted = 0;
        Map<String, String> orderIds = new HashMap<>();
        for (String externalId : acknowledged.keySet()) {
            List<String[]> found = orders.getOrDefault(externalId, List.of());
            if (found.isEmpty()) {
                lost.add(externalId);
            } else if (found.size() > 1) {
                duplicated.add(externalId);
            } else {
                orderIds.put(found.get(0)[0], externalId);
                if (!"COMPLETED".equals(found.get(0)[1])) {
                    notCompleted++;
                }
            }
        }
        // one PaymentIntent per order at the (sandbox) gateway
        Map<String, Integer> charges = perOrder(orderIds.keySet());
        for (String body : strings(db, "select body from sandbox_received where system = 'payment' "
                + "and path like '/v1/payment_intents/%'")) {
            String orderId = json.readTree(body).at("/metadata/order_id").asText();
            charges.computeIfPresent(orderId, (k, v) -> v + 1);
        }
        // one bought label per shipment at the (sandbox) carrier
        Map<String, Integer> labels = new HashMap<>();
        for (String[] shipment : rows(db, "select shipment_id, order_id from shipments where status <> 'CANCELLED'")) {
            if (orderIds.containsKey(shipment[1])) {
                labels.put(shipment[0], 0);
            }
        }
        for (String request : strings(db, "select request from sandbox_carrier_shipments where purchased_at is not null")) {
            labels.computeIfPresent(json.readTree(request).path("reference").asText(), (k, v) -> v + 1);
        }
        // one sales order per order at the ERP; one order record (upserted by each event) per order at the CRM
        Map<String, Integer> erp = perOrder(orderIds.keySet());
        for (String path : strings(db, "select path from sandbox_received where system = 'erp' and method = 'POST' "
                + "and path like '/sales-orders/%'")) {
            erp.computeIfPresent(path.substring("/sales-orders/".length()), (k, v) -> v + 1);
        }
        Map<String, Integer> crm = perOrder(orderIds.keySet());
        for (String path : strings(db, "select distinct path from sandbox_received where system = 'crm' "
                + "and path like '/sobjects/OrderHub_Order__c/%'")) {
            crm.computeIfPresent(path.substring(path.lastIndexOf('/') + 1), (k, v) -> v + 1);
        }
        // the customer's mails: one of each kind per order
        Map<String, Integer> customerMails = new HashMap<>();
        for (String orderId : orderIds.keySet()) {
            for (String kind : MAIL_KINDS.keySet()) {
                customerMails.put(orderId + " " + kind, 0);
            }
        }
        for (MimeMessage m : mail.mailsTo(CUSTOMER)) {
            String subject = m.getSubject();
            Matcher id = Pattern.compile("ORD-\\d+").matcher(subject);
            if (!id.find()) {
                continue;
            }
            for (Map.Entry<String, String> kind : MAIL_KINDS.entrySet()) {
                if (subject.contains(kind.getValue())) {
                    customerMails.computeIfPresent(id.group() + " " + kind.getKey(), (k, v) -> v + 1);
                }
            }
        }
        // one answer per order mail
        Map<String, Integer> answers = new HashMap<>();
        Map<String, List<MimeMessage>> answered = answers(mail);
        for (String sender : mailSenders.keySet()) {
            answers.put(sender, answered.getOrDefault(sender, List.of()).size());
        }
        return new Counts(lost.size(), duplicated.size(), notCompleted, lost, duplicated, notOne(charges), notOne(labels),
                notOne(erp), notOne(crm), notOne(customerMails), notOne(answers));
    }

    private static Map<String, Integer> perOrder(java.util.Collection<String> orderIds) {
        Map<String, Integer> m = new HashMap<>();
        orderIds.forEach(id -> m.put(id, 0));
        return m;
    }

    private static Map<String, Integer> notOne(Map<String, Integer> counts) {
        Map<String, Integer> wrong = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (v != 1) {
                wrong.put(k, v);
            }
        });
        return wrong;
    }

    /** The answers in each order-mail sender's mailbox. */
    private Map<String, List<MimeMessage>> answers(TestMailServer mail) throws Exception {
        Map<String, List<MimeMessage>> answers = new HashMap<>();
        for (String sender : mailSenders.keySet()) {
            List<MimeMessage> got = mail.mailsTo(sender);
            if (!got.isEmpty()) {
                answers.put(sender, got);
            }
        }
        return answers;
    }

    private int customerMails(TestMailServer mail) throws Exception {
        int n = 0;
        for (MimeMessage m : mail.mailsTo(CUSTOMER)) {
            if (m.getSubject() != null && MAIL_KINDS.values().stream().anyMatch(m.getSubject()::contains)) {
                n++;
            }
        }
        return n;
    }

    private int completed(String db) throws Exception {
        return Integer.parseInt(jdbcString(db, "select count(*) from orders where status = 'COMPLETED' and external_id like 'TWO-"
                + run + "-%'"));
    }

    private int stored(String db) throws Exception {
        return Integer.parseInt(jdbcString(db, "select count(*) from orders where external_id like 'TWO-" + run + "-%'"));
    }

    private long backlog(String db) throws Exception {
        return Long.parseLong(jdbcString(db, "select count(*) from outbox where published_at is null"));
    }

    /** The leases (job rows) an instance holds. */
    private List<String> leasesHeldBy(String db, String instance) throws Exception {
        List<String> held = new ArrayList<>();
        for (String table : List.of("shipping_job_lock", "inventory_job_lock", "erp_inbound_lock", "scheduled_job_lock")) {
            for (String[] row : rows(db, "select name, holder from " + table)) {
                if (instance.equals(row[1])) {
                    held.add(row[0]);
                }
            }
        }
        return held;
    }

    private static Connection connect(String db) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + db, PG_USER, PG_PASSWORD);
    }

    private static void sql(String db, String statement) throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String jdbcString(String db, String query) throws Exception {
        List<String> values = strings(db, query);
        return values.isEmpty() ? null : values.get(0);
    }

    private static List<String> strings(String db, String query) throws Exception {
        List<String> out = new ArrayList<>();
        for (String[] row : rows(db, query)) {
            out.add(row[0]);
        }
        return out;
    }

    private static List<String[]> rows(String db, String query) throws Exception {
        List<String[]> out = new ArrayList<>();
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rs.getString(i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }
}
