package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A new product written by several callers at once (two hub instances seeding the demo catalogue on a fresh
 * database, or two PUT /api/products/{sku} of a new SKU): every write succeeds, exactly one creates it. Before,
 * the update-then-insert lost the race with a duplicate key and failed (the second hub instance did not start).
 */
class CatalogueRaceTest extends HubTestSupport {

    static final int WRITERS = 12;

    @Autowired
    CatalogueService catalogue;

    @Test
    void concurrentWritesOfANewProductAllSucceedAndOneCreatesIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            for (int round = 0; round < 5; round++) {
                String sku = "RACE-" + UUID.randomUUID().toString().substring(0, 8);
                ObjectNode product = json.createObjectNode().put("description", "raced").put("unitPrice", 1)
                        .put("currency", "EUR").put("weightKg", 0.1);
                CyclicBarrier start = new CyclicBarrier(WRITERS);
                List<Future<CatalogueService.Stored>> writes = new ArrayList<>();
                for (int i = 0; i < WRITERS; i++) {
                    writes.add(pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return catalogue.putProduct(sku, product);
                    }));
                }
                int created = 0;
                for (Future<CatalogueService.Stored> w : writes) {
                    created += w.get(60, TimeUnit.SECONDS).created() ? 1 : 0;
                }
                assertThat(created).as("writes that created " + sku).isEqualTo(1);
                assertThat(jdbc.queryForObject("select count(*) from stock where sku = ?", Integer.class, sku))
                        .as("stock rows of " + sku).isEqualTo(jdbc.queryForObject("select count(*) from warehouses", Integer.class));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
