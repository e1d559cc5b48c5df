package io.orderhub.shipping;

/**
 * A carrier call failed. {@code retryable}: timeout, connection failure, 5xx or an answer that
 * cannot be read (try again later; a purchase is checked before it is tried again). Otherwise the
 * carrier refused the request (4xx) and {@link #getMessage()} carries its message.
 */
public class CarrierException extends RuntimeException {

    private final boolean retryable;
    private final String code;

    public CarrierException(String message, boolean retryable, String code, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.code = code;
    }

    public boolean retryable() {
        return retryable;
    }

    public String code() {
        return code;
    }
}
