package io.orderhub.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A sales channel sending canonical orders over REST the way a careful one does: a few clients, each
 * sending one order and waiting for the answer, then the next after a pause. An answer 503 is sent again
 * with the same externalId once its Retry-After has passed, and so is a request that got no answer at
 * all; 201 and 200 end an order. Every request is recorded (start, end, status), so a test can count what
 * happened while a dependency of the hub was away.
 */
final class RetryingRestChannel implements AutoCloseable {

    /** One request and what came back ({@code status} 0: no answer; {@code wellFormed}: a 503 as the API promises). */
    record Attempt(String externalId, long startNanos, long endNanos, int status, boolean wellFormed, String detail) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectNode template;
    private final int port;
    private final Duration requestTimeout;
    private final ScheduledExecutorService clients;
    private final DelayQueue<Resend> resends = new DelayQueue<>();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Integer> sends = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean newOrders = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();

    RetryingRestChannel(int port, int clientCount, long pauseMillis, Duration requestTimeout) throws IOException {
        this.template = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
        this.port = port;
        this.requestTimeout = requestTimeout;
        this.clients = Executors.newScheduledThreadPool(clientCount);
        for (int c = 0; c < clientCount; c++) {
            clients.scheduleWithFixedDelay(this::sendOne, 0, pauseMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** No new orders from now on; resends of orders not yet answered 201/200 go on. */
    void stopNewOrders() {
        newOrders.set(false);
    }

    /** Every order this channel sent has been answered 201 or 200, and nothing is in flight. */
    boolean settled() {
        return !newOrders.get() && resends.isEmpty() && inFlight.get() == 0;
    }

    /** Orders answered 201 or 200: externalId → orderId. */
    Map<String, String> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    /** Every externalId sent (answered or not), with how many times it was sent. */
    Map<String, Integer> sent() {
        return Map.copyOf(sends);
    }

    List<Attempt> attempts() {
        return new ArrayList<>(attempts);
    }

    int pendingResends() {
        return resends.size();
    }

    private void sendOne() {
        // counted before the resend leaves its queue, so settled() never sees an order in neither place
        inFlight.incrementAndGet();
        String externalId = null;
        try {
            Resend due = resends.poll();
            if (due != null) {
                externalId = due.externalId;
            } else if (newOrders.get()) {
                externalId = "PGO-" + UUID.randomUUID().toString().replace('-', 'x');
            } else {
                return;
            }
            send(externalId);
        } catch (RuntimeException e) {
            // never lose an order to a bug of the client: record it and send it again
            attempts.add(new Attempt(externalId, System.nanoTime(), System.nanoTime(), -1, false, e.toString()));
            if (externalId != null) {
                resends.add(new Resend(externalId, Duration.ofSeconds(5)));
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void send(String externalId) {
        sends.merge(externalId, 1, Integer::sum);
        long start = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/orders"))
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json").header("X-API-Key", IngestLoad.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(template.deepCopy().put("externalId", externalId).toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            attempts.add(new Attempt(externalId, start, System.nanoTime(), 0, false, e.toString()));
            resends.add(new Resend(externalId, Duration.ofSeconds(5)));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempts.add(new Attempt(externalId, start, System.nanoTime(), 0, false, "interrupted"));
            resends.add(new Resend(externalId, Duration.ofSeconds(5)));
            return;
        }
        long end = System.nanoTime();
        int status = r.statusCode();
        if (status == 201 || status == 200) {
            String orderId = orderId(r.body());
            acknowledged.put(externalId, orderId);
            attempts.add(new Attempt(externalId, start, end, status, orderId != null, null));
            return;
        }
        if (status == 503) {
            String retryAfter = r.headers().firstValue("Retry-After").orElse(null);
            boolean problem = r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    && problemStatus(r.body()) == 503;
            long seconds = retryAfter == null ? 5 : parseSeconds(retryAfter);
            attempts.add(new Attempt(externalId, start, end, status, retryAfter != null && seconds > 0 && problem,
                    "Retry-After " + retryAfter + ", " + abbreviate(r.body())));
            resends.add(new Resend(externalId, Duration.ofSeconds(Math.max(1, seconds))));
            return;
        }
        // anything else is a finding of the test; the order is not sent again (a channel would give up)
        attempts.add(new Attempt(externalId, start, end, status, false, abbreviate(r.body())));
    }

    private String orderId(String body) {
        try {
            JsonNode id = json.readTree(body).get("orderId");
            return id == null ? null : id.asText();
        } catch (IOException e) {
            return null;
        }
    }

    private int problemStatus(String body) {
        try {
            return json.readTree(body).path("status").asInt();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long parseSeconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    @Override
    public void close() throws InterruptedException {
        newOrders.set(false);
        clients.shutdown();
        if (!clients.awaitTermination(Math.max(60, requestTimeout.toSeconds() + 10), TimeUnit.SECONDS)) {
            clients.shutdownNow();
        }
    }

    private static final class Resend implements Delayed {
        final String externalId;
        final long dueNanos;

        Resend(String externalId, Duration after) {
            this.externalId = externalId;
            this.dueNanos = System.nanoTime() + after.toNanos();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
