package io.orderhub.ingest;

import java.util.List;

import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;

/**
 * A document holding one order refused as a whole, after its outcome was recorded on the receipt: REST answers
 * it as the problem it is (422, or 409 when the order it names refuses a cancellation, replacement or change in
 * its state); e-mail and JMS tell the sender from {@link #result()} what became of that order.
 */
public class DocumentRefused extends OrderHubException {

    private final transient OrderResult result;

    DocumentRefused(Problem problem, String detail, List<FieldError> errors, OrderResult result) {
        super(problem, detail, errors);
        this.result = result;
    }

    public OrderResult result() {
        return result;
    }
}
