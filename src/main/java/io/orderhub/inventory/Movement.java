package io.orderhub.inventory;

/** Kinds of stock movement recorded in the ledger. */
public enum Movement {
    RESERVE, RELEASE, ALLOCATE, DEALLOCATE, PICK, ADJUST, RECEIVE
}
