package io.orderhub.api;

import io.orderhub.security.Caller;
import org.apache.camel.Exchange;

/** Names of the exchange properties the REST routes share, and typed access to them. */
public final class ApiExchange {

    /** The authenticated {@link Caller}. */
    public static final String CALLER = "orderhub.caller";
    /** The receipt id of the document this request carried. */
    public static final String RECEIPT_ID = "orderhub.receiptId";

    public static final String RECEIPT_HEADER = "X-Receipt-Id";

    private ApiExchange() {
    }

    public static Caller caller(Exchange exchange) {
        Caller caller = exchange.getProperty(CALLER, Caller.class);
        if (caller == null) {
            throw new IllegalStateException("route " + exchange.getFromRouteId() + " did not authenticate its caller");
        }
        return caller;
    }

    public static String receiptId(Exchange exchange) {
        return exchange.getProperty(RECEIPT_ID, String.class);
    }

    public static String header(Exchange exchange, String name) {
        Object value = exchange.getMessage().getHeader(name);
        return value == null ? null : value.toString();
    }
}
