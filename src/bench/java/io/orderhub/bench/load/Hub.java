package io.orderhub.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The hub under load, seen from outside: its HTTP API and actuator, and when the benchmark started it,
 * its process (CPU time from /proc/&lt;pid&gt;/stat, RSS from /proc/&lt;pid&gt;/status).
 */
class Hub {

    final String url;
    final long pid;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Hub(String url, long pid) {
        this.url = url;
        this.pid = pid;
    }

    /** A snapshot of the hub's counters: CPU ns, allocated bytes, heap used, RSS (null when unknown). */
    record Snapshot(long nanoTime, Double cpuNs, Double allocatedBytes, Double heapUsed, Double rss) {

        Double cpuMsPer(Snapshot before, long orders) {
            return orders <= 0 || cpuNs == null || before.cpuNs == null ? null : (cpuNs - before.cpuNs) / 1e6 / orders;
        }

        Double allocPer(Snapshot before, long orders) {
            return orders <= 0 || allocatedBytes == null || before.allocatedBytes == null ? null
                    : (allocatedBytes - before.allocatedBytes) / orders;
        }

        /** Cores the hub used on average between the two snapshots. */
        Double coresUsed(Snapshot before) {
            return cpuNs == null || before.cpuNs == null ? null : (cpuNs - before.cpuNs) / (double) (nanoTime - before.nanoTime);
        }
    }

    Snapshot snapshot() {
        Double cpu = null;
        Double alloc = null;
        Double heap = null;
        Double rss = null;
        try {
            String text = get("/actuator/prometheus").body();
            double heapSum = 0;
            boolean heapSeen = false;
            for (String line : text.split("\n")) {
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("process_cpu_time_ns_total")) {
                    cpu = value(line);
                } else if (line.startsWith("jvm_gc_memory_allocated_bytes_total")) {
                    alloc = value(line);
                } else if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heapSum += value(line);
                    heapSeen = true;
                }
            }
            heap = heapSeen ? heapSum : null;
        } catch (IOException | RuntimeException e) {
            // the actuator did not answer: leave the figures unknown
        }
        if (pid > 0) {
            Double procCpu = procCpuNs();
            cpu = procCpu != null ? procCpu : cpu;
            rss = procRss();
        }
        return new Snapshot(System.nanoTime(), cpu, alloc, heap, rss);
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** utime + stime of the process, in ns (clock ticks of 10 ms: USER_HZ is 100 on Linux). */
    Double procCpuNs() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 10_000_000.0;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    Double procRss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return null;
    }

    HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30)).GET(), null);
    }

    HttpResponse<String> send(HttpRequest.Builder request, String key) throws IOException {
        if (key != null) {
            request.header("X-API-Key", key);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** PUT of a JSON body with the key; fails unless 2xx. */
    void put(String path, String key, String json) throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)), key);
        if (r.statusCode() / 100 != 2) {
            throw new IOException("PUT " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
