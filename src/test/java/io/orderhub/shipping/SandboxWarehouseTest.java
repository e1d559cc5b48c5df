package io.orderhub.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import io.orderhub.inventory.WarehouseWork;
import io.orderhub.sandbox.SandboxWarehouse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The sandbox warehouse of the embedded default packs allocated shipments by itself, and the order
 * flows on to COMPLETED without a person. (It is off in the test profile so that other tests pack by
 * hand; here one is built on the suite's beans and run once.)
 */
class SandboxWarehouseTest extends ShippingTestSupport {

    @Autowired
    WarehouseWork warehouses;
    @Autowired
    NamedParameterJdbcTemplate namedJdbc;
    @Autowired
    Clock clock;

    @Test
    void packsAllocatedShipmentsAfterItsDelayAndTheOrderCompletes() {
        String orderId = allocated(orderFor(product(2, 0), 1, "standard", "51147"));

        new SandboxWarehouse(warehouses, namedJdbc, clock, 3600).packDue();
        assertThat(shipments(orderId).get(0).get("status").asText()).as("not yet due").isEqualTo("PICKING");

        new SandboxWarehouse(warehouses, namedJdbc, clock, 0).packDue();
        assertThat(shipments(orderId).get(0).get("status").asText()).as("packed (and perhaps already labelled)")
                .isNotEqualTo("PICKING");
        awaitStatus(orderId, "COMPLETED");
    }
}
