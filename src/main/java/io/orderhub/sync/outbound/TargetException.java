package io.orderhub.sync.outbound;

/**
 * A delivery to a target system that did not succeed. The subclass says what to do about it:
 * {@link TargetUnavailableException} wait and retry (the queue keeps the backlog),
 * {@link TargetFailedException} retry a few times, then dead letter,
 * {@link TargetRejectedException} dead letter at once.
 */
public abstract class TargetException extends RuntimeException {

    private final String target;
    private final Integer httpStatus;

    protected TargetException(String target, Integer httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.target = target;
        this.httpStatus = httpStatus;
    }

    public String target() {
        return target;
    }

    /** The target's HTTP status, or null when there was no answer (timeout, connection refused, mapping). */
    public Integer httpStatus() {
        return httpStatus;
    }
}
