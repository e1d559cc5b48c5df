package io.orderhub.ingest;

import java.time.Instant;
import java.util.List;

import io.orderhub.common.FieldError;
import io.orderhub.format.FormatResult;

/** A stored inbound document's record: what came, from where, and what became of it. */
public record Receipt(
        String receiptId,
        String channel,
        String via,
        String contentType,
        String checksum,
        long size,
        boolean truncated,
        Instant receivedAt,
        ReceiptStatus status,
        String format,
        String documentId,
        List<String> orderIds,
        List<FieldError> errors,
        Instant updatedAt,
        FormatResult.Acknowledgement acknowledgement,
        int attempts) {
}
