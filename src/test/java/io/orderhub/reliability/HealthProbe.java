package io.orderhub.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks one actuator health endpoint of the hub every second, as a load balancer or an orchestrator's probe
 * would, and keeps every answer (when it was asked, when it came, the status code; 0: no answer).
 */
final class HealthProbe implements AutoCloseable {

    record Answer(long askedNanos, long answeredNanos, int status) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final URI uri;

    HealthProbe(int port, String path) {
        this.uri = URI.create("http://localhost:" + port + path);
        timer.scheduleWithFixedDelay(this::ask, 0, 1, TimeUnit.SECONDS);
    }

    private void ask() {
        long asked = System.nanoTime();
        int status;
        try {
            status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        answers.add(new Answer(asked, System.nanoTime(), status));
    }

    /** Answers to probes asked in [fromNanos, toNanos). */
    List<Answer> askedBetween(long fromNanos, long toNanos) {
        List<Answer> list = new ArrayList<>();
        for (Answer a : answers) {
            if (a.askedNanos() >= fromNanos && a.askedNanos() < toNanos) {
                list.add(a);
            }
        }
        return list;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
