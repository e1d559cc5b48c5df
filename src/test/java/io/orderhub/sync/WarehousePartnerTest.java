package io.orderhub.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.config.BrokerQueues;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A third outbound partner, a data-warehouse webhook, added with nothing but a route file (an instance of the
 * partnerEvents template) and a mapping file, in the directories the hub is pointed at with ORDERHUB_ROUTES_DIR and
 * ORDERHUB_MAPPINGS_DIR (copies of the packaged ones plus the two new files). The warehouse is the suite's WireMock
 * server: it gets its own queue on orders.events, only the event types it asked for, each event exactly once with
 * success although it answered 503 at first (retried in place), and an event it refuses with 400 becomes a dead
 * letter at once, as the ERP's would.
 */
@org.springframework.boot.test.context.SpringBootTest(webEnvironment = org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"orderhub.routes-dir=target/partner-test/routes", "orderhub.mappings-dir=target/partner-test/mappings"})
// a context of its own (other routes and mappings directories): closed after the class, or its hub would go on taking
// the events and partner calls of the next test classes (HubTestSupport refuses two live hubs)
@org.springframework.test.annotation.DirtiesContext
class WarehousePartnerTest extends HubTestSupport {

    /**
     * On PostgreSQL every context of the suite shares one database, and the suite's own hub stays alive (cached) while
     * this class runs: its relay would take this hub's outbox events. This hub gets a database of its own there, made
     * afresh on the suite's server ({@code <suite database>_warehouse}); on H2 each context has its own already.
     */
    @org.springframework.test.context.DynamicPropertySource
    static void aDatabaseOfItsOwnOnPostgres(org.springframework.test.context.DynamicPropertyRegistry registry)
            throws java.sql.SQLException {
        if (!System.getProperty("spring.profiles.active", "").contains("postgres")) {
            return;
        }
        String suiteUrl = System.getenv().getOrDefault("ORDERHUB_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("ORDERHUB_TEST_DB_USER", "postgres");
        String password = System.getenv().getOrDefault("ORDERHUB_TEST_DB_PASSWORD", "");
        int slash = suiteUrl.lastIndexOf('/');
        int query = suiteUrl.indexOf('?', slash);
        String suiteDb = query < 0 ? suiteUrl.substring(slash + 1) : suiteUrl.substring(slash + 1, query);
        String ownDb = suiteDb + "_warehouse";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(suiteUrl, user, password);
             java.sql.Statement st = c.createStatement()) {
            st.execute("drop database if exists " + ownDb + " with (force)");
            st.execute("create database " + ownDb);
        }
        String ownUrl = suiteUrl.substring(0, slash + 1) + ownDb + (query < 0 ? "" : suiteUrl.substring(query));
        registry.add("spring.datasource.url", () -> ownUrl);
    }

    static final Path DIR = Path.of("target", "partner-test");

    static final String ROUTE = """
            # the data warehouse: order facts for each order created or cancelled
            - templatedRoute:
                routeTemplateRef: partnerEvents
                routeId: syncWarehouse
                prefixId: warehouse-
                parameters:
                  - { name: name, value: warehouse }
                  - { name: queue, value: warehouse.sync }
                  - { name: eventTypes, value: "order.created,order.cancelled" }
                  - { name: mapping, value: warehouse/order-facts.jsonata }
                  - { name: endpoint, value: "http://localhost:{{orderhub.test.wiremock.port}}/warehouse" }
                  - { name: authorization, value: "Bearer dwh-test" }
                  - { name: breakerWaitSeconds, value: "1" }
            """;

    static final String MAPPING = """
            /* the warehouse's order facts: one POST per event */
            {
              "method": "POST",
              "path": "/order-facts",
              "body": {
                "eventId": eventId,
                "orderId": orderId,
                "event": type,
                "status": status,
                "at": at,
                "channel": data.order.channel,
                "externalId": data.order.externalId,
                "total": data.order.totals.grandTotal,
                "currency": data.order.currency
              }
            }
            """;

