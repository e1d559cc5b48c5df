package io.orderhub.order;

import static io.orderhub.order.OrderStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The transition table against DESIGN §5, pair by pair. */
class LifecycleTest {

    /** DESIGN §5, written out independently of the implementation. */
    static final Map<OrderStatus, Set<OrderStatus>> DESIGN = Map.of(
            CREATED, EnumSet.of(CONFIRMED, BACKORDERED, CANCELLED),
            BACKORDERED, EnumSet.of(CONFIRMED, CANCELLED),
            CONFIRMED, EnumSet.of(PAID, CANCELLED),
            PAID, EnumSet.of(ALLOCATED, CANCELLED),
            ALLOCATED, EnumSet.of(SHIPPED, CANCELLED),
            SHIPPED, EnumSet.of(DELIVERED, CANCELLED),
            DELIVERED, EnumSet.of(COMPLETED, CANCELLED),
            COMPLETED, EnumSet.noneOf(OrderStatus.class),
            CANCELLED, EnumSet.noneOf(OrderStatus.class),
            REJECTED, EnumSet.noneOf(OrderStatus.class));

    @Test
    void everyPairIsAllowedExactlyWhenTheDesignSaysSo() {
        int allowed = 0;
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus to : OrderStatus.values()) {
                assertThat(Lifecycle.allows(from, to)).as(from + " -> " + to).isEqualTo(DESIGN.get(from).contains(to));
                allowed += Lifecycle.allows(from, to) ? 1 : 0;
            }
        }
        assertThat(allowed).isEqualTo(15);
    }

    @Test
    void finalStatesHaveNoWayOut() {
        for (OrderStatus s : OrderStatus.values()) {
            assertThat(Lifecycle.next(s).isEmpty()).as(s.name()).isEqualTo(s.isFinal());
        }
    }

    @Test
    void ordersStartCreatedOrRejected() {
        assertThat(Lifecycle.INITIAL).containsExactlyInAnyOrder(CREATED, REJECTED);
    }
}
