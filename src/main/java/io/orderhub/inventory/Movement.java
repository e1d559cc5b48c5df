package io.orderhub.inventory;

/** Kinds of stock movement recorded in the ledger. */
public enum Movement {
    RESERVE, RELEASE, ALLOCATE, DEALLOCATE, PICK, ADJUST, RECEIVE,
    /** Returned units put back on the shelf (RESTOCK). */
    RETURN,
    /** Returned units that came back damaged: held in quarantine, not available to promise. */
    QUARANTINE
}
