package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.crypto.CustomerKeys;
import io.orderhub.crypto.DataCipher;
import io.orderhub.crypto.KeyRing;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.PlatformTransactionManager;

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
    @Autowired
    KeyRing keyRing;
    @Autowired
    PlatformTransactionManager transactions;

    /** A second instance of the repository on the same database: another hub instance. */
    private OrderRepository otherInstance() {
        return new OrderRepository(named, json, cipher, customerKeys);
    }

    private String submitted() {
        return submitted(order());
    }

    private String submitted(ObjectNode order) {
        Response created = postJson("/api/orders", WEBSHOP_KEY, order);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.body().get("orderId").asText();
    }

    /** The id of the key the order's stored document is under. */
    private String documentKeyId(String orderId) {
        return DataCipher.keyIdOf(jdbc.queryForObject("select document from orders where order_id = ?", String.class, orderId));
    }

    private String orderOfItsOwnCustomer() {
        ObjectNode order = order();
        ((ObjectNode) order.get("customer")).put("email", "cache-" + System.nanoTime() + "@example.com");
        return submitted(order);
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
        String orderId = orderOfItsOwnCustomer();
        CanonicalOrder read = orders.find(orderId).orElseThrow();
        String keyId = documentKeyId(orderId);
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

    /**
     * A read that opens a document while an erasure destroys its key (on another thread, in the hub: here inside the
     * read's own lookup of the key) may return what it opened, but keeps neither the key nor the order in memory: the
     * next read finds the key gone. This is the race that let a lifecycle read put the order back into the cache
     * between the erasure's emptying of it and its delete.
     */
    @Test
    void aReadRacingTheDestructionOfItsKeyKeepsNothing() {
        String orderId = orderOfItsOwnCustomer();
        CanonicalOrder read = orders.find(orderId).orElseThrow();
        String keyId = documentKeyId(orderId);
        // this instance's own cipher, key cache and repository, over the hub's key ring and database: its key lookups
        // destroy the key once, right after reading it
        DataCipher ownCipher = new DataCipher(keyRing);
        CustomerKeys[] ownKeys = new CustomerKeys[1];
        boolean[] destroyed = new boolean[1];
        NamedParameterJdbcTemplate destroyingOnRead = new NamedParameterJdbcTemplate(named.getJdbcTemplate()) {
            @Override
            public <T> List<T> queryForList(String sql, SqlParameterSource params, Class<T> type) {
                List<T> rows = super.queryForList(sql, params, type);
                if (sql.contains("where key_id") && !destroyed[0]) {
                    destroyed[0] = true;
                    ownKeys[0].destroy(List.of(keyId));
                }
                return rows;
            }
        };
        ownKeys[0] = new CustomerKeys(destroyingOnRead, ownCipher, Clock.systemUTC(), transactions);
        OrderRepository racing = new OrderRepository(named, json, ownCipher, ownKeys[0]);
        try {
            assertThat(racing.find(orderId).orElseThrow().externalId()).isEqualTo(read.externalId());
            assertThat(destroyed[0]).isTrue();

            assertThatThrownBy(() -> racing.find(orderId)).hasMessageContaining(keyId);
        } finally {
            otherInstance().replaceContent(read, Instant.now());
        }
    }
}
