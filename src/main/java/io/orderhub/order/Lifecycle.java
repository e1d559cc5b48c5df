package io.orderhub.order;

import static io.orderhub.order.OrderStatus.*;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The order lifecycle's transition table (DESIGN §5), in one place. Every state change in the hub
 * asks {@link #allows}; anything not listed here is refused and changes nothing.
 */
public final class Lifecycle {

    /** States an order may start in: stored valid (CREATED) or parsed but invalid (REJECTED). */
    public static final Set<OrderStatus> INITIAL = Collections.unmodifiableSet(EnumSet.of(CREATED, REJECTED));

    private static final Map<OrderStatus, Set<OrderStatus>> NEXT = new EnumMap<>(OrderStatus.class);

    static {
        NEXT.put(CREATED, EnumSet.of(CONFIRMED, BACKORDERED, CANCELLED));
        NEXT.put(BACKORDERED, EnumSet.of(CONFIRMED, CANCELLED));
        NEXT.put(CONFIRMED, EnumSet.of(PAID, CANCELLED));
        NEXT.put(PAID, EnumSet.of(ALLOCATED, CANCELLED));
        NEXT.put(ALLOCATED, EnumSet.of(SHIPPED, CANCELLED));
        NEXT.put(SHIPPED, EnumSet.of(DELIVERED, CANCELLED));
        NEXT.put(DELIVERED, EnumSet.of(COMPLETED, CANCELLED));
        NEXT.put(COMPLETED, EnumSet.noneOf(OrderStatus.class));
        NEXT.put(CANCELLED, EnumSet.noneOf(OrderStatus.class));
        NEXT.put(REJECTED, EnumSet.noneOf(OrderStatus.class));
    }

    private Lifecycle() {
    }

    public static boolean allows(OrderStatus from, OrderStatus to) {
        return NEXT.get(from).contains(to);
    }

    public static Set<OrderStatus> next(OrderStatus from) {
        return Collections.unmodifiableSet(NEXT.get(from));
    }
}
