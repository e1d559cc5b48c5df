package io.orderhub.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.orderhub.common.FieldError;
import io.orderhub.format.FormatResult;

/**
 * What a channel is told about a document it sent by e-mail or JMS: the receipt, its outcome
 * (ACCEPTED, DUPLICATE or REJECTED), the order numbers and every problem, and per order of the document what
 * became of it ({@code results}: CREATED, CANCELLED, REPLACED, DUPLICATE or REJECTED with the order number, as in
 * the 207 answer; empty when the document was refused as a whole or the answer is read back from an earlier
 * attempt's receipt). The EDI acknowledgement, if the format has one, travels beside it (an e-mail
 * attachment), not inside the JSON.
 */
public record TransportAnswer(String receiptId, String status, List<String> orderIds, List<FieldError> errors,
                              List<OrderResult> results, @JsonIgnore FormatResult.Acknowledgement acknowledgement) {

    public TransportAnswer {
        orderIds = orderIds == null ? List.of() : List.copyOf(orderIds);
        errors = errors == null ? List.of() : List.copyOf(errors);
        results = results == null ? List.of() : List.copyOf(results);
    }

    @JsonIgnore
    public boolean accepted() {
        return !"REJECTED".equals(status);
    }
}
