package io.orderhub.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partner systems that are slow, fail or drop connections: the payment gateway, the carrier, the ERP and
 * the CRM are the hub's own sandboxes (real wire protocols), reached through a WireMock proxy that, while
 * the faults are on, resets a quarter of the connections, answers past the client's timeout after passing
 * the request on (the partner acted, the hub never heard), answers 503, or is merely slow. Orders flow the
 * whole time; then the partners recover. Every order must reach COMPLETED with exactly one charge, one label,
 * one ERP sales order and invoice, one CRM update per status and one customer mail of each kind, retries
 * must have carried the same idempotency key, and nothing may be left as a dead letter.
 */
@Tag("reliability")
class OutboundFaultsTest {

    static final int ORDERS = Integer.getInteger("orderhub.reliability.outbound-orders", 40);
    /** Faults injected into each partner's traffic before the partners recover. */
    static final int FAULTS_PER_PARTNER = Integer.getInteger("orderhub.reliability.outbound-faults", 12);
    static final String CUSTOMER = "erika@example.com";
    /** The hub's client timeouts in this test; a "lost answer" comes after it, a "slow" one before it. */
    static final int TIMEOUT_MS = 2000;

    @TempDir
    Path dir;

    @Test
    void partnersFailingForAWhileGiveOneChargeOneLabelOneRecordPerOrderAndTheBacklogDrains() throws Exception {
        Path log = Path.of("target", "reliability", "outbound-faults-hub.log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Chaos chaos = new Chaos(4711);
        WireMockServer proxy = new WireMockServer(options().dynamicPort().extensions(chaos));
        proxy.start();
        try (TestMailServer mail = new TestMailServer(); HubProcess hub = new HubProcess(dir.resolve("data"), log)) {
            Map<String, String> partners = Map.of("/stripe", "/sandbox/payment/stripe", "/carrier", "/sandbox/carrier",
                    "/erp", "/sandbox/erp", "/crm", "/sandbox/crm");
            partners.forEach((prefix, target) -> proxy.stubFor(any(urlPathMatching(prefix + "/.*")).willReturn(aResponse()
                    .proxiedFrom("http://localhost:" + hub.port() + target).withProxyUrlPrefixToRemove(prefix))));
            String via = "http://localhost:" + proxy.port();
            mail.hubEnvironment().forEach(hub::env);
            KillDuringIngestTest.lifecycleQuickly(hub);
            hub.env("ORDERHUB_STRIPE_BASE_URL", via + "/stripe").env("ORDERHUB_CARRIER_BASE_URL", via + "/carrier")
                    .env("ORDERHUB_ERP_BASE_URL", via + "/erp").env("ORDERHUB_CRM_BASE_URL", via + "/crm")
                    .env("ORDERHUB_PAYMENT_REQUEST_TIMEOUT", TIMEOUT_MS + "ms")
                    .env("ORDERHUB_CARRIER_REQUEST_TIMEOUT", "PT" + TIMEOUT_MS / 1000 + "S")
                    .env("ORDERHUB_SYNC_REQUEST_TIMEOUT_MS", Integer.toString(TIMEOUT_MS))
                    // recovery is seen within seconds: short breaker, pending-payment and backoff intervals (the ERP's
                    // and CRM's breakers too: at their default 30 s open, a breaker that opened just before the recovery
                    // holds the partner's whole backlog back for half a minute after it)
                    .env("ORDERHUB_PAYMENT_BREAKER_OPEN_FOR", "5s")
                    .env("ORDERHUB_SYNC_ERP_BREAKER_WAIT_SECONDS", "5")
                    .env("ORDERHUB_SYNC_CRM_BREAKER_WAIT_SECONDS", "5")
                    .env("ORDERHUB_PAYMENT_PENDING_RETRY_AFTER", "5s")
                    .env("ORDERHUB_PAYMENT_PENDING_RETRY_INTERVAL_MS", "2000")
                    .env("ORDERHUB_SYNC_RETRY_MAX_DELAY_MS", "5000");
            hub.start();
            hub.stockExampleOrder();

            chaos.on = true;
            IngestLoad rest = new IngestLoad(hub.port(), 2, ORDERS);
            assertThat(rest.awaitAcknowledged(300)).as("orders accepted while the partners fail").isTrue();
            rest.close();
            // the faults go on until every partner has had its share of them
            await().atMost(Duration.ofMinutes(4)).until(() -> partners.keySet().stream()
                    .allMatch(p -> chaos.faults(p) >= FAULTS_PER_PARTNER));
            chaos.on = false;
            long recovered = System.nanoTime();

            Downstream downstream = new Downstream(hub.port());
            boolean settled = KillDuringIngestTest.settles(Duration.ofMinutes(5), () -> {
                Map<String, String> all = downstream.orders();
                return all.values().stream().allMatch("COMPLETED"::equals)
                        && Downstream.customerMailsComplete(all.keySet(), mail, CUSTOMER)
                        // the ERP's invoice (sent on SHIPPED) follows the order asynchronously, and a partner that
                        // was failing drains its backlog behind the order's own stages: wait for every effect too (a
                        // doubled one never settles and is reported below after the wait)
                        && downstream.completedOrders(all.keySet(), mail, CUSTOMER).problems().isEmpty();
            });
            double drainSeconds = (System.nanoTime() - recovered) / 1e9;
            Map<String, String> orders = downstream.orders();
            int[] counts = rest.lostAndDuplicated(hub.port());
            long notCompleted = orders.values().stream().filter(s -> !"COMPLETED".equals(s)).count();
            Downstream.Tally tally = downstream.completedOrders(orders.keySet(), mail, CUSTOMER);
            int deadLetters = downstream.get("/api/ops/dead-letters?status=OPEN").size();
            int sameKeyRetries = retriedWithTheSameKey(proxy.findAll(com.github.tomakehurst.wiremock.client.WireMock
                    .postRequestedFor(urlPathMatching("/stripe/v1/payment_intents"))));

            boolean pass = settled && counts[0] == 0 && counts[1] == 0 && notCompleted == 0 && tally.problems().isEmpty()
                    && deadLetters == 0;
            IngestLoad.report("outbound-faults", "| payment gateway, carrier, ERP and CRM slow, failing, resetting "
                    + "connections | a WireMock proxy in front of each sandbox (real wire protocols): while on, of each "
                    + "request 25 % connection reset, 20 % passed on and answered after the client's " + TIMEOUT_MS
                    + " ms timeout, 15 % 503, 10 % slow within the timeout, the rest passed; on until each partner had "
                    + FAULTS_PER_PARTNER + " faults, then off | REST, " + ORDERS + " orders, 2 clients | "
                    + (settled ? "" : "NOT SETTLED within 5 min; ") + "faults " + chaos.describe() + "; accepted "
                    + rest.acknowledged().size() + ", lost " + counts[0] + ", duplicated " + counts[1]
                    + ", not COMPLETED " + notCompleted + "; " + tally.describe() + "; charges retried with the same "
                    + "Idempotency-Key " + sameKeyRetries + "; dead letters " + deadLetters + "; backlog drained "
                    + String.format("%.0f", drainSeconds) + " s after recovery | " + (pass ? "pass" : "FAIL") + " |");
            assertThat(tally.problems()).as("orders with a missing or doubled effect").isEmpty();
            assertThat(counts[0]).as("accepted orders lost").isZero();
            assertThat(counts[1]).as("accepted orders duplicated").isZero();
            assertThat(settled).as("every order COMPLETED with its mails and partner records within 5 minutes of the "
                    + "recovery").isTrue();
            assertThat(deadLetters).as("dead letters left by partners that were only away").isZero();
            assertThat(sameKeyRetries).as("charges whose answer was lost were asked again with their key").isPositive();
        } finally {
            proxy.stop();
        }
    }

    /** Keys that were sent more than once: each a retry that could have charged twice and did not. */
    private static int retriedWithTheSameKey(List<LoggedRequest> charges) {
        Map<String, Integer> byKey = new HashMap<>();
        for (LoggedRequest r : charges) {
            byKey.merge(r.getHeader("Idempotency-Key"), 1, Integer::sum);
        }
        return (int) byKey.values().stream().filter(n -> n > 1).count();
    }

    /** The faults: applied to every proxied request while {@link #on}, chosen by a seeded random draw. */
    static final class Chaos implements ResponseDefinitionTransformerV2 {

        volatile boolean on;
        private final Random random;
        private final Map<String, Map<String, AtomicInteger>> injected = new ConcurrentHashMap<>();

        Chaos(long seed) {
            this.random = new Random(seed);
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            if (!on) {
                return event.getResponseDefinition();
            }
            String partner = "/" + event.getRequest().getUrl().split("/")[1];
            double draw;
            synchronized (random) {
                draw = random.nextDouble();
            }
            ResponseDefinitionBuilder passed = ResponseDefinitionBuilder.like(event.getResponseDefinition());
            if (draw < 0.25) {
                count(partner, "reset");
                return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            }
            if (draw < 0.45) {
                count(partner, "answer lost");
                return passed.withFixedDelay(TIMEOUT_MS + 1500).build();
            }
            if (draw < 0.60) {
                count(partner, "503");
                return aResponse().withStatus(503).withBody("partner unavailable").build();
            }
            if (draw < 0.70) {
                count(partner, "slow");
                return passed.withFixedDelay(TIMEOUT_MS / 2).build();
            }
            return event.getResponseDefinition();
        }

        private void count(String partner, String kind) {
            injected.computeIfAbsent(partner, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }

        /** Faults injected into a partner's traffic (slow answers within the timeout not counted). */
        int faults(String partner) {
            return injected.getOrDefault(partner, Map.of()).entrySet().stream().filter(e -> !e.getKey().equals("slow"))
                    .mapToInt(e -> e.getValue().get()).sum();
        }

        String describe() {
            Map<String, Map<String, Integer>> out = new TreeMap<>();
            injected.forEach((p, kinds) -> kinds.forEach((k, n) -> out.computeIfAbsent(p.substring(1), x -> new TreeMap<>())
                    .put(k, n.get())));
            return out.toString();
        }

        @Override
        public String getName() {
            return "orderhub-chaos";
        }
    }
}
