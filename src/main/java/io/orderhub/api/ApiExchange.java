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
    /** Set by an action whose body is to be sent as it is (bytes, with the content type it set). */
    public static final String AS_IS = "orderhub.answerAsIs";

    private ApiExchange() {
    }

    public static Caller caller(Exchange exchange) {
        Caller caller = exchange.getProperty(CALLER, Caller.class);
        if (caller == null) {
            throw new IllegalStateException("route " + exchange.getFromRouteId() + " did not authenticate its caller");
        }
        return caller;
    }

    /** The answer sends the body as it is, with the Content-Type the action set, not as JSON. */
    public static void answerAsIs(Exchange exchange) {
        exchange.setProperty(AS_IS, Boolean.TRUE);
    }

    public static String receiptId(Exchange exchange) {
        return exchange.getProperty(RECEIPT_ID, String.class);
    }

    public static String header(Exchange exchange, String name) {
        Object value = exchange.getMessage().getHeader(name);
        return value == null ? null : value.toString();
    }

    /**
     * A path parameter that may hold any item number ({@code /api/products/98891%2075}): the HTTP layer
     * hands it over still percent-encoded, so it is decoded here ({@code +} stays a plus sign in a path).
     */
    public static String pathParam(Exchange exchange, String name) {
        String raw = header(exchange, name);
        if (raw == null || raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw io.orderhub.common.OrderHubException.field(io.orderhub.common.Problem.MALFORMED, name,
                    "is not a valid percent-encoded path segment");
        }
    }
}
