package io.orderhub.sync.outbound;

/**
 * The target refused the request as invalid (4xx), or the mapping could not produce one: retrying
 * cannot help, so the event goes to the dead letters at once with the reason, to be replayed after
 * the mapping or the data is fixed.
 */
public class TargetRejectedException extends TargetException {

    public TargetRejectedException(String target, Integer httpStatus, String message) {
        super(target, httpStatus, message, null);
    }
}
