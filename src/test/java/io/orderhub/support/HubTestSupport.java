package io.orderhub.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Base of every test that needs the running hub. All of them share exactly one Spring context
 * (same annotations, no per-class properties or mock beans), so one hub with one database and one
 * embedded broker serves the whole suite, on H2 or, with -Ppostgres, on PostgreSQL. Tests make
 * their data unique (externalIds with a UUID) instead of cleaning up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
public abstract class HubTestSupport {

    public static final String WEBSHOP_KEY = "test-webshop-secret";
    public static final String B2B_KEY = "test-b2b-secret";
    /** The key of test channel b2b-jms (b2b with its partner documents on the queue orders.outbound, TestMappings). */
    public static final String B2B_JMS_KEY = "test-b2b-jms-secret";
    public static final String OPS_KEY = "test-ops-secret";
    public static final String ADMIN_KEY = "test-admin-secret";

    protected static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The hub under test reads its mappings from this copy (application-test.yaml), so tests may edit them. */
    public static final Path MAPPINGS = Path.of("target", "test-mappings");

    static {
        TestMappings.copyOnce(Path.of("mappings"), MAPPINGS);
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected ObjectMapper json;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected io.orderhub.crypto.DataCipher cipher;

    /**
     * On PostgreSQL every hub of the JVM shares the suite's database: a test class with a context of its own must close
     * it after the class ({@code @DirtiesContext}), or its hub keeps taking the events, mails and partner calls of the
     * tests that follow (seen as mails and partner documents that never arrived and ERP calls out of order).
     */
    private static Boolean onPostgresDatabase;
    @org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}")
    private String databaseUrl;

    @org.junit.jupiter.api.BeforeEach
    void oneHubOnTheSharedDatabase() {
        if (onPostgresDatabase == null) {
            onPostgresDatabase = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName())
                    .startsWith("PostgreSQL");
        }
        if (LiveHubs.alive() == 0) {
            throw new IllegalStateException("LiveHubs is not a bean of the hub under test: the check below would not see a second hub");
        }
        if (onPostgresDatabase && LiveHubs.aliveOn(databaseUrl) > 1) {
            throw new IllegalStateException(LiveHubs.aliveOn(databaseUrl) + " hubs are alive on the suite's PostgreSQL database: "
                    + "a test class with a context of its own left it open (add @DirtiesContext to it)");
        }
    }

    /** The example order of the README's tour with a fresh externalId. */
    protected ObjectNode order() {
        try {
            ObjectNode order = (ObjectNode) json.readTree(Files.readAllBytes(Path.of("examples", "order-canonical.json")));
            // no dashes: digit runs of a UUID joined by dashes can look like a card number to the validator
            order.put("externalId", "T-" + UUID.randomUUID().toString().replace('-', 'x'));
            return order;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected Response post(String path, String key, String contentType, byte[] body) {
        HttpRequest.Builder b = request(path, key).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build(), body);
    }

    protected Response postJson(String path, String key, Object body) {
        try {
            byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : json.writeValueAsBytes(body);
            return post(path, key, "application/json", bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected Response get(String path, String key) {
        return send(request(path, key).GET().build(), null);
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return b;
    }

    /**
     * Sends a request to the hub and checks the exchange against the API contract ({@link ApiContract}): every REST
     * test's requests and answers are validated by the OpenAPI document. {@code body} is what the request carries.
     */
    protected Response send(HttpRequest request, byte[] body) {
        try {
            HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            assertConforms(request, body, r);
            return new Response(r.statusCode(), r, r.body(), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails when the exchange departs from the API contract (see {@link ApiContract}). */
    public static void assertConforms(HttpRequest request, byte[] body, HttpResponse<byte[]> r) {
        java.util.List<String> problems = ApiContract.shared().check(request.method(), request.uri(),
                request.headers().firstValue("Content-Type").orElse(null), body, r.statusCode(),
                r.headers().firstValue("Content-Type").orElse(null), r.body());
        if (!problems.isEmpty()) {
            throw new AssertionError("the exchange departs from the API contract (src/main/resources/openapi):\n  "
                    + String.join("\n  ", problems) + "\n  answer: " + new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    /** An HTTP answer with its body as JSON. */
    /** The order's outbox events of this type as JSON text (decrypted: the outbox is encrypted at rest), newest first. */
    protected java.util.List<String> outboxPayloads(String orderId, String type) {
        return jdbc.queryForList("select payload from outbox where order_id = ? and type = ? order by id desc",
                String.class, orderId, type).stream().map(cipher::openText).toList();
    }

    /** The order's latest outbox event of this type as JSON text (decrypted). */
    protected String outboxPayload(String orderId, String type) {
        java.util.List<String> all = outboxPayloads(orderId, type);
        org.assertj.core.api.Assertions.assertThat(all).as("outbox events " + type + " of " + orderId).isNotEmpty();
        return all.get(0);
    }

    public record Response(int status, HttpResponse<byte[]> raw, byte[] bytes, ObjectMapper json) {

        public JsonNode body() {
            try {
                return json.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }
}
