package io.orderhub.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The partner clients' HTTP on the wire, against a plain HTTP/1.1 server: what is sent, every status answered,
 * connections kept and reused, and which failures are timeouts.
 */
class PartnerHttpTest {

    HttpServer server;
    ExecutorService handlers;
    PartnerHttp http;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    record Seen(String method, String path, Headers headers, String body, int clientPort) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        handlers = Executors.newFixedThreadPool(4);
        server.setExecutor(handlers);
        server.createContext("/", this::answer);
        server.start();
        http = new PartnerHttp(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        release.countDown();
        http.close();
        server.stop(0);
        handlers.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                body, exchange.getRemoteAddress().getPort()));
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/slow")) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int status = path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
        byte[] out = ("{\"answer\":\"" + path + " \u00e9t\u00e9\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void sendsTheMethodHeadersAndBodyAsGivenAndNoUpgradeOrCompression() throws IOException {
        PartnerHttp.Answer answer = http.send("POST", uri("/v1/payment_intents"), Duration.ofSeconds(2),
                Map.of("Authorization", "Bearer sk_test", "Idempotency-Key", "charge-ORD-1-1",
                        "Content-Type", "application/x-www-form-urlencoded"), "amount=5119&currency=eur&note=%C3%A9");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"answer\":\"/v1/payment_intents \u00e9t\u00e9\"}");
        Seen request = seen.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo("amount=5119&currency=eur&note=%C3%A9");
        assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer sk_test");
        assertThat(request.headers().getFirst("Idempotency-Key")).isEqualTo("charge-ORD-1-1");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        // no HTTP/2 upgrade on every request (the JDK client's default), no compressed answers asked for
        assertThat(request.headers()).doesNotContainKeys("Upgrade", "Http2-settings", "Accept-encoding");
    }

    @Test
    void aGetHasNoBodyAndEveryStatusIsAnAnswerNotAnError() throws IOException {
        for (int status : new int[] {404, 409, 429, 503}) {
            PartnerHttp.Answer answer = http.send("GET", uri("/status/" + status), Duration.ofSeconds(2),
                    Map.of("Accept", "application/json"), null);
            assertThat(answer.statusCode()).isEqualTo(status);
            assertThat(answer.body()).contains("/status/" + status);
        }
        assertThat(seen).extracting(Seen::method).containsOnly("GET");
        assertThat(seen).extracting(Seen::body).containsOnly("");
        assertThat(seen.get(0).headers()).doesNotContainKeys("Upgrade", "Accept-encoding");
    }

    @Test
    void callsOneAfterTheOtherGoOverOneKeptConnection() throws IOException {
        for (int i = 0; i < 5; i++) {
            http.send("POST", uri("/v2/shipments"), Duration.ofSeconds(2), Map.of("Content-Type", "application/json"),
                    "{\"n\":" + i + "}");
        }
        assertThat(seen).hasSize(5);
        assertThat(seen.stream().map(Seen::clientPort).distinct()).as("client ports of the five calls").hasSize(1);
    }

    @Test
    void anAnswerLaterThanTheTimeoutIsTimedOut() {
        assertThatThrownBy(() -> http.send("POST", uri("/slow"), Duration.ofMillis(300),
                Map.of("Content-Type", "application/json"), "{}"))
                .isInstanceOf(PartnerHttp.TimedOut.class)
                .hasMessageContaining("no answer from 127.0.0.1:" + server.getAddress().getPort() + " within 300 ms");
    }

    @Test
    void aPartnerNobodyListensOnIsUnreachableNotTimedOut() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + closed + "/v1/payment_intents");
        assertThatThrownBy(() -> http.send("POST", nobody, Duration.ofSeconds(2), Map.of(), "x"))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(PartnerHttp.TimedOut.class);
    }
}
