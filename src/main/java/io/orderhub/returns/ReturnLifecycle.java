package io.orderhub.returns;

import static io.orderhub.returns.ReturnStatus.*;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The return lifecycle's transition table, in one place beside the order's ({@code io.orderhub.order.Lifecycle}):
 * REQUESTED → AUTHORIZED (label bought) → IN_TRANSIT (carrier has the parcel) → RECEIVED (warehouse counted it)
 * → REFUNDED | EXCHANGED | CREDITED → CLOSED; REJECTED and CANCELLED on the way. A parcel handed in at the
 * warehouse without its tracking being seen goes AUTHORIZED → RECEIVED. Anything else is refused (409).
 */
public final class ReturnLifecycle {

    private static final Map<ReturnStatus, Set<ReturnStatus>> NEXT = new EnumMap<>(ReturnStatus.class);

    static {
        NEXT.put(REQUESTED, EnumSet.of(AUTHORIZED, REJECTED, CANCELLED));
        NEXT.put(AUTHORIZED, EnumSet.of(IN_TRANSIT, RECEIVED, REJECTED, CANCELLED));
        NEXT.put(IN_TRANSIT, EnumSet.of(RECEIVED));
        NEXT.put(RECEIVED, EnumSet.of(REFUNDED, EXCHANGED, CREDITED, REJECTED));
        NEXT.put(REFUNDED, EnumSet.of(CLOSED));
        NEXT.put(EXCHANGED, EnumSet.of(CLOSED));
        NEXT.put(CREDITED, EnumSet.of(CLOSED));
        NEXT.put(CLOSED, EnumSet.noneOf(ReturnStatus.class));
        NEXT.put(REJECTED, EnumSet.noneOf(ReturnStatus.class));
        NEXT.put(CANCELLED, EnumSet.noneOf(ReturnStatus.class));
    }

    private ReturnLifecycle() {
    }

    public static boolean allows(ReturnStatus from, ReturnStatus to) {
        return NEXT.get(from).contains(to);
    }

    public static Set<ReturnStatus> next(ReturnStatus from) {
        return Collections.unmodifiableSet(NEXT.get(from));
    }

    /** The state a settled return reaches for its resolution. */
    public static ReturnStatus settled(Resolution resolution) {
        return switch (resolution) {
            case REFUND -> REFUNDED;
            case EXCHANGE -> EXCHANGED;
            case STORE_CREDIT -> CREDITED;
        };
    }

    /** What the customer gets for the returned units. */
    public enum Resolution { REFUND, EXCHANGE, STORE_CREDIT }

    /** What the warehouse found: back on the shelf, into quarantine, or thrown away. */
    public enum Condition { RESTOCK, DAMAGED, SCRAP }
}
