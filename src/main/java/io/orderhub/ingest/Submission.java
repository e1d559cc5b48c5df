package io.orderhub.ingest;

import java.util.List;

import io.orderhub.format.FormatResult;

/**
 * The answer to a submitted document: its receipt, the format it was read as, one result per
 * order it held, and the EDI acknowledgement where the format has one.
 */
public record Submission(String receiptId, String format, List<OrderResult> results,
                         FormatResult.Acknowledgement acknowledgement) {

    public Submission {
        results = List.copyOf(results);
    }

    /** True for a document that held exactly one order: answered like POST /api/orders. */
    public boolean single() {
        return results.size() == 1;
    }
}
