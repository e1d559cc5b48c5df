package io.orderhub.bench.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The full lifecycle under load: canonical orders of catalogue SKUs (with stock) posted open-loop at a
 * fixed rate; the hub takes each through reservation, payment (Stripe sandbox), allocation, the sandbox
 * warehouse's packing, the sandbox carrier (label, tracking webhooks) to COMPLETED. While it runs, a
 * sampler records the orders' statuses, the outbox backlog, every broker queue's depth, heap and RSS.
 * Afterwards: the sustained completion rate, the time per stage (from order_events) and whether
 * in-flight orders, queue depth or heap grew.
 */
final class Lifecycle {

    private Lifecycle() {
    }

    static Map<String, Object> run(Hub hub, Hub sandboxes, HubDb db, Broker broker, RateRun submitter, String prefix,
                                   int rate, int seconds, int drainSeconds, int maxInFlight) throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        long t0 = System.nanoTime();
        List<Map<String, Object>> samples = new CopyOnWriteArrayList<>();
        int every = seconds >= 300 ? 10 : seconds >= 60 ? 5 : 2;
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        Hub.Snapshot before = hub.snapshot();
        Hub.Snapshot sandboxesBefore = sandboxes == null ? null : sandboxes.snapshot();
        sampler.scheduleAtFixedRate(() -> {
            try {
                samples.add(sample(hub, db, broker, prefix, since, t0));
            } catch (Exception e) {
                // a missed sample is not worth failing the run
            }
        }, 0, every, TimeUnit.SECONDS);
        RateRun.Result submitted = submitter.openLoop("lifecycle submit", rate, seconds, maxInFlight, () -> { });
        Instant submitEnd = Instant.now();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
        Map<String, Long> statuses = Map.of();
        while (System.nanoTime() < deadline) {
            statuses = db.statuses(prefix, since);
            long open = statuses.entrySet().stream().filter(e -> !terminal(e.getKey())).mapToLong(Map.Entry::getValue).sum();
            if (open == 0) {
                break;
            }
            Thread.sleep(1000);
        }
        sampler.shutdown();
        sampler.awaitTermination(30, TimeUnit.SECONDS);
        samples.add(sample(hub, db, broker, prefix, since, t0));
        Hub.Snapshot after = hub.snapshot();
        Hub.Snapshot sandboxesAfter = sandboxes == null ? null : sandboxes.snapshot();
        statuses = db.statuses(prefix, since);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("targetRate", rate);
        r.put("submitSeconds", seconds);
        r.put("submit", submitted);
        r.put("finalStatuses", statuses);
        long completed = statuses.getOrDefault("COMPLETED", 0L);
        r.put("completed", completed);
        r.put("notCompleted", submitted.ok() - completed);
        // steady state: the last two thirds of the submit window (the pipeline is full after the first third)
        Instant steadyFrom = submitEnd.minusSeconds(seconds * 2L / 3);
        long steadyCompleted = db.completedBetween(prefix, since, steadyFrom, submitEnd);
        r.put("steadyWindowSeconds", seconds * 2 / 3);
        r.put("sustainedCompletedPerSecond", Stats.round(steadyCompleted / Math.max(1.0, seconds * 2 / 3.0)));
        Map<String, Object> e2e = db.endToEnd(prefix, since);
        r.put("endToEnd", e2e);
        if (e2e.get("firstCreated") != null && e2e.get("lastCompleted") != null) {
            double span = (Instant.parse((String) e2e.get("lastCompleted")).toEpochMilli()
                    - Instant.parse((String) e2e.get("firstCreated")).toEpochMilli()) / 1000.0;
            r.put("completedPerSecondOverall", Stats.round(completed / Math.max(0.001, span)));
        }
        r.put("stageTimes", db.stageTimes(prefix, since));
        r.put("cpuMsPerCompletedOrder", Stats.round(after.cpuMsPer(before, completed)));
        r.put("allocBytesPerCompletedOrder", RateRun.positive(after.allocPer(before, completed)));
        r.put("hubCores", Stats.round(after.coresUsed(before)));
        if (sandboxes != null) {
            // the sandboxes' JVM (payment, carrier, ERP, CRM, mail server), reported apart from the hub
            r.put("sandboxCpuMsPerCompletedOrder", Stats.round(sandboxesAfter.cpuMsPer(sandboxesBefore, completed)));
            r.put("sandboxCores", Stats.round(sandboxesAfter.coresUsed(sandboxesBefore)));
        }
        r.put("growth", growth(samples, seconds));
        r.put("samples", samples);
        return r;
    }

    static boolean terminal(String status) {
        return status.equals("COMPLETED") || status.equals("CANCELLED") || status.equals("REJECTED");
    }

    private static Map<String, Object> sample(Hub hub, HubDb db, Broker broker, String prefix, Instant since, long t0)
            throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("t", Stats.round((System.nanoTime() - t0) / 1e9));
        Map<String, Long> statuses = db.statuses(prefix, since);
        s.put("orders", statuses.values().stream().mapToLong(Long::longValue).sum());
        s.put("inFlight", statuses.entrySet().stream().filter(e -> !terminal(e.getKey())).mapToLong(Map.Entry::getValue).sum());
        s.put("statuses", statuses);
        s.put("outboxBacklog", db.outboxBacklog());
        Map<String, Long> depths = broker == null ? Map.of() : broker.depths();
        Map<String, Long> nonEmpty = new LinkedHashMap<>();
        depths.forEach((q, n) -> {
            if (n > 0) {
                nonEmpty.put(q, n);
            }
        });
        s.put("queueDepthTotal", depths.entrySet().stream().filter(e -> !e.getKey().contains("DLQ"))
                .mapToLong(Map.Entry::getValue).sum());
        s.put("queueDepths", nonEmpty);
        Hub.Snapshot snap = hub.snapshot();
        s.put("heapMb", snap.heapUsed() == null ? null : Stats.round(snap.heapUsed() / 1048576));
        s.put("rssMb", snap.rss() == null ? null : Stats.round(snap.rss() / 1048576));
        return s;
    }

    /** Slopes over the steady window (second half of the submit time): in-flight orders/s, queue depth/s, heap MB/s. */
    private static Map<String, Object> growth(List<Map<String, Object>> samples, int seconds) {
        List<double[]> inFlight = new ArrayList<>();
        List<double[]> depth = new ArrayList<>();
        List<double[]> heap = new ArrayList<>();
        double heapMax = 0;
        double rssMax = 0;
        for (Map<String, Object> s : samples) {
            double t = ((Number) s.get("t")).doubleValue();
            if (t < seconds / 2.0 || t > seconds) {
                continue;
            }
            inFlight.add(new double[] {t, ((Number) s.get("inFlight")).doubleValue()});
            depth.add(new double[] {t, ((Number) s.get("queueDepthTotal")).doubleValue()});
            if (s.get("heapMb") != null) {
                heap.add(new double[] {t, ((Number) s.get("heapMb")).doubleValue()});
                heapMax = Math.max(heapMax, ((Number) s.get("heapMb")).doubleValue());
            }
            if (s.get("rssMb") != null) {
                rssMax = Math.max(rssMax, ((Number) s.get("rssMb")).doubleValue());
            }
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("window", "samples from " + seconds / 2 + " s to " + seconds + " s");
        g.put("samples", inFlight.size());
        g.put("inFlightOrdersPerSecond", Stats.round(Stats.slope(inFlight)));
        g.put("queueDepthPerSecond", Stats.round(Stats.slope(depth)));
        g.put("heapMbPerSecond", Stats.round(Stats.slope(heap)));
        g.put("heapMaxMb", Stats.round(heapMax));
        g.put("rssMaxMb", Stats.round(rssMax));
        Double sl = Stats.slope(inFlight);
        g.put("inFlightGrows", sl != null && sl > 1.0);
        return g;
    }
}
