package io.orderhub.order;

/** Lifecycle states (DESIGN §5). Which changes are allowed is decided by {@link Lifecycle} alone. */
public enum OrderStatus {
    CREATED, CONFIRMED, BACKORDERED, PAID, ALLOCATED, SHIPPED, DELIVERED, COMPLETED, CANCELLED, REJECTED;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == REJECTED;
    }
}
