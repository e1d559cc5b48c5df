package io.orderhub.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One load run over HTTP: orders posted open-loop at a fixed rate, or closed-loop by a number of clients
 * as fast as the hub answers (the maximum rate).
 *
 * <p>Open loop: request {@code i} is due at {@code start + i / rate}; its latency is counted from that
 * due time, not from when it was actually sent, so when the hub falls behind the waiting shows in the
 * latency instead of silently lowering the rate (no coordinated omission). At most {@code maxInFlight}
 * requests are outstanding; beyond that the sender waits, and that wait is in the latency too.
 *
 * <p>Closed loop: each client sends its next order when the previous one is answered; latency is the
 * service time. Throughput is the figure of such a run.
 */
final class RateRun {

    /** What was measured in one run (latencies in ms). */
    record Result(String name, String format, String mode, Integer targetRate, double seconds, long sent, long ok,
                  long errors, Double achieved, Double p50, Double p95, Double p99, Double max, Double cpuMsPerOrder,
                  Double allocBytesPerOrder, Double hubCores, List<String> errorSamples) {
    }

    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Hub hub;
    private final String path;
    private final String key;
    private final LoadDocuments docs;
    private final HttpClient http;

    RateRun(Hub hub, String path, String key, LoadDocuments docs) {
        this.hub = hub;
        this.path = path;
        this.key = key;
        this.docs = docs;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(4, r -> {
                    Thread t = new Thread(r, "bench-http");
                    t.setDaemon(true);
                    return t;
                })).build();
    }

    private HttpRequest request() {
        String number = docs.nextId();
        return HttpRequest.newBuilder(URI.create(hub.url + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", docs.contentType()).header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(docs.document(number))).build();
    }

    /** Open loop at {@code rate} orders/s for {@code seconds}; waits up to 30 s for the last answers. */
    Result openLoop(String name, int rate, int seconds, int maxInFlight, Drain drain) throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastDone = new AtomicLong();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(maxInFlight);
        long total = (long) rate * seconds;
        double interval = 1e9 / rate;
        Hub.Snapshot before = hub.snapshot();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long sent = 0;
        long notSent = 0;
        String notSentNote = null;
        // a hub that falls far behind is not waited for: the schedule ends GRACE after its last due time,
        // and requests not sent by then count as errors with their waiting time as latency
        long stopSending = start + TimeUnit.SECONDS.toNanos(seconds) + GRACE_NANOS;
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long left = stopSending - System.nanoTime();
            if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                long now = System.nanoTime();
                for (long j = i; j < total; j++) {
                    long late = now - (start + (long) (j * interval));
                    latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, late / 1000)));
                }
                notSent = total - i;
                notSentNote = (notSent + " orders not sent: the hub was more than " + TimeUnit.NANOSECONDS.toSeconds(GRACE_NANOS)
                        + " s behind the schedule");
                break;
            }
            sent++;
            http.sendAsync(request(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                long now = System.nanoTime();
                latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - due) / 1000)));
                if (e == null && r.statusCode() == 201) {
                    ok.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                    if (samples.size() < 5) {
                        samples.add(e != null ? e.toString() : r.statusCode() + " " + abbreviate(r.body()));
                    }
                }
                lastDone.accumulateAndGet(now, Math::max);
                inFlight.release();
            });
        }
        boolean all = inFlight.tryAcquire(maxInFlight, 30, TimeUnit.SECONDS);
        long unanswered = all ? 0 : maxInFlight - inFlight.availablePermits();
        if (all) {
            inFlight.release(maxInFlight);
        }
        double elapsed = Math.max(1, lastDone.get() - start) / 1e9;
        List<String> errorSamples = new ArrayList<>();
        if (notSentNote != null) {
            errorSamples.add(notSentNote);
        }
        errorSamples.addAll(samples);
        return finish(name, "open", rate, elapsed, sent, ok.get(), errors.get() + unanswered + notSent, latency, before, drain,
                errorSamples);
    }

    /** Closed loop with {@code clients} clients for {@code seconds}: the maximum rate. */
    Result closedLoop(String name, int clients, int seconds, Drain drain) throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        Hub.Snapshot before = hub.snapshot();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    sent.incrementAndGet();
                    try {
                        HttpResponse<String> r = http.send(request(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                            if (samples.size() < 5) {
                                samples.add(r.statusCode() + " " + abbreviate(r.body()));
                            }
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        if (samples.size() < 5) {
                            samples.add(e.toString());
                        }
                        if (e instanceof InterruptedException) {
                            return;
                        }
                    }
                    latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - t0) / 1000));
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return finish(name, "closed (" + clients + " clients)", null, elapsed, sent.get(), ok.get(), errors.get(), latency,
                before, drain, new ArrayList<>(samples));
    }

    private Result finish(String name, String mode, Integer rate, double elapsed, long sent, long ok, long errors,
                          Histogram latency, Hub.Snapshot before, Drain drain, List<String> samples)
            throws InterruptedException {
        // the hub's work for these orders goes on after the answer (outbox relay, stage consumers): wait
        // until it is done before reading its CPU and allocation counters
        drain.await();
        Hub.Snapshot after = hub.snapshot();
        double ms = 1000.0;
        return new Result(name, docs.format(), mode, rate, Stats.round(elapsed), sent, ok, errors,
                Stats.round(ok / elapsed),
                latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(50) / ms,
                latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(95) / ms,
                latency.getTotalCount() == 0 ? null : latency.getValueAtPercentile(99) / ms,
                latency.getTotalCount() == 0 ? null : latency.getMaxValue() / ms,
                Stats.round(after.cpuMsPer(before, ok)), positive(after.allocPer(before, ok)),
                Stats.round(after.coresUsed(before)), samples);
    }

    /** jvm.gc.memory.allocated grows at young collections only: no collection in a short run reads as 0, i.e. unknown. */
    static Double positive(Double v) {
        return v == null || v <= 0 ? null : Stats.round(v);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Waits until the hub has finished the background work of the orders just sent. */
    interface Drain {
        void await() throws InterruptedException;
    }
}
