package io.orderhub.payment;

/** The gateway refused the request (4xx other than a card decline or 429): retrying would not help. */
public class GatewayRejectedException extends RuntimeException {

    private final int status;

    public GatewayRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
