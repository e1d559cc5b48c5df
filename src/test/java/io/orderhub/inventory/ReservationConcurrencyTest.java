package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * 200 orders for one SKU with 50 in stock (30 + 20 in two warehouses), sent in parallel through
 * the REST API, reserved by the stage's competing consumers: exactly 50 confirmed, the rest
 * cancelled (the webshop takes no backorders), nothing available, the ledger agreeing. Runs on H2
 * and, with -Ppostgres, on PostgreSQL.
 */
class ReservationConcurrencyTest extends InventoryTestSupport {

    @Test
    void twoHundredOrdersForFiftyUnitsConfirmExactlyFifty() throws Exception {
        String sku = product(30, 20);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(() -> submit(WEBSHOP_KEY, orderFor("DE", sku, 1)));
        }
        List<String> orderIds = new ArrayList<>();
        try {
            for (Future<String> f : clients.invokeAll(calls)) {
                orderIds.add(f.get());
            }
        } finally {
            clients.shutdown();
        }
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from orders where status = 'CREATED' and order_id in (" + in(orderIds) + ")",
                Integer.class)).isZero());

        Map<String, Long> byStatus = new java.util.TreeMap<>();
        jdbc.queryForList("select status, count(*) as n from orders where order_id in (" + in(orderIds) + ") group by status")
                .forEach(r -> byStatus.put((String) r.get("status"), ((Number) r.get("n")).longValue()));
        assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of("CONFIRMED", 50L, "CANCELLED", 150L));
        assertThat(inventory(sku).get("available").asInt()).isZero();
        assertThat(warehouse(sku, "eu-central").get("reserved").asInt()).isEqualTo(30);
        assertThat(warehouse(sku, "us-east").get("reserved").asInt()).isEqualTo(20);
        assertLedgerMatchesStock(sku);
    }

    private static String in(List<String> ids) {
        return String.join(",", ids.stream().map(id -> "'" + id + "'").toList());
    }
}
