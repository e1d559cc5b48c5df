package io.orderhub.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ERP (WireMock) is down (503) while 200 events are published, then comes back: the backlog on
 * the ERP's queue drains, every event reaches the ERP exactly once with success, in order per order
 * (sales order before its status update), and nothing lands in the dead letters.
 */
class ErpBacklogTest extends HubTestSupport {

    static final int ORDERS = 100;

    private StubMapping down;

    @AfterEach
    void erpBack() {
        if (down != null) {
            SyncTargetsServer.server().removeStub(down);
        }
    }

    @Test
    void erpDownForTheFirst200EventsThenBackGetsEveryEventOnceInOrderPerOrder() throws Exception {
        down = SyncTargetsServer.server().stubFor(any(urlPathMatching("/erp/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("maintenance")));

        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
            assertThat(postJson("/api/orders/" + orderId + "/cancel", WEBSHOP_KEY, "{\"reason\":\"backlog test\"}")
                    .status()).isEqualTo(200);
            orderIds.add(orderId);
        }
        String ids = "'" + String.join("','", orderIds) + "'";
        // all 200 events are on the broker, and the ERP has refused at least one call meanwhile
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "select count(*) from outbox where published_at is not null and order_id in (" + ids + ")",
                Integer.class) == 2 * ORDERS);
        await().atMost(Duration.ofSeconds(30)).until(() -> SyncTargetsServer.server()
                .findAll(anyRequestedFor(urlPathMatching("/erp/.*"))).size() > 1);
        assertThat(jdbc.queryForObject("select count(*) from sync_processed_events where target = 'erp' and order_id in ("
                + ids + ")", Integer.class)).isZero();

        SyncTargetsServer.server().removeStub(down);
        down = null;
        long back = System.nanoTime();

        await().atMost(Duration.ofSeconds(120)).until(() -> jdbc.queryForObject(
                "select count(*) from sync_processed_events where target = 'erp' and outcome = 'DELIVERED' and order_id in ("
                        + ids + ")", Integer.class) == 2 * ORDERS);
        org.slf4j.LoggerFactory.getLogger(ErpBacklogTest.class).info("ERP backlog of {} events drained in {} ms",
                2 * ORDERS, (System.nanoTime() - back) / 1_000_000);

        // the ERP's view: per order, one accepted sales order, then one accepted status update
        List<ServeEvent> journal = new ArrayList<>(SyncTargetsServer.server().getAllServeEvents());
        java.util.Collections.reverse(journal); // oldest first
        Map<String, List<String>> accepted = new HashMap<>();
        Set<String> mine = Set.copyOf(orderIds);
        for (ServeEvent e : journal) {
            if (e.getResponse().getStatus() != 200 || !e.getRequest().getUrl().startsWith("/erp/")) {
                continue;
            }
            String url = e.getRequest().getUrl();
            String orderId = url.equals("/erp/sales-orders")
                    ? json.readTree(e.getRequest().getBodyAsString()).get("salesOrderNo").asText()
                    : url.replaceAll("^/erp/sales-orders/([^/]+)/status$", "$1");
            if (mine.contains(orderId)) {
                JsonNode body = json.readTree(e.getRequest().getBodyAsString());
                accepted.computeIfAbsent(orderId, k -> new ArrayList<>()).add(e.getRequest().getMethod().value() + " "
                        + (body.has("status") ? body.get("status").asText() : "") + " key=" + e.getRequest().getHeader("Idempotency-Key").endsWith("-1"));
            }
        }
        assertThat(accepted).hasSize(ORDERS);
        accepted.forEach((orderId, calls) -> assertThat(calls).as(orderId)
                .containsExactly("POST open key=true", "PUT cancelled key=true"));
        assertThat(jdbc.queryForObject("select count(*) from sync_dead_letters where target = 'erp' and order_id in ("
                + ids + ")", Integer.class)).isZero();
    }

}
