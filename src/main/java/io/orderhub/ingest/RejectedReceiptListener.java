package io.orderhub.ingest;

/**
 * Told when a receipt becomes REJECTED (e.g. to notify the sender). Called inside the transaction that
 * records the rejection: an implementation that acts outside the database waits for the commit.
 */
public interface RejectedReceiptListener {

    void rejected(String receiptId);
}
