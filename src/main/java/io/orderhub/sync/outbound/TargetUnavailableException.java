package io.orderhub.sync.outbound;

/**
 * The target cannot be reached or says it is temporarily unavailable (connection refused, timeout,
 * 408, 429, 502, 503, 504). Retried with exponential backoff without limit: the event stays at the
 * head of its queue, so a target that is down for an hour builds a backlog that drains in order.
 */
public class TargetUnavailableException extends TargetException {

    public TargetUnavailableException(String target, Integer httpStatus, String message, Throwable cause) {
        super(target, httpStatus, message, cause);
    }
}
