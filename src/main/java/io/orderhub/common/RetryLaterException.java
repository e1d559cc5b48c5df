package io.orderhub.common;

/** A refusal the caller should retry after a while (rate limits): answered with Retry-After. */
public class RetryLaterException extends OrderHubException {

    private final long retryAfterSeconds;

    public RetryLaterException(Problem problem, String field, String message, long retryAfterSeconds) {
        super(problem, field + ": " + message, java.util.List.of(FieldError.of(field, message)));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
