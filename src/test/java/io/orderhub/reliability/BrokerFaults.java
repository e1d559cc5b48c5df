package io.orderhub.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * What the broker fault tests share: the hub's HTTP side with any key (health, metrics, ops), the broker's page
 * files under the data directory, channel messages for orders.inbound, and a ballast file that really takes disk
 * space (fallocate, else written out; never a sparse file) and is removed when closed.
 */
final class BrokerFaults {

    static final String OPS_KEY = HubProcess.OPS_KEY;
    static final String ADMIN_KEY = "demo-admin-key";
    static final String CHANNEL_KEY = IngestLoad.KEY;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private BrokerFaults() {
    }

    static HttpResponse<String> get(int port, String path, String key) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-API-Key", key)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String key, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-API-Key", key)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code broker} health component (status and details). */
    static JsonNode brokerHealth(int port) throws IOException, InterruptedException {
        return JSON.readTree(get(port, "/actuator/health", OPS_KEY).body()).at("/components/broker");
    }

    /** One sample of a Prometheus gauge without labels but the application's, or NaN. */
    static double gauge(int port, String name) throws IOException, InterruptedException {
        for (String line : get(port, "/actuator/prometheus", OPS_KEY).body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    static ObjectNode template() throws IOException {
        return (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
    }

    static String externalId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace('-', 'x');
    }

    static ActiveMQConnectionFactory factory(int brokerPort) {
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort + "?reconnectAttempts=0",
                HubProcess.BROKER_USER, HubProcess.BROKER_PASSWORD);
    }

    static TextMessage message(Session session, ObjectNode template, String externalId, Queue replyTo)
            throws jakarta.jms.JMSException {
        TextMessage m = session.createTextMessage(template.deepCopy().put("externalId", externalId).toString());
        m.setStringProperty("channel", "webshop");
        m.setJMSCorrelationID(externalId);
        m.setJMSReplyTo(replyTo);
        return m;
    }

    /** Orders the hub has under this externalId (channel webshop). */
    static List<String> ordersOf(int port, String externalId) throws IOException, InterruptedException {
        JsonNode page = JSON.readTree(get(port, "/api/orders?externalId=" + externalId, CHANNEL_KEY).body());
        List<String> ids = new ArrayList<>();
        for (JsonNode item : page.get("items")) {
            ids.add(item.get("orderId").asText());
        }
        return ids;
    }

    static long ordersIn(int port, String status) throws IOException, InterruptedException {
        return JSON.readTree(get(port, "/api/orders?status=" + status + "&size=1", OPS_KEY).body()).get("totalItems").asLong();
    }

    /** Page files (count, bytes) of one address under the broker's paging directory. */
    static long[] pageFiles(Path pagingDir, String address) throws IOException {
        long files = 0;
        long bytes = 0;
        if (!Files.isDirectory(pagingDir)) {
            return new long[] {0, 0};
        }
        try (Stream<Path> stores = Files.list(pagingDir)) {
            for (Path store : stores.filter(Files::isDirectory).toList()) {
                Path name = store.resolve("address.txt");
                if (!Files.exists(name) || !Files.readString(name, StandardCharsets.UTF_8).trim().equals(address)) {
                    continue;
                }
                try (Stream<Path> pages = Files.list(store)) {
                    for (Path page : pages.filter(p -> p.getFileName().toString().endsWith(".page")).toList()) {
                        files++;
                        bytes += Files.size(page);
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // a page removed while we looked: counted on the next look
        }
        return new long[] {files, bytes};
    }

    static long usableSpace(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /**
     * A file that really takes {@code bytes} of the disk under {@code dir} (fallocate; written out where fallocate is
     * missing), checked by the free space it took; {@link #close} removes it. Never larger than the caller allows.
     */
    static final class Ballast implements AutoCloseable {

        private final Path file;

        private Ballast(Path file) {
            this.file = file;
        }

        static Ballast place(Path dir, long bytes) throws IOException, InterruptedException {
            Path file = dir.resolve("ballast-" + UUID.randomUUID() + ".bin");
            Ballast ballast = new Ballast(file);
            try {
                long before = usableSpace(dir);
                if (!fallocate(file, bytes)) {
                    writeOut(file, bytes);
                }
                long taken = before - usableSpace(dir);
                if (taken < bytes / 2) {
                    throw new IllegalStateException("the ballast " + file + " took " + mib(taken) + " of the disk, not "
                            + mib(bytes) + " (a sparse file?)");
                }
                return ballast;
            } catch (IOException | InterruptedException | RuntimeException e) {
                ballast.close();
                throw e;
            }
        }

        private static boolean fallocate(Path file, long bytes) throws InterruptedException {
            try {
                Process p = new ProcessBuilder("fallocate", "-l", Long.toString(bytes), file.toString())
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                return false;
            }
        }

        private static void writeOut(Path file, long bytes) throws IOException {
            ByteBuffer zeros = ByteBuffer.allocate(8 << 20);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (long written = 0; written < bytes; ) {
                    zeros.clear();
                    zeros.limit((int) Math.min(zeros.capacity(), bytes - written));
                    written += ch.write(zeros);
                }
                ch.force(true);
            }
        }

        Path file() {
            return file;
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(file);
        }
    }
}
