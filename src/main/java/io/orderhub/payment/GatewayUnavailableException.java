package io.orderhub.payment;

/** The gateway did not answer, timed out, or answered 5xx or 429: retry later with the same idempotency key. */
public class GatewayUnavailableException extends RuntimeException {

    public GatewayUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
