package io.orderhub.bench.load;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub started by the benchmark as a separate JVM: the embedded default profile (demo keys, sandboxes,
 * embedded Artemis with its persistent journal in a scratch data directory) with the datasource pointed
 * at a scratch PostgreSQL database, the API rate limit lifted, and the sandbox timers shortened so an
 * order goes from CREATED to COMPLETED in seconds. Everything it is started with is in {@link #settings()}.
 */
final class HubJvm implements AutoCloseable {

    private final Path dataDir;
    private final Path log;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final int port;
    private final int brokerPort;
    private final int smtpPort;
    private final int imapPort;
    private Process process;
    private long startupMillis;
    private Double startedInSeconds;

    HubJvm(Path dataDir, Path log, String dbUrl, String dbUser, String dbPassword, String heap, int poolSize) throws IOException {
        this.dataDir = dataDir;
        this.log = log;
        try (ServerSocket s = new ServerSocket(0); ServerSocket b = new ServerSocket(0); ServerSocket smtp = new ServerSocket(0);
             ServerSocket imap = new ServerSocket(0)) {
            this.port = s.getLocalPort();
            this.brokerPort = b.getLocalPort();
            this.smtpPort = smtp.getLocalPort();
            this.imapPort = imap.getLocalPort();
        }
        jvmOptions.add("-Xms" + heap);
        jvmOptions.add("-Xmx" + heap);
        jvmOptions.add("-XX:+UseG1GC");
        // per-order log lines of the held ingest orders would be a cost of the benchmark, not of the hub
        jvmOptions.add("-Dlogging.level.io.orderhub.inventory.ReservationService=WARN");
        env.put("ORDERHUB_DATA_DIR", dataDir.toString());
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("ORDERHUB_BROKER_PORT", Integer.toString(brokerPort));
        env.put("ORDERHUB_DB_URL", dbUrl);
        env.put("ORDERHUB_DB_USER", dbUser);
        env.put("ORDERHUB_DB_PASSWORD", dbPassword);
        env.put("ORDERHUB_DB_POOL_SIZE", Integer.toString(poolSize));
        // the sandbox mail server of the embedded default, on free ports: customers' mails are sent (over SMTP to
        // the in-hub GreenMail) as a new user's hub sends them, and the orders mailbox is polled
        env.put("ORDERHUB_SANDBOX_MAIL_SMTP_PORT", Integer.toString(smtpPort));
        env.put("ORDERHUB_SANDBOX_MAIL_IMAP_PORT", Integer.toString(imapPort));
        // the benchmark is the only client; the per-key limit (1000/s) would cap the maximum-rate runs
        env.put("ORDERHUB_API_RATE_LIMIT_PER_SECOND", "1000000");
        env.put("ORDERHUB_API_RATE_LIMIT_BURST", "1000000");
        env.put("ORDERHUB_SECURITY_AUTH_FAILURES_EXEMPT_SOURCES", "127.0.0.1,0:0:0:0:0:0:0:1");
        // ingest orders name SKUs that are not in the catalogue and stay CREATED (ingest = "to CREATED");
        // lifecycle orders name catalogue SKUs with stock and go on to COMPLETED
        env.put("ORDERHUB_INVENTORY_UNKNOWN_SKU", "hold");
        // the sandboxes: short steps so the lifecycle takes seconds, not minutes
        env.put("ORDERHUB_SANDBOX_CARRIER_STEP", "500ms");
        env.put("ORDERHUB_SANDBOX_CARRIER_TICK", "200ms");
        env.put("ORDERHUB_SANDBOX_WAREHOUSE_TICK", "200ms");
        env.put("ORDERHUB_SANDBOX_WAREHOUSE_PACK_DELAY", "0s");
        env.put("ORDERHUB_SHIPPING_DISPATCH_INTERVAL_MS", "200");
        env.put("ORDERHUB_SHIPPING_COMPLETION_INTERVAL_MS", "500");
    }

    /**
     * This hub talks to the sandboxes of {@code sandboxes} (payment gateways, carrier, ERP, CRM, mail server) instead
     * of its own, which are off: the benchmark counts the hub's CPU alone (issue 17). The warehouse packer stays
     * here, since it packs this hub's shipments.
     */
    void useSandboxesOf(HubJvm sandboxes) {
        String base = sandboxes.url();
        env.put("ORDERHUB_SANDBOX_ENABLED", "false");
        env.put("ORDERHUB_SANDBOX_MAIL_ENABLED", "false");
        env.put("ORDERHUB_MAIL_ENABLED", "true");
        env.put("ORDERHUB_MAIL_SMTP_HOST", "127.0.0.1");
        env.put("ORDERHUB_MAIL_SMTP_PORT", Integer.toString(sandboxes.smtpPort));
        env.put("ORDERHUB_MAIL_IMAP_HOST", "127.0.0.1");
        env.put("ORDERHUB_MAIL_IMAP_PORT", Integer.toString(sandboxes.imapPort));
        env.put("ORDERHUB_PAYMENT_GATEWAYS_STRIPE_BASE_URL", base + "/sandbox/payment/stripe");
        env.put("ORDERHUB_PAYMENT_GATEWAYS_ADYEN_BASE_URL", base + "/sandbox/payment/adyen");
        env.put("ORDERHUB_SYNC_ERP_BASE_URL", base + "/sandbox/erp");
        env.put("ORDERHUB_SYNC_CRM_BASE_URL", base + "/sandbox/crm");
        env.put("ORDERHUB_SHIPPING_ACCOUNTS_EASYPOST_BASE_URL", base + "/sandbox/carrier");
    }

    /**
     * This JVM serves only as the sandboxes of {@code hub}: the carrier's tracking webhooks go to that hub, and
     * nothing of its own is packed or read from its mailbox (it takes no orders).
     */
    void serveSandboxesFor(HubJvm hub) {
        env.put("ORDERHUB_SANDBOX_CARRIER_WEBHOOK_URL", hub.url() + "/api/webhooks/carriers/easypost");
        env.put("ORDERHUB_SANDBOX_WAREHOUSE_AUTO_PACK", "false");
        env.put("ORDERHUB_MAIL_ENABLED", "false");
    }

    Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", "embedded default (no profile) with the datasource on PostgreSQL");
        m.put("jvmOptions", jvmOptions);
        Map<String, String> shown = new LinkedHashMap<>(env);
        shown.put("ORDERHUB_DATA_DIR", "<scratch directory>");
        shown.put("SERVER_PORT", "<free port>");
        shown.put("ORDERHUB_BROKER_PORT", "<free port>");
        shown.put("ORDERHUB_SANDBOX_MAIL_SMTP_PORT", "<free port>");
        shown.put("ORDERHUB_SANDBOX_MAIL_IMAP_PORT", "<free port>");
        shown.replaceAll((k, v) -> v.matches("http://127\\.0\\.0\\.1:[0-9]+(/.*)?") ? v.replaceFirst(":[0-9]+", ":<port>") : v);
        if (shown.containsKey("ORDERHUB_MAIL_SMTP_PORT")) {
            shown.put("ORDERHUB_MAIL_SMTP_PORT", "<the sandbox JVM's>");
            shown.put("ORDERHUB_MAIL_IMAP_PORT", "<the sandbox JVM's>");
        }
        m.put("environment", shown);
        return m;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int brokerPort() {
        return brokerPort;
    }

    long pid() {
        return process.pid();
    }

    long startupMillis() {
        return startupMillis;
    }

    Double startedInSeconds() {
        return startedInSeconds;
    }

    void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add("io.orderhub.OrderHubApplication");
        Files.createDirectories(dataDir);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().remove("SPRING_PROFILES_ACTIVE");
        long t0 = System.nanoTime();
        process = pb.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(240);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the hub did not become healthy within 240 s; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Matcher m = Pattern.compile("Started OrderHubApplication in ([0-9.]+) seconds").matcher(Files.readString(log));
        startedInSeconds = m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    /** The hub's class path: its compiled classes and runtime dependencies (written by the -Pbench build). */
    private static String classPath() throws IOException {
        Path classes = Path.of("target", "bench", "classes").toAbsolutePath();
        Path deps = Path.of("target", "bench", "hub.classpath");
        if (!Files.exists(deps)) {
            throw new IllegalStateException(deps + " is missing: build with ./mvnw -Pbench test-compile (bench/load.sh does)");
        }
        return classes + File.pathSeparator + Files.readString(deps).trim();
    }

    /**
     * Starts the hub with a JFR recording of CPU samples (bench/cpu-samples.jfc) from its first moment (in memory,
     * dropped once it is up: {@link #dropJfr}), so that JFR's instrumentation of the JDK happens before the hub warms
     * up rather than when a measured recording starts ({@link #startJfr}).
     */
    void recordFromStart() {
        jvmOptions.add("-XX:StartFlightRecording=name=startup,disk=false,maxage=30s,settings="
                + Path.of("bench", "cpu-samples.jfc").toAbsolutePath());
    }

    /**
     * Starts a JFR recording in the hub: {@code settings} profile or default are JFR's own, cpu is
     * bench/cpu-samples.jfc (execution and allocation samples only, at little cost to the hub).
     */
    void startJfr(String name, String settings) throws IOException, InterruptedException {
        String file = settings.equals("cpu") ? Path.of("bench", "cpu-samples.jfc").toAbsolutePath().toString() : settings;
        jcmd("JFR.start", "name=" + name, "settings=" + file);
    }

    /** Stops the recording and drops what it recorded (JFR stays set up in the hub). */
    void dropJfr(String name) throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=" + name);
    }

    /** Stops the recording and writes it to {@code file}. */
    void stopJfr(String name, Path file) throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
    }

    private void jcmd(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        cmd.add(Files.exists(jcmd) ? jcmd.toString() : "jcmd");
        cmd.add(Long.toString(pid()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", args) + " failed: " + out);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }
}
