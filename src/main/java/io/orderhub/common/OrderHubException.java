package io.orderhub.common;

import java.util.List;

/**
 * A failure that is the caller's to fix (or to retry), carrying every problem found.
 * Messages never contain customer data or card numbers: they name fields and rules.
 */
public class OrderHubException extends RuntimeException {

    private final Problem problem;
    private final List<FieldError> errors;

    public OrderHubException(Problem problem, String detail) {
        this(problem, detail, List.of());
    }

    public OrderHubException(Problem problem, String detail, List<FieldError> errors) {
        super(FieldError.cut(detail, FieldError.MAX_MESSAGE));
        this.problem = problem;
        this.errors = List.copyOf(errors);
    }

    public static OrderHubException field(Problem problem, String field, String message) {
        FieldError error = FieldError.of(field, message);
        return new OrderHubException(problem, error.field() + ": " + error.message(), List.of(error));
    }

    /** Seconds after which a retry may succeed (429, 503), or 0. */
    public long retryAfterSeconds() {
        return 0;
    }

    public Problem problem() {
        return problem;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
