package io.orderhub.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The load benchmark (issue 12): starts the hub on a scratch PostgreSQL database (or loads a running hub
 * given by --url), measures the raw PostgreSQL and Artemis baselines, REST ingest at fixed rates and at
 * the maximum, the other formats, JMS ingest and the full lifecycle, and writes
 * bench/results/load-&lt;UTC time&gt;.md and .json. Run it with bench/load.sh (see docs/benchmarks.md).
 */
public final class LoadBench {

    private final Settings s;
    private final String stamp;
    private final String base;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<RateRun.Result> httpRuns = new ArrayList<>();
    private Hub hub;
    /** the sandboxes' JVM when they run apart (null: in the hub) */
    private Hub sandboxes;
    private HubDb hubDb;
    private Broker broker;
    private Hub.Snapshot afterStart;

    private LoadBench(Settings s) {
        this.s = s;
        this.stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        this.base = "B" + Long.toString(Instant.now().getEpochSecond(), 36).toUpperCase();
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().equals("help") ? "see bench/load.sh --help" : e.getMessage());
            System.exit(2);
            return;
        }
        new LoadBench(settings).run();
        System.exit(0);
    }

    private static void log(String message) {
        System.out.println(DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC).format(Instant.now()) + " " + message);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        report.put("title", "OrderHub load benchmark");
        report.put("startedAt", Instant.now().toString());
        report.put("command", s.command.isBlank() ? "bench/load.sh" : s.command);
        if (!s.note.isBlank()) {
            report.put("note", s.note);
        }
        report.put("machine", Machine.describe());
        report.put("loadAverageAtStart", Machine.loadAverage());
        report.put("settings", s.describe());
        Path work = Files.createTempDirectory("orderhub-bench-");
        String adminUrl = "jdbc:postgresql://" + s.pgHost + ":" + s.pgPort + "/postgres";
        String db = "orderhub_bench_" + stamp.toLowerCase();
        HubJvm jvm = null;
        HubJvm sandboxJvm = null;
        try {
            if (s.phase("baselines")) {
                baselines(adminUrl, db + "_raw", work);
            }
            if (s.local()) {
                sql(adminUrl, "create database " + db);
                report.put("database", db + " on " + s.pgHost + ":" + s.pgPort + (s.keepDatabase ? " (kept)" : " (dropped at the end)"));
                String dbUrl = "jdbc:postgresql://" + s.pgHost + ":" + s.pgPort + "/" + db;
                jvm = new HubJvm(work.resolve("hub-data"), work.resolve("hub.log"), dbUrl, s.pgUser, s.pgPassword, s.heap, s.poolSize);
                if (s.sandboxesApart) {
                    // the sandboxes in a JVM of their own (the same application on its own scratch database): their
                    // HTTP servers, records and mail server are not counted as the hub's CPU
                    sql(adminUrl, "create database " + db + "_sbx");
                    sandboxJvm = new HubJvm(work.resolve("sandbox-data"), work.resolve("sandboxes.log"),
                            "jdbc:postgresql://" + s.pgHost + ":" + s.pgPort + "/" + db + "_sbx", s.pgUser, s.pgPassword,
                            "512m", 8);
                    sandboxJvm.serveSandboxesFor(jvm);
                    jvm.useSandboxesOf(sandboxJvm);
                    report.put("sandboxJvm", sandboxJvm.settings());
                    log("starting the sandboxes' JVM (log: " + work.resolve("sandboxes.log") + ")");
                    sandboxJvm.start();
                    sandboxes = new Hub(sandboxJvm.url(), sandboxJvm.pid());
                }
                if (s.jfr) {
                    // JFR instruments the JDK's classes when its first recording starts; started later, that
                    // deoptimises the warm hub and its recompilation lands in the measured window
                    jvm.recordFromStart();
                }
                report.put("hub", jvm.settings());
                log("starting the hub (log: " + work.resolve("hub.log") + ")");
                jvm.start();
                if (s.jfr) {
                    jvm.dropJfr("startup");
                }
                Map<String, Object> startup = new LinkedHashMap<>();
                startup.put("secondsToHealthy", Stats.round(jvm.startupMillis() / 1000.0));
                startup.put("springStartedInSeconds", jvm.startedInSeconds());
                report.put("startup", startup);
                log("hub up in " + jvm.startupMillis() + " ms at " + jvm.url());
                hub = new Hub(jvm.url(), jvm.pid());
                hubDb = new HubDb(dbUrl, s.pgUser, s.pgPassword);
                broker = new Broker("127.0.0.1", jvm.brokerPort());
            } else {
                hub = new Hub(s.url, -1);
                hubDb = s.dbUrl == null ? null : new HubDb(s.dbUrl, s.pgUser, s.pgPassword);
                broker = s.brokerPort > 0 ? new Broker(java.net.URI.create(s.url).getHost(), s.brokerPort) : null;
            }
            Hub.Snapshot idleFrom = hub.snapshot();
            afterStart = idleFrom;
            Thread.sleep(5000);
            Hub.Snapshot idleTo = hub.snapshot();
            Map<String, Object> idle = snapshotMap(idleTo);
            // the hub's own background (timers, pollers) with no load: part of every per-order CPU figure
            idle.put("hubCoresIdle", Stats.round(idleTo.coresUsed(idleFrom)));
            // the same once the start-up's own work (JIT compilation, first timer runs) is mostly over: 60 s after
            // start, a 10 s window, still with no load
            Thread.sleep(50_000);
            Hub.Snapshot settledFrom = hub.snapshot();
            Thread.sleep(10_000);
            idle.put("hubCoresIdleSettled", Stats.round(hub.snapshot().coresUsed(settledFrom)));
            report.put("idle", idle);
            if (s.phase("lifecycle")) {
                catalogue();
            }
            boolean lifecycleOnly = s.phases.stream().noneMatch(p -> List.of("ingest", "max", "formats", "jms").contains(p));
            if (s.warmupSeconds > 0 && lifecycleOnly && s.phase("lifecycle")) {
                // the lifecycle on its own: warm up with lifecycle orders (stocked SKUs, to COMPLETED), not with held
                // ingest orders whose order.created events would sit ahead of the measured ones in every queue
                int rate = Math.min(s.lifecycleRate, 300);
                log("warm-up: " + s.warmupSeconds + " s of lifecycle orders at " + rate + " orders/s (not reported)");
                new RateRun(hub, "/api/orders", s.apiKey, new LoadDocuments("canonical", base + "W", true, s.lifecycleSkuGroups))
                        .openLoop("warm-up", rate, s.warmupSeconds, s.maxInFlight, this::drain);
            } else if (s.warmupSeconds > 0) {
                log("warm-up: " + s.warmupSeconds + " s at 300 orders/s (not reported)");
                rest("canonical", "W").openLoop("warm-up", 300, s.warmupSeconds, s.maxInFlight, this::drain);
            }
            if (s.phase("ingest")) {
                ingest();
            }
            if (s.phase("max")) {
                max(jvm, work);
            }
            if (s.phase("formats")) {
                formats();
            }
            if (s.phase("jms")) {
                jms();
            }
            if (s.phase("lifecycle")) {
                lifecycle(jvm);
            }
            Hub.Snapshot end = hub.snapshot();
            Map<String, Object> steady = snapshotMap(end);
            if (hubDb != null && s.local()) {
                // every order the hub stored in this benchmark, and all the CPU it used after start-up
                long orders = hubDb.orderCount();
                steady.put("ordersStored", orders);
                steady.put("cpuMsPerOrderWholeBenchmark", Stats.round(end.cpuMsPer(afterStart, orders)));
                steady.put("queueDepthsAtEnd", broker == null ? Map.of() : broker.depths());
            }
            report.put("steady", steady);
        } catch (Exception e) {
            report.put("failure", e.toString());
            log("FAILED: " + e);
            e.printStackTrace();
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (hubDb != null) {
                hubDb.close();
            }
            if (sandboxJvm != null) {
                sandboxJvm.close();
                if (!s.keepDatabase) {
                    sql(adminUrl, "drop database if exists " + db + "_sbx with (force)");
                }
            }
            if (jvm != null) {
                log("stopping the hub");
                jvm.close();
                Path hubLog = work.resolve("hub.log");
                if (Files.exists(hubLog)) {
                    long errors;
                    try (Stream<String> lines = Files.lines(hubLog)) {
                        errors = lines.filter(l -> l.contains(" ERROR ")).count();
                    }
                    report.put("hubLogErrorLines", errors);
                    Files.createDirectories(Path.of(s.out));
                    Files.copy(hubLog, Path.of("target", "bench", "load-" + stamp + "-hub.log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                if (!s.keepDatabase) {
                    sql(adminUrl, "drop database if exists " + db + " with (force)");
                }
            }
            deleteTree(work);
        }
        report.put("loadAverageAtEnd", Machine.loadAverage());
        report.put("durationSeconds", Stats.round((System.nanoTime() - started) / 1e9));
        summarize();
        Path dir = Path.of(s.out);
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule()).enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(dir.resolve("load-" + stamp + ".json"), json.writeValueAsString(report) + "\n");
        Files.writeString(dir.resolve("load-" + stamp + ".md"), LoadReport.markdown(json.valueToTree(report)));
        log("report: " + dir.resolve("load-" + stamp + ".md"));
    }

    // ---- phases ------------------------------------------------------------------------------------

    private void baselines(String adminUrl, String rawDb, Path work) throws Exception {
        Map<String, Object> b = new LinkedHashMap<>();
        try {
            log("baseline: raw PostgreSQL, " + s.poolSize + " connections, " + s.baselineSeconds + " s");
            sql(adminUrl, "create database " + rawDb);
            String url = "jdbc:postgresql://" + s.pgHost + ":" + s.pgPort + "/" + rawDb;
            try {
                PgBaseline.migrate(url, s.pgUser, s.pgPassword);
                CpuTicks t0 = CpuTicks.read();
                PgBaseline.Result r = PgBaseline.run(url, s.pgUser, s.pgPassword, s.poolSize, s.baselineSeconds);
                Map<String, Object> pg = new LinkedHashMap<>(asMap(r));
                pg.put("machineBusy", Stats.round(t0 == null ? null : CpuTicks.read().busySince(t0)));
                b.put("postgres", pg);
                log("  " + r.ordersPerSecond() + " orders/s");
            } finally {
                sql(adminUrl, "drop database if exists " + rawDb + " with (force)");
            }
        } catch (Exception e) {
            b.put("postgres", Map.of("failure", e.toString()));
            log("  PostgreSQL baseline failed: " + e);
        }
        try {
            int size = new String(new LoadDocuments("canonical", "M", false).document("Mx1")).length() + 450;
            log("baseline: raw Artemis persistent send+receive, " + size + " bytes, " + s.baselineSeconds + " s");
            CpuTicks t0 = CpuTicks.read();
            ArtemisBaseline.Result r = ArtemisBaseline.run(work.resolve("artemis-raw"), size, 4, 4, s.baselineSeconds);
            Map<String, Object> a = new LinkedHashMap<>(asMap(r));
            a.put("machineBusy", Stats.round(t0 == null ? null : CpuTicks.read().busySince(t0)));
            b.put("artemis", a);
            log("  " + r.messagesPerSecond() + " messages/s");
        } catch (Exception e) {
            b.put("artemis", Map.of("failure", e.toString()));
            log("  Artemis baseline failed: " + e);
        }
        report.put("baselines", b);
    }

    private void catalogue() throws Exception {
        long units = (long) s.lifecycleRate * s.lifecycleSeconds * 3 * 2 / s.lifecycleSkuGroups + 10_000;
        List<String> skus = new ArrayList<>();
        for (int group = 0; group < s.lifecycleSkuGroups; group++) {
            for (int line = 1; line <= LoadDocuments.LINES; line++) {
                String sku = LoadDocuments.sku(group, line);
                skus.add(sku);
                hub.put("/api/products/" + sku, s.adminKey, "{\"description\":\"Bench article " + sku
                        + "\",\"unitPrice\":4.50,\"currency\":\"EUR\",\"weightKg\":0.2}");
                for (String warehouse : List.of("eu-central", "us-east")) {
                    hub.put("/api/inventory/" + sku, s.adminKey, "{\"warehouse\":\"" + warehouse
                            + "\",\"onHand\":" + units + ",\"reason\":\"load benchmark\"}");
                }
            }
        }
        report.put("catalogue", Map.of("skus", skus.size(), "skuGroups", s.lifecycleSkuGroups,
                "onHandPerWarehouse", units, "warehouses", List.of("eu-central", "us-east")));
    }

    private RateRun rest(String format, String tag) {
        LoadDocuments docs = new LoadDocuments(format, base + tag, false);
        // B2B standards are paid on invoice, which only the B2B channel allows (paymentMethods in channels.yaml)
        boolean b2b = List.of("ubl", "x12-850", "edifact-orders", "cxml", "csv").contains(format);
        String channel = b2b ? s.b2bChannel : s.channel;
        String path = format.equals("canonical") ? "/api/orders" : "/api/channels/" + channel + "/orders?format=" + format;
        return new RateRun(hub, path, b2b ? s.b2bApiKey : s.apiKey, docs);
    }

    private void ingest() throws Exception {
        for (int rate : s.rates) {
            for (int run = 1; run <= s.runs; run++) {
                log("ingest: " + rate + " orders/s, run " + run + "/" + s.runs + ", " + s.seconds + " s");
                RateRun.Result r = rest("canonical", "R" + rate + "N" + run)
                        .openLoop("ingest " + rate + "/s", rate, s.seconds, s.maxInFlight, this::drain);
                httpRuns.add(r);
                log("  " + describe(r));
            }
        }
    }

    private void max(HubJvm jvm, Path work) throws Exception {
        List<Double> busy = new ArrayList<>();
        for (int run = 1; run <= s.runs; run++) {
            boolean profile = run == 1 && jvm != null && s.jfr;
            if (profile) {
                jvm.startJfr("bench", s.jfrSettings);
            }
            log("ingest: maximum, " + s.maxClients + " clients, run " + run + "/" + s.runs + ", " + s.seconds + " s"
                    + (profile ? " (JFR on)" : ""));
            CpuTicks t0 = CpuTicks.read();
            RateRun.Result r = rest("canonical", "M" + run).closedLoop("ingest max", s.maxClients, s.seconds, this::drain);
            busy.add(t0 == null ? null : CpuTicks.read().busySince(t0));
            httpRuns.add(r);
            log("  " + describe(r));
            if (profile) {
                Path file = work.resolve("max.jfr");
                jvm.stopJfr("bench", file);
                Map<String, Object> hot;
                try {
                    hot = HotMethods.summarize(file, 15);
                } catch (Exception e) {
                    hot = new LinkedHashMap<>(Map.of("failure", e.toString()));
                }
                Object bytes = hot.get("allocatedBytes");
                if (bytes instanceof Long b && r.ok() > 0) {
                    // JFR's per-thread allocation counters over the recording (the run and its drain)
                    hot.put("allocatedBytesPerOrder", Stats.round(b / (double) r.ok()));
                }
                Path kept = Path.of("target", "bench", "load-" + stamp + "-max.jfr");
                Files.copy(file, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                hot.put("file", kept.toString());
                report.put("profile", hot);
            }
        }
        report.put("maxRunMachineBusy", Stats.round(Stats.median(busy)));
    }

    private void formats() throws Exception {
        for (String format : s.formats) {
            log("format " + format + ": warm-up 2 s");
            rest(format, "FW" + format.replaceAll("[^a-z0-9]", "")).closedLoop("warm-up", s.maxClients, 2, this::drain);
            for (int run = 1; run <= s.runs; run++) {
                log("format " + format + ": maximum, run " + run + "/" + s.runs + ", " + s.formatSeconds + " s");
                RateRun.Result r = rest(format, "F" + format.replaceAll("[^a-z0-9]", "") + "N" + run)
                        .closedLoop("format " + format, s.maxClients, s.formatSeconds, this::drain);
                httpRuns.add(r);
                log("  " + describe(r));
            }
        }
    }

    private void jms() throws Exception {
        if (broker == null) {
            report.put("jms", Map.of("skipped", "no broker port (--broker-port) for the running hub"));
            return;
        }
        List<JmsIngest.Result> runs = new ArrayList<>();
        for (int run = 1; run <= s.runs; run++) {
            log("jms: " + s.jmsMessages + " orders to orders.inbound, " + s.jmsProducers + " producers, run " + run + "/" + s.runs);
            JmsIngest.Result r = new JmsIngest().run(broker, hub, s.channel, s.jmsMessages, s.jmsProducers, base + "J" + run,
                    this::drain);
            runs.add(r);
            log("  " + r.ordersPerSecond() + " orders/s, " + r.accepted() + " accepted, p99 " + r.p99() + " ms");
            // messages not answered in time are still queued: let the hub finish them before the next run
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (r.unanswered() > 0 && System.nanoTime() < deadline
                    && broker.depths().getOrDefault(s.jmsQueue, 0L) > 0) {
                Thread.sleep(500);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("medianOrdersPerSecond", Stats.round(Stats.median(runs.stream().map(JmsIngest.Result::ordersPerSecond).toList())));
        m.put("medianP50Ms", Stats.round(Stats.median(runs.stream().map(JmsIngest.Result::p50).toList())));
        m.put("medianP99Ms", Stats.round(Stats.median(runs.stream().map(JmsIngest.Result::p99).toList())));
        m.put("medianCpuMsPerOrder", Stats.round(Stats.median(runs.stream().map(JmsIngest.Result::cpuMsPerOrder).toList())));
        m.put("medianAllocBytesPerOrder", Stats.round(Stats.median(runs.stream().map(JmsIngest.Result::allocBytesPerOrder).toList())));
        report.put("jms", m);
    }

    private void lifecycle(HubJvm jvm) throws Exception {
        if (hubDb == null) {
            report.put("lifecycle", Map.of("skipped", "no database access to the running hub (--db-url)"));
            return;
        }
        // start from a quiet hub: what earlier phases left in the queues would be measured as the lifecycle's
        Map<String, Object> quiet = quiet(Duration.ofSeconds(s.lifecycleDrainSeconds));
        log("lifecycle: " + s.lifecycleRate + " orders/s for " + s.lifecycleSeconds + " s, then up to "
                + s.lifecycleDrainSeconds + " s for the last orders to complete (hub quiet: " + quiet + ")");
        String prefix = base + "LC";
        RateRun submitter = new RateRun(hub, "/api/orders", s.apiKey, new LoadDocuments("canonical", prefix, true,
                s.lifecycleSkuGroups));
        boolean profile = jvm != null && s.jfr;
        if (profile) {
            jvm.startJfr("lifecycle", s.jfrSettings);
        }
        Map<String, Object> r = Lifecycle.run(hub, sandboxes, hubDb, broker, submitter, prefix + "x", s.lifecycleRate,
                s.lifecycleSeconds, s.lifecycleDrainSeconds, s.maxInFlight);
        if (profile) {
            Path file = Path.of("target", "bench", "load-" + stamp + "-lifecycle.jfr");
            jvm.stopJfr("lifecycle", file);
            r.put("jfr", file.toString());
        }
        r.put("before", quiet);
        report.put("lifecycle", r);
        log("  completed " + r.get("completed") + ", sustained " + r.get("sustainedCompletedPerSecond") + " orders/s, statuses "
                + r.get("finalStatuses"));
    }

    /**
     * Waits (at most {@code limit}) until the hub has no work left: outbox empty and no message in any queue
     * but the dead letter queues. Returns how long it waited and what was left when it stopped waiting.
     */
    private Map<String, Object> quiet(Duration limit) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        long left = -1;
        while (System.nanoTime() < deadline) {
            try {
                long outbox = hubDb == null ? 0 : hubDb.outboxBacklog();
                long queued = broker == null ? 0 : broker.depths().entrySet().stream()
                        .filter(e -> !e.getKey().contains("DLQ")).mapToLong(Map.Entry::getValue).sum();
                left = outbox + queued;
                if (left == 0) {
                    break;
                }
            } catch (Exception e) {
                break;
            }
            Thread.sleep(500);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("waitedSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
        m.put("workLeft", left);
        return m;
    }

    /**
     * Waits until the hub's outbox is empty (at most 30 s): every order of the run is stored and its
     * event published. Stage consumers that lag behind (see the queue depths in the lifecycle samples)
     * carry their backlog into the next run; the whole-benchmark CPU per order counts all of it.
     */
    private void drain() throws InterruptedException {
        if (hubDb == null) {
            Thread.sleep(2000);
            return;
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (hubDb.outboxBacklog() == 0) {
                    return;
                }
            } catch (Exception e) {
                return;
            }
            Thread.sleep(250);
        }
    }

    // ---- summary -----------------------------------------------------------------------------------

    private void summarize() {
        Map<String, List<RateRun.Result>> byCase = new LinkedHashMap<>();
        for (RateRun.Result r : httpRuns) {
            byCase.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> cases = new ArrayList<>();
        Map<String, Map<String, Object>> caseByName = new LinkedHashMap<>();
        for (Map.Entry<String, List<RateRun.Result>> e : byCase.entrySet()) {
            List<RateRun.Result> runs = e.getValue();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("case", e.getKey());
            c.put("format", runs.get(0).format());
            c.put("mode", runs.get(0).mode());
            c.put("targetRate", runs.get(0).targetRate());
            c.put("runs", runs.size());
            c.put("achieved", med(runs, RateRun.Result::achieved));
            c.put("p50Ms", med(runs, RateRun.Result::p50));
            c.put("p95Ms", med(runs, RateRun.Result::p95));
            c.put("p99Ms", med(runs, RateRun.Result::p99));
            c.put("maxMs", med(runs, RateRun.Result::max));
            c.put("errors", runs.stream().mapToLong(RateRun.Result::errors).sum());
            c.put("sent", runs.stream().mapToLong(RateRun.Result::sent).sum());
            c.put("cpuMsPerOrder", med(runs, RateRun.Result::cpuMsPerOrder));
            c.put("allocBytesPerOrder", med(runs, RateRun.Result::allocBytesPerOrder));
            c.put("hubCores", med(runs, RateRun.Result::hubCores));
            cases.add(c);
            caseByName.put(e.getKey(), c);
        }
        report.put("cases", cases);
        report.put("runs", httpRuns);

        Double pgRaw = nested("baselines", "postgres", "ordersPerSecond");
        Double mqRaw = nested("baselines", "artemis", "messagesPerSecond");
        // the maximum: the closed-loop runs, or an open-loop rate the hub could not keep up with if that
        // got more through (more requests in flight than the closed loop's clients)
        Double max = caseByName.containsKey("ingest max") ? (Double) caseByName.get("ingest max").get("achieved") : null;
        String maxFrom = "ingest max";
        for (Map<String, Object> c : cases) {
            if (String.valueOf(c.get("case")).startsWith("ingest ") && c.get("achieved") instanceof Double a
                    && (max == null || a > max)) {
                max = a;
                maxFrom = String.valueOf(c.get("case"));
            }
        }
        report.put("ingestMaximum", Map.of("ordersPerSecond", max == null ? 0.0 : max, "from", maxFrom));
        Double jms = nested("jms", "medianOrdersPerSecond");
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("restIngestMaxOverRawPostgres", Stats.round(Stats.ratio(max, pgRaw)));
        ratios.put("jmsIngestOverRawPostgres", Stats.round(Stats.ratio(jms, pgRaw)));
        ratios.put("jmsIngestOverRawArtemis", Stats.round(Stats.ratio(jms, mqRaw)));
        Double sustained = nested("lifecycle", "sustainedCompletedPerSecond");
        ratios.put("lifecycleOverRawPostgres", Stats.round(Stats.ratio(sustained, pgRaw)));
        for (String f : s.formats) {
            Map<String, Object> c = caseByName.get("format " + f);
            if (c != null && max != null) {
                ratios.put(f + "OverCanonicalMax", Stats.round(Stats.ratio((Double) c.get("achieved"), max)));
            }
        }
        report.put("ratios", ratios);

        // the targets of issue 17 (docs/benchmarks.md)
        List<Map<String, Object>> targets = new ArrayList<>();
        Map<String, Object> maxTarget = target("REST ingest at maximum", "≥ 650 orders/s", max,
                max == null ? null : max >= 650, "orders/s");
        maxTarget.put("note", "median of the case '" + maxFrom + "', the highest of all REST ingest cases");
        targets.add(maxTarget);
        Double ratio = Stats.ratio(max, pgRaw);
        targets.add(target("REST ingest ÷ raw PostgreSQL rate of the same writes", "≥ 0.5", ratio,
                ratio == null ? null : ratio >= 0.5, ""));
        Map<String, Object> at300 = caseByName.get("ingest 300/s");
        Double p99 = at300 == null ? null : (Double) at300.get("p99Ms");
        targets.add(target("p99 latency at 300 orders/s offered", "≤ 50 ms", p99, p99 == null ? null : p99 <= 50, "ms"));
        targets.add(target("JMS ingest", "≥ 500 orders/s", jms, jms == null ? null : jms >= 500, "orders/s"));
        for (String f : s.formats) {
            Map<String, Object> c = caseByName.get("format " + f);
            Double a = c == null ? null : (Double) c.get("achieved");
            targets.add(target("REST ingest of " + f + " documents", "≥ 300 docs/s", a, a == null ? null : a >= 300, "docs/s"));
        }
        Boolean grows = nestedBool("lifecycle", "growth", "inFlightGrows");
        Boolean lifecycleMet = null;
        String lifecycleNote = null;
        if (sustained != null) {
            boolean rateOk = sustained >= 100 && Boolean.FALSE.equals(grows);
            if (s.lifecycleSeconds >= 600 && s.lifecycleRate >= 100) {
                lifecycleMet = rateOk;
            } else {
                lifecycleMet = rateOk ? null : Boolean.FALSE;
                lifecycleNote = "this run offered " + s.lifecycleRate + " orders/s for " + s.lifecycleSeconds
                        + " s; the target needs ≥ 100/s for 600 s (--lifecycle-rate 100 --lifecycle-seconds 600)";
            }
        }
        Map<String, Object> lt = target("full lifecycle sustained, no growth", "≥ 100 orders/s for 10 min", sustained,
                lifecycleMet, "orders/s");
        if (lifecycleNote != null) {
            lt.put("note", lifecycleNote);
        }
        targets.add(lt);
        Double e2e = nested("lifecycle", "endToEnd", "p99Ms");
        targets.add(target("CREATED → COMPLETED p99 (sandbox waits of the run: about 2.4 s)", "≤ 5 s + sandbox waits", e2e,
                e2e == null ? null : e2e <= 7400, "ms"));
        Double cpu = nested("lifecycle", "cpuMsPerCompletedOrder");
        targets.add(target(sandboxes != null ? "hub CPU per completed order (lifecycle; the hub process alone, the sandboxes"
                + " in a second JVM)" : "hub CPU per completed order (lifecycle; the in-hub sandboxes included)", "≤ 10 ms", cpu,
                cpu == null ? null : cpu <= 10, "ms"));
        Double idleCores = nested("idle", "hubCoresIdleSettled");
        targets.add(target("idle hub", "≤ 0.05 cores", idleCores, idleCores == null ? null : idleCores <= 0.05, "cores"));
        report.put("targets", targets);
        report.put("bottlenecks", bottlenecks(caseByName, pgRaw, max));
    }

    private List<String> bottlenecks(Map<String, Map<String, Object>> cases, Double pgRaw, Double max) {
        List<String> notes = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        Object from = report.get("ingestMaximum") instanceof Map<?, ?> im ? im.get("from") : null;
        Map<String, Object> maxCase = cases.get(from == null ? "ingest max" : String.valueOf(from));
        Double busy = (Double) report.get("maxRunMachineBusy");
        if (maxCase != null) {
            Double hubCores = (Double) maxCase.get("hubCores");
            Double cpuMs = (Double) maxCase.get("cpuMsPerOrder");
            StringBuilder n = new StringBuilder("REST ingest at maximum (" + from + "): " + Stats.fmt(max) + " orders/s; the hub used "
                    + Stats.fmt(hubCores) + " of " + cores + " cores (" + Stats.fmt(cpuMs) + " ms CPU per order)");
            if (busy != null) {
                n.append(", the machine was ").append(Math.round(busy * 100)).append(" % busy (hub, load driver, PostgreSQL")
                        .append(" and anything else running)");
            }
            if (busy != null && busy > 0.85) {
                n.append(". The limit is CPU: the cores are saturated, and the hub's CPU per order (not PostgreSQL, whose raw rate is ")
                        .append(Stats.fmt(pgRaw)).append(" orders/s) sets the rate: at ").append(Stats.fmt(cpuMs))
                        .append(" ms per order ").append(cores).append(" cores give at most about ")
                        .append(cpuMs == null || cpuMs == 0 ? "–" : Stats.fmt(cores * 1000 / cpuMs)).append(" orders/s.");
            } else {
                n.append(". The cores were not saturated: the limit is waiting (connection pool, commits, broker), not CPU.");
            }
            notes.add(n.toString());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> profile = (Map<String, Object>) report.get("profile");
        if (profile != null && profile.get("topHubFrames") != null) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> hubFrames = (List<Map<String, Object>>) profile.get("topHubFrames");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> libs = (List<Map<String, Object>>) profile.get("byLibrary");
            StringBuilder n = new StringBuilder("Profile of the maximum-rate run (JFR execution samples): ");
            n.append("by library of the running method: ");
            n.append(String.join(", ", libs.stream().limit(6).map(m -> m.get("name") + " "
                    + Math.round(((Number) m.get("share")).doubleValue() * 100) + " %").toList()));
            n.append("; by the hub code it ran under: ");
            n.append(String.join(", ", hubFrames.stream().limit(6).map(m -> m.get("name") + " "
                    + Math.round(((Number) m.get("share")).doubleValue() * 100) + " %").toList()));
            n.append('.');
            notes.add(n.toString());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lifecycle = (Map<String, Object>) report.get("lifecycle");
        if (lifecycle != null && lifecycle.get("stageTimes") instanceof Map<?, ?> stages && !stages.isEmpty()) {
            String slowest = null;
            double worst = -1;
            for (Map.Entry<?, ?> e : stages.entrySet()) {
                Object p50 = ((Map<?, ?>) e.getValue()).get("p50Ms");
                if (p50 instanceof Number v && v.doubleValue() > worst) {
                    worst = v.doubleValue();
                    slowest = String.valueOf(e.getKey());
                }
            }
            notes.add("Lifecycle: the longest stage (median time before the order reached it) is " + slowest + " ("
                    + Stats.fmt(worst) + " ms); stage times include the sandboxes' own delays (packing tick 200 ms, carrier"
                    + " steps of 0.5 s, completion job every 500 ms). In-flight orders "
                    + (Boolean.TRUE.equals(nestedBool("lifecycle", "growth", "inFlightGrows")) ? "GREW" : "did not grow")
                    + " in the steady window (slope " + Stats.fmt(nested("lifecycle", "growth", "inFlightOrdersPerSecond"))
                    + " orders/s); queue depth slope " + Stats.fmt(nested("lifecycle", "growth", "queueDepthPerSecond"))
                    + " messages/s; heap slope " + Stats.fmt(nested("lifecycle", "growth", "heapMbPerSecond")) + " MB/s."
                    + deepestQueues(lifecycle));
        }
        return notes;
    }

    /** The broker queues holding the most messages when the lifecycle's submission ended. */
    @SuppressWarnings("unchecked")
    private static String deepestQueues(Map<String, Object> lifecycle) {
        List<Map<String, Object>> samples = (List<Map<String, Object>>) lifecycle.get("samples");
        int seconds = ((Number) lifecycle.get("submitSeconds")).intValue();
        Map<String, Object> last = null;
        for (Map<String, Object> sm : samples) {
            if (((Number) sm.get("t")).doubleValue() <= seconds + 1) {
                last = sm;
            }
        }
        if (last == null || !(last.get("queueDepths") instanceof Map<?, ?> depths) || depths.isEmpty()) {
            return "";
        }
        List<String> top = depths.entrySet().stream()
                .sorted((a, b) -> Long.compare(((Number) b.getValue()).longValue(), ((Number) a.getValue()).longValue()))
                .limit(4).map(e -> e.getKey() + " " + e.getValue()).toList();
        return " Queues deepest when submission ended (the stages that could not keep up): " + String.join(", ", top)
                + "; orders per status then: " + last.get("statuses") + ".";
    }

    private static Map<String, Object> target(String what, String goal, Double measured, Boolean met, String unit) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", what);
        t.put("goal", goal);
        t.put("measured", Stats.round(measured));
        t.put("unit", unit);
        t.put("met", met == null ? "not evaluated" : met ? "yes" : "no");
        return t;
    }

    private static Double med(List<RateRun.Result> runs, Function<RateRun.Result, Double> f) {
        return Stats.round(Stats.median(runs.stream().map(f).toList()));
    }

    private Double nested(String... path) {
        Object o = walk(path);
        return o instanceof Number n ? n.doubleValue() : null;
    }

    private Boolean nestedBool(String... path) {
        Object o = walk(path);
        return o instanceof Boolean b ? b : null;
    }

    private Object walk(String... path) {
        Object o = report;
        for (String p : path) {
            if (o instanceof Map<?, ?> m) {
                o = m.get(p);
            } else if (o instanceof Record) {
                o = asMap(o).get(p);
            } else {
                return null;
            }
        }
        return o instanceof Record ? asMap(o) : o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object record) {
        return new ObjectMapper().convertValue(record, Map.class);
    }

    private static Map<String, Object> snapshotMap(Hub.Snapshot snap) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heapUsedMb", snap.heapUsed() == null ? null : Stats.round(snap.heapUsed() / 1048576));
        m.put("rssMb", snap.rss() == null ? null : Stats.round(snap.rss() / 1048576));
        m.put("cpuSeconds", snap.cpuNs() == null ? null : Stats.round(snap.cpuNs() / 1e9));
        return m;
    }

    private static String describe(RateRun.Result r) {
        return r.achieved() + " orders/s (" + r.ok() + " ok, " + r.errors() + " errors), p50 " + r.p50() + " ms, p99 " + r.p99()
                + " ms, max " + r.max() + " ms, CPU " + r.cpuMsPerOrder() + " ms/order"
                + (r.errorSamples().isEmpty() ? "" : ", e.g. " + r.errorSamples().get(0));
    }

    private void sql(String url, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url, s.pgUser, s.pgPassword); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp directory left behind
        }
    }
}
