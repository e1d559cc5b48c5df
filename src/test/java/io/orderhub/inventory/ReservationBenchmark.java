package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderhub.ingest.OrderIntake;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Reservations per second (not part of the suite; run on PostgreSQL with
 * {@code mvn -o -B test -Ppostgres -Dtest=ReservationBenchmark}). Orders are created first with the
 * reservation route stopped; then 8 and 32 clients run the reservation stage's whole transaction
 * (dedupe, order lock, stock, reservation rows, ledger, CONFIRMED with timeline and outbox event)
 * for spread SKUs and for one hot SKU, beside the raw rate of the equivalent single conditional
 * UPDATE on one row in the same run. Prints the figures; asserts zero oversell.
 */
class ReservationBenchmark extends InventoryTestSupport {

    static final int ORDERS = 800;

    @Autowired
    ReservationService reservations;
    @Autowired
    OrderIntake intake;
    @Autowired
    CamelContext camel;
    @Autowired
    io.orderhub.ingest.ReceiptStore receipts;

    @Test
    void reservationsPerSecond() throws Exception {
        camel.getRouteController().stopRoute("reserveStock");
        try {
            run(8, false); // warm-up (JIT, pool, caches); not reported
            raw(8);
            StringBuilder report = new StringBuilder("\nreservations/s (PostgreSQL? " + isPostgres() + ")\n");
            for (int clients : new int[] {8, 32}) {
                double raw = raw(clients);
                double hot = run(clients, true);
                double hotAll = run(clients, null);
                double spread = run(clients, false);
                report.append(String.format("clients %2d: raw conditional UPDATE %.0f/s, hot SKU %.0f/s (ratio %.2f), hot SKU all in stock %.0f/s, spread SKUs %.0f/s%n",
                        clients, raw, hot, hot / raw, hotAll, spread));
            }
            System.out.println(report);
        } finally {
            camel.getRouteController().startRoute("reserveStock");
        }
    }

    private boolean isPostgres() {
        try {
            return jdbc.queryForObject("select version()", String.class).startsWith("PostgreSQL");
        } catch (org.springframework.dao.DataAccessException e) {
            return false;
        }
    }

    /** Orders for a hot SKU (one product, stock for half of them) or one product each; returns orders/s. */
    private double run(int clients, Boolean hotHalf) throws Exception {
        boolean hot = hotHalf == null || hotHalf;
        List<String> skus = new ArrayList<>();
        if (hotHalf == null) {
            skus.add(product(ORDERS, 0));
        } else if (hot) {
            skus.add(product(ORDERS / 4, ORDERS / 4));
        } else {
            for (int i = 0; i < 40; i++) {
                skus.add(product(ORDERS, 0));
            }
        }
        List<String> orderIds = new ArrayList<>();
        Caller ops = new Caller("bench", Role.OPS, null);
        for (int i = 0; i < ORDERS; i++) {
            com.fasterxml.jackson.databind.node.ObjectNode order = orderFor("DE", skus.get(i % skus.size()), 1);
            order.put("channel", "webshop");
            String receipt = receipts.store(new io.orderhub.ingest.InboundDocument("webshop", "rest", "application/json",
                    json.writeValueAsBytes(order), false));
            orderIds.add(intake.submitCanonical(receipt, json.writeValueAsBytes(order), ops, "rest").results().get(0).orderId());
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Callable<Void>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            work.add(() -> {
                for (int i = next.getAndIncrement(); i < orderIds.size(); i = next.getAndIncrement()) {
                    reservations.onOrderCreated(UUID.randomUUID().toString(), orderIds.get(i));
                }
                return null;
            });
        }
        long start = System.nanoTime();
        for (var f : pool.invokeAll(work)) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        for (String sku : skus) {
            assertThat(inventory(sku).get("available").asInt()).isNotNegative();
            assertLedgerMatchesStock(sku);
        }
        if (hot) {
            assertThat(warehouse(skus.get(0), "eu-central").get("reserved").asInt()
                    + warehouse(skus.get(0), "us-east").get("reserved").asInt()).isEqualTo(hotHalf == null ? ORDERS : ORDERS / 2);
        }
        return ORDERS / seconds;
    }

    /** The same number of single conditional UPDATEs (autocommit) on one row, one unit each. */
    private double raw(int clients) throws Exception {
        String sku = product(ORDERS / 2, 0);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger reserved = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Callable<Void>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            work.add(() -> {
                while (next.getAndIncrement() < ORDERS) {
                    reserved.addAndGet(jdbc.update("""
                            update stock set reserved = reserved + 1 where sku = ? and warehouse_id = 'eu-central'
                              and on_hand - reserved - allocated - safety_stock >= 1
                            """, sku));
                }
                return null;
            });
        }
        long start = System.nanoTime();
        for (var f : pool.invokeAll(work)) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        assertThat(reserved.get()).isEqualTo(ORDERS / 2);
        jdbc.update("update stock set reserved = 0 where sku = ?", sku);
        return ORDERS / seconds;
    }
}
