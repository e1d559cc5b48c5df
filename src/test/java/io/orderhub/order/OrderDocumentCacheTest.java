package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.crypto.CustomerKeys;
import io.orderhub.crypto.DataCipher;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The repository keeps the orders it read, parsed, beside the stored document they came from (issue 17): a read
 * takes the cached order only while the stored document is the very text it was parsed from, and always the status
 * from the row. A document changed by another instance is read afresh, and a destroyed data key (an erasure) leaves
 * nothing readable in memory.
 */
class OrderDocumentCacheTest extends HubTestSupport {

    @Autowired
    OrderRepository orders;
    @Autowired
    CustomerKeys customerKeys;
    @Autowired
    NamedParameterJdbcTemplate named;

    /** A second instance of the repository on the same database: another hub instance. */
    private OrderRepository otherInstance() {
        return new OrderRepository(named, json, cipher, customerKeys);
    }

    private String submitted() {
        Response created = postJson("/api/orders", WEBSHOP_KEY, order());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body().get("orderId").asText();
    }

    private static CanonicalOrder withNotes(CanonicalOrder order, String notes) {
        return new CanonicalOrder(order.orderId(), order.channel(), order.externalId(), order.orderDate(),
                order.receivedAt(), order.status(), order.currency(), order.customer(), order.billTo(), order.shipTo(),
                order.lines(), order.totals(), order.payment(), order.shippingMethod(), notes, order.source(),
                order.discounts(), order.charges(), order.provenance());
    }

    @Test
    void aDocumentWrittenByAnotherInstanceIsReadAfreshAndTheStatusAlwaysComesFromTheRow() {
        String orderId = submitted();
        CanonicalOrder first = orders.find(orderId).orElseThrow();
        assertThat(orders.find(orderId).orElseThrow()).isEqualTo(first);

        otherInstance().replaceContent(withNotes(first, "leave it at the back door"), Instant.now());
        assertThat(orders.find(orderId).orElseThrow().notes()).isEqualTo("leave it at the back door");

        jdbc.update("update orders set status = 'CANCELLED' where order_id = ?", orderId);
        CanonicalOrder cancelled = orders.find(orderId).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.notes()).isEqualTo("leave it at the back door");
    }

    @Test
    void anOrderUnderADestroyedDataKeyIsNotServedFromMemory() {
        ObjectNode order = order();
        ((ObjectNode) order.get("customer")).put("email", "cache-" + System.nanoTime() + "@example.com");
        Response created = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String orderId = created.body().get("orderId").asText();
        CanonicalOrder read = orders.find(orderId).orElseThrow();
        String keyId = DataCipher.keyIdOf(jdbc.queryForObject("select document from orders where order_id = ?",
                String.class, orderId));
        assertThat(keyId).as("the order's document is under its customer's data key").startsWith(io.orderhub.crypto.DataKey.PREFIX);
        try {
            customerKeys.destroy(List.of(keyId));

            assertThatThrownBy(() -> orders.find(orderId)).hasMessageContaining(keyId);
        } finally {
            // the suite's other classes list orders: give this one a readable document again (a new data key)
            otherInstance().replaceContent(read, Instant.now());
        }
        assertThat(orders.find(orderId).orElseThrow().externalId()).isEqualTo(read.externalId());
    }
}
