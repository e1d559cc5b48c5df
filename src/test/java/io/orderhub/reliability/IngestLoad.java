package io.orderhub.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Canonical orders sent over REST by a few clients until stopped: remembers every order answered 201
 * (externalId → orderId), and counts requests that got no answer or another status.
 */
final class IngestLoad implements AutoCloseable {

    static final String KEY = "demo-webshop-key";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final ExecutorService clients;
    private final CountDownLatch target;

    IngestLoad(int port, int clientCount, int targetAcks) throws IOException {
        ObjectNode template = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
        this.target = new CountDownLatch(targetAcks);
        // no clients: a probe for the read helpers only
        this.clients = Executors.newFixedThreadPool(Math.max(1, clientCount));
        for (int c = 0; c < clientCount; c++) {
            clients.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    String externalId = "LOAD-" + UUID.randomUUID().toString().replace('-', 'x');
                    try {
                        HttpResponse<String> r = post(port, template.deepCopy().put("externalId", externalId));
                        if (r.statusCode() == 201) {
                            acknowledged.put(externalId, json.readTree(r.body()).get("orderId").asText());
                            target.countDown();
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (IOException e) {
                        unanswered.incrementAndGet();
                        if (target.getCount() == 0) {
                            return null;
                        }
                    }
                }
                return null;
            });
        }
    }

    boolean awaitAcknowledged(long seconds) throws InterruptedException {
        return target.await(seconds, TimeUnit.SECONDS);
    }

    Map<String, String> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    int unanswered() {
        return unanswered.get();
    }

    int refused() {
        return refused.get();
    }

    /** Orders answered 201 that the hub no longer has, and those it has more than once or under another id. */
    int[] lostAndDuplicated(int port) throws IOException, InterruptedException {
        int lost = 0;
        int duplicated = 0;
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            JsonNode page = json.readTree(get(port, "/api/orders?externalId=" + e.getKey()).body());
            long found = page.get("totalItems").asLong();
            if (found == 0) {
                lost++;
            } else if (found > 1 || !page.at("/items/0/orderId").asText().equals(e.getValue())) {
                duplicated++;
            }
        }
        return new int[] {lost, duplicated};
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-API-Key", KEY)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, ObjectNode order) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-API-Key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(order.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        clients.shutdownNow();
        clients.awaitTermination(30, TimeUnit.SECONDS);
    }

    static void report(String name, String row) throws IOException {
        Path out = Path.of("target", "reliability", name + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, row + "\n");
    }
}
