package io.orderhub.order;

import java.util.Optional;

/**
 * Something that keeps a PAID order from being allocated for now (a stage still settling what the order owes, e.g.
 * the difference of a replacement after payment being charged). The allocation stage asks every implementation, with
 * the order's row locked, before it turns reservations into allocations; a reason leaves the order PAID, and whoever
 * lifts the hold publishes an event the allocation stage takes again (order.paid).
 */
public interface FulfilmentHold {

    /** Why {@code order} must not be allocated now; empty when nothing holds it. */
    Optional<String> holdReason(CanonicalOrder order);
}
