package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/** Identical submissions racing each other make one order: the unique constraint decides, not a read. */
class IdempotencyRaceTest extends HubTestSupport {

    @Test
    void twentyIdenticalConcurrentRequestsMakeOneOrder() throws Exception {
        int clients = 20;
        for (int round = 0; round < 3; round++) {
            ObjectNode order = order();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Response>> answers = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return postJson("/api/orders", WEBSHOP_KEY, order);
                    }));
                }
                start.countDown();
                List<Response> responses = new ArrayList<>();
                for (Future<Response> f : answers) {
                    responses.add(f.get());
                }
                assertThat(responses).extracting(Response::status).containsOnly(200, 201);
                assertThat(responses).filteredOn(r -> r.status() == 201).hasSize(1);
                assertThat(responses).extracting(r -> r.body().get("orderId").asText()).containsOnly(
                        responses.get(0).body().get("orderId").asText());
                String externalId = order.get("externalId").asText();
                assertThat(jdbc.queryForObject("select count(*) from orders where external_id = ?", Integer.class,
                        externalId)).isEqualTo(1);
                assertThat(jdbc.queryForObject("select count(*) from receipts r where r.status = 'DUPLICATE' and "
                        + "r.document_id = ?", Integer.class, externalId)).isEqualTo(clients - 1);
                assertThat(jdbc.queryForObject("select count(*) from outbox o join orders x on x.order_id = o.order_id "
                        + "where x.external_id = ?", Integer.class, externalId)).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
