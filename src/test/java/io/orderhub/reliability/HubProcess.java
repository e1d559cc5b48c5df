package io.orderhub.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * The hub as a separate JVM (the test's own classpath, the embedded default profile), so a test can
 * kill it with SIGKILL and start it again on the same data directory.
 */
final class HubProcess implements AutoCloseable {

    /** The embedded default's demo operator key. */
    static final String OPS_KEY = "demo-ops-key";
    /** The embedded default's own broker user (application-default.yaml): the broker takes no anonymous clients. */
    static final String BROKER_USER = "orderhub";
    static final String BROKER_PASSWORD = "demo-hub-broker-key";

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final int smtpPort;
    private final int imapPort;
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private Process process;

    HubProcess(Path dataDir, Path log) throws IOException {
        this.dataDir = dataDir;
        this.log = log;
        // free ports, so a hub or mail server already running on this machine does not get in the way
        try (ServerSocket s = new ServerSocket(0); ServerSocket smtp = new ServerSocket(0);
             ServerSocket imap = new ServerSocket(0)) {
            this.port = s.getLocalPort();
            this.smtpPort = smtp.getLocalPort();
            this.imapPort = imap.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** An environment variable for the next {@link #start} (and the ones after, until removed). */
    HubProcess env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    /** The embedded broker's TCP acceptor on a free port (off by default), for JMS clients of the test. */
    int openBrokerPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            env("ORDERHUB_BROKER_PORT", Integer.toString(s.getLocalPort()));
            return s.getLocalPort();
        }
    }

    /** Waits for the process to end by itself (a halt injected by a test hook); its exit code. */
    int awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the hub did not exit within " + timeoutSeconds + " s; see " + log);
        }
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    void start() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        // surefire runs tests through a manifest-only jar; the real class path is in this property. An
        // empty element would put the working directory (with the source routes/) on the class path.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        command.add(java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator)).filter(e -> !e.isBlank())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
        command.add("io.orderhub.OrderHubApplication");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("ORDERHUB_DATA_DIR", dataDir.toString());
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        pb.environment().put("ORDERHUB_BROKER_PORT", "-1");
        pb.environment().put("ORDERHUB_SANDBOX_SMTP_PORT", Integer.toString(smtpPort));
        pb.environment().put("ORDERHUB_SANDBOX_IMAP_PORT", Integer.toString(imapPort));
        pb.environment().remove("SPRING_PROFILES_ACTIVE");
        // every instance of a test shares the suite's key ring (one of their own each could not read the others' rows)
        pb.environment().put("ORDERHUB_CRYPTO_KEYRING_FILE", java.nio.file.Path.of("src", "test", "resources", "test-keyring.properties")
                .toAbsolutePath().toString());
        // load from one client address: the per-key rate limit lifted, the client's own 401s never block it
        pb.environment().put("ORDERHUB_API_RATE_LIMIT_PER_SECOND", "1000000");
        pb.environment().put("ORDERHUB_API_RATE_LIMIT_BURST", "1000000");
        pb.environment().put("ORDERHUB_AUTH_FAILURES_EXEMPT_SOURCES", "127.0.0.1,0:0:0:0:0:0:0:1");
        pb.environment().putAll(env);
        process = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(Long.getLong("orderhub.reliability.start-seconds", 300)))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().contains("\"UP\"");
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * Waits until the hub is ready for traffic ({@code /actuator/health/readiness} 200: after the start-up runners,
     * such as the demo catalogue, have run; {@link #start} returns at the first UP of {@code /actuator/health}).
     */
    void awaitReady(long timeoutSeconds) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(timeoutSeconds)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * Plenty of stock (a million units in eu-central) for the example order's SKUs, so that no order waits for
     * stock or is cancelled for want of it. Waits for the demo catalogue first, which is written just after the
     * start and would otherwise meet the update half way.
     */
    void stockExampleOrder() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (String sku : List.of("MUG-BLUE", "TEE-M")) {
            URI uri = URI.create("http://localhost:" + port + "/api/inventory/" + sku);
            await("the demo catalogue has " + sku).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("X-API-Key", OPS_KEY).build(),
                                HttpResponse.BodyHandlers.ofString());
                        return r.statusCode() == 200 && r.body().contains("\"us-east\"") && r.body().contains("\"eu-central\"");
                    });
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("X-API-Key", OPS_KEY)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"warehouse\":\"eu-central\",\"onHand\":1000000}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("stock of " + sku + " not set: " + r.statusCode() + " " + r.body());
            }
        }
    }

    /** SIGTERM, then waits for the exit; returns the exit code (fails if the hub does not stop in time). */
    int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the hub did not stop within " + timeoutSeconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing graceful. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
