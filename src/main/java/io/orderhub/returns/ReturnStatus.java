package io.orderhub.returns;

/** States of a return (issue 22). Which changes are allowed is decided by {@link ReturnLifecycle} alone. */
public enum ReturnStatus {
    REQUESTED, AUTHORIZED, IN_TRANSIT, RECEIVED, REFUNDED, EXCHANGED, CREDITED, CLOSED, REJECTED, CANCELLED;

    public boolean isFinal() {
        return this == CLOSED || this == REJECTED || this == CANCELLED;
    }
}
