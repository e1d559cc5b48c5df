package io.orderhub.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every legal and every illegal transition, through the service and the database: a legal one
 * changes the status, adds a timeline entry and an outbox event in one transaction; an illegal one
 * is refused with 409 and leaves all three untouched.
 */
class OrderTransitionsTest extends HubTestSupport {

    @Autowired
    OrderService orders;
    @Autowired
    OrderRepository repository;

    @Test
    void everyTransitionOfTheTable() {
        int legal = 0;
        int illegal = 0;
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus to : OrderStatus.values()) {
                String orderId = orderIn(from);
                State before = state(orderId);
                if (Lifecycle.allows(from, to)) {
                    CanonicalOrder changed = orders.transition(orderId, to, "order." + to.name().toLowerCase(), "test");
                    assertThat(changed.status()).isEqualTo(to);
                    State after = state(orderId);
                    assertThat(after.status()).isEqualTo(to.name());
                    assertThat(after.events()).isEqualTo(before.events() + 1);
                    assertThat(after.outbox()).isEqualTo(before.outbox() + 1);
                    Map<String, Object> event = jdbc.queryForMap(
                            "select type, status from outbox where order_id = ? order by id desc limit 1", orderId);
                    assertThat(event.get("status")).isEqualTo(to.name());
                    legal++;
                } else {
                    assertThatThrownBy(() -> orders.transition(orderId, to, "order.x", "test"))
                            .isInstanceOfSatisfying(OrderHubException.class,
                                    e -> assertThat(e.problem()).isEqualTo(Problem.CONFLICT));
                    assertThat(state(orderId)).isEqualTo(before);
                    illegal++;
                }
            }
        }
        assertThat(legal).isEqualTo(15);
        assertThat(illegal).isEqualTo(85);
    }

    @Test
    void unknownOrderIsNotFound() {
        assertThatThrownBy(() -> orders.transition("ORD-999999999", OrderStatus.CONFIRMED, "order.confirmed", null))
                .isInstanceOfSatisfying(OrderHubException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND));
    }

    /** A fresh order brought to {@code status} by a path of legal transitions (or a direct write for REJECTED). */
    private String orderIn(OrderStatus status) {
        String orderId = postJson("/api/orders", WEBSHOP_KEY, order()).body().get("orderId").asText();
        for (OrderStatus step : pathTo(status)) {
            orders.transition(orderId, step, "order." + step.name().toLowerCase(), "setup");
        }
        if (status == OrderStatus.REJECTED) {
            jdbc.update("update orders set status = 'REJECTED' where order_id = ?", orderId);
        }
        return orderId;
    }

    private static List<OrderStatus> pathTo(OrderStatus status) {
        return switch (status) {
            case CREATED, REJECTED -> List.of();
            case BACKORDERED -> List.of(OrderStatus.BACKORDERED);
            case CANCELLED -> List.of(OrderStatus.CANCELLED);
            case CONFIRMED -> List.of(OrderStatus.CONFIRMED);
            case PAID -> List.of(OrderStatus.CONFIRMED, OrderStatus.PAID);
            case ALLOCATED -> List.of(OrderStatus.CONFIRMED, OrderStatus.PAID, OrderStatus.ALLOCATED);
            case SHIPPED -> List.of(OrderStatus.CONFIRMED, OrderStatus.PAID, OrderStatus.ALLOCATED, OrderStatus.SHIPPED);
            case DELIVERED -> List.of(OrderStatus.CONFIRMED, OrderStatus.PAID, OrderStatus.ALLOCATED, OrderStatus.SHIPPED,
                    OrderStatus.DELIVERED);
            case COMPLETED -> List.of(OrderStatus.CONFIRMED, OrderStatus.PAID, OrderStatus.ALLOCATED, OrderStatus.SHIPPED,
                    OrderStatus.DELIVERED, OrderStatus.COMPLETED);
        };
    }

    private State state(String orderId) {
        return new State(
                jdbc.queryForObject("select status from orders where order_id = ?", String.class, orderId),
                jdbc.queryForObject("select count(*) from order_events where order_id = ?", Integer.class, orderId),
                jdbc.queryForObject("select count(*) from outbox where order_id = ?", Integer.class, orderId));
    }

    record State(String status, int events, int outbox) {
    }
}
