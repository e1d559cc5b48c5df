package io.orderhub.sync.outbound;

/** The target answered with a server error other than "unavailable" (e.g. 500): retried a few times, then dead-lettered. */
public class TargetFailedException extends TargetException {

    public TargetFailedException(String target, Integer httpStatus, String message) {
        super(target, httpStatus, message, null);
    }
}
