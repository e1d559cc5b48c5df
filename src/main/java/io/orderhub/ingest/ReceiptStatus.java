package io.orderhub.ingest;

/** Where a stored inbound document stands. RECEIVED is the short moment between storing and deciding. */
public enum ReceiptStatus {
    RECEIVED, ACCEPTED, REJECTED, DUPLICATE
}
