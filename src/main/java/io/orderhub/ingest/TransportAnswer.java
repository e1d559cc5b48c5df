package io.orderhub.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.orderhub.common.FieldError;
import io.orderhub.format.FormatResult;

/**
 * What a channel is told about a document it sent by e-mail or JMS: the receipt, its outcome
 * (ACCEPTED, DUPLICATE or REJECTED), the order numbers and every problem. The EDI acknowledgement,
 * if the format has one, travels beside it (an e-mail attachment), not inside the JSON.
 */
public record TransportAnswer(String receiptId, String status, List<String> orderIds, List<FieldError> errors,
                              @JsonIgnore FormatResult.Acknowledgement acknowledgement) {

    public TransportAnswer {
        orderIds = orderIds == null ? List.of() : List.copyOf(orderIds);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    @JsonIgnore
    public boolean accepted() {
        return !"REJECTED".equals(status);
    }
}