    static {
        Path routes = DIR.resolve("routes");
        Path mappings = DIR.resolve("mappings");
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> old = Files.walk(DIR)) {
                    for (Path f : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            copy(Path.of("routes"), routes);
            copy(Path.of("mappings"), mappings);
            Files.writeString(routes.resolve("warehouse-sync.camel.yaml"), ROUTE);
            Files.createDirectories(mappings.resolve("warehouse"));
            Files.writeString(mappings.resolve("warehouse/order-facts.jsonata"), MAPPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    BrokerQueues queues;
    @Autowired
    org.apache.camel.CamelContext camel;

    private final List<StubMapping> stubs = new ArrayList<>();

    @AfterEach
    void removeStubs() {
        stubs.forEach(SyncTargetsServer.server()::removeStub);
    }

    @Test
    void theWarehouseGetsItsOwnQueueAndEachOfItsEventsOnceAfterA503() {
        org.apache.camel.Route route = camel.getRoute("syncWarehouse");
        assertThat(route).as("routes: " + camel.getRoutes().stream().map(org.apache.camel.Route::getRouteId).sorted().toList()).isNotNull();
        assertThat(route.getEndpoint().getEndpointUri()).contains("warehouse.sync");
        assertThat(queues.subscriptions()).anySatisfy(s -> {
            assertThat(s.queue()).isEqualTo("warehouse.sync");
            assertThat(s.filter()).isEqualTo("eventType IN ('order.created', 'order.cancelled')");
        });
        StubMapping down = SyncTargetsServer.server().stubFor(any(urlPathMatching("/warehouse/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("loading")));
        stubs.add(down);

        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        assertThat(postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, "{\"reason\":\"warehouse test\"}").status())
                .isEqualTo(200);
        // the warehouse refused at least one call of this order meanwhile, and nothing is recorded yet
        await().atMost(Duration.ofSeconds(30)).until(() -> requestsOf(orderId).size() > 1);
        assertThat(processed(orderId)).isEmpty();

        SyncTargetsServer.server().removeStub(down);
        await().atMost(Duration.ofSeconds(60)).until(() -> processed(orderId).size() == 2);

        List<ServeEvent> accepted = requestsOf(orderId).stream().filter(e -> e.getResponse().getStatus() == 200).toList();
        assertThat(accepted).hasSize(2);
        Map<String, Long> perKey = accepted.stream().collect(Collectors.groupingBy(
                e -> e.getRequest().getHeader("Idempotency-Key"), Collectors.counting()));
        assertThat(perKey).hasSize(2).allSatisfy((key, n) -> assertThat(n).isEqualTo(1L));
        assertThat(accepted).allSatisfy(e -> {
            assertThat(e.getRequest().getMethod().value()).isEqualTo("POST");
            assertThat(e.getRequest().getUrl()).isEqualTo("/warehouse/order-facts");
            assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer dwh-test");
            assertThat(e.getRequest().getHeader("Content-Type")).startsWith("application/json");
            // none of the JMS message's properties leak to the partner
            assertThat(e.getRequest().getAllHeaderKeys()).doesNotContain("eventType", "JMSXGroupID", "orderId");
        });
        List<String> events = accepted.stream().map(e -> body(e).get("event").asText()).sorted().toList();
        assertThat(events).containsExactly("order.cancelled", "order.created");
        assertThat(processed(orderId)).containsOnly("DELIVERED");
        assertThat(jdbc.queryForObject("select count(*) from sync_dead_letters where target = 'warehouse' and order_id = ?",
                Integer.class, orderId)).isZero();
        assertThat(jdbc.queryForObject("select last_status from sync_state where target = 'warehouse' and order_id = ?",
                String.class, orderId)).isEqualTo("CANCELLED");
    }

    @Test
    void anEventTheWarehouseRefusesWith400IsADeadLetterAtOnce() {
        String marker = "DWH-" + UUID.randomUUID().toString().replace('-', 'x');
        stubs.add(SyncTargetsServer.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/warehouse/order-facts")).atPriority(1)
                .withRequestBody(containing(marker))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown channel\"}"))));
        ObjectNode order = order();
        order.put("externalId", marker);
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order).body().get("orderId").asText();

        Map<String, Object> letter = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "select * from sync_dead_letters where target = 'warehouse' and order_id = ?", orderId),
                l -> !l.isEmpty()).get(0);
        assertThat(value(letter, "event_type")).isEqualTo("order.created");
        assertThat(((Number) value(letter, "http_status")).intValue()).isEqualTo(400);
        assertThat(((Number) value(letter, "attempts")).intValue()).isEqualTo(1);
        assertThat((String) value(letter, "reason")).contains("warehouse answered 400").contains("unknown channel");
        assertThat(SyncTargetsServer.server().findAll(postRequestedFor(urlPathEqualTo("/warehouse/order-facts"))
                .withRequestBody(containing(marker)))).hasSize(1);
        assertThat(processed(orderId)).containsExactly("DEAD_LETTER");

        // the warehouse takes it once its data is fixed: the operations API replays the letter through the mapping
        stubs.forEach(SyncTargetsServer.server()::removeStub);
        stubs.clear();
        long id = ((Number) value(letter, "id")).longValue();
        Response replayed = postJson("/api/ops/dead-letters/" + id + "/replay", OPS_KEY, "{}");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.body().get("status").asText()).isEqualTo("REPLAYED");
        List<ServeEvent> calls = requestsOf(orderId);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).getResponse().getStatus()).isEqualTo(200);
        assertThat(calls.get(0).getRequest().getHeader("Authorization")).isEqualTo("Bearer dwh-test");
        assertThat(jdbc.queryForObject("select last_status from sync_state where target = 'warehouse' and order_id = ?",
                String.class, orderId)).isEqualTo("CREATED");
    }

    private List<ServeEvent> requestsOf(String orderId) {
        return SyncTargetsServer.server().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/warehouse/"))
                .filter(e -> e.getRequest().getBodyAsString().contains("\"" + orderId + "\""))
                .toList();
    }

    private List<String> processed(String orderId) {
        return jdbc.queryForList("select outcome from sync_processed_events where target = 'warehouse' and order_id = ?",
                String.class, orderId);
    }

    private JsonNode body(ServeEvent e) {
        try {
            return json.readTree(e.getRequest().getBodyAsString());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static Object value(Map<String, Object> row, String column) {
        return row.containsKey(column) ? row.get(column) : row.get(column.toUpperCase(java.util.Locale.ROOT));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
