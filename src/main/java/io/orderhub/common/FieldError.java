package io.orderhub.common;

/**
 * One problem with an input: {@code field} locates it (a JSON pointer such as {@code /lines/0/quantity},
 * a header name, a query parameter, or a position in a document) and {@code message} says what is wrong.
 */
public record FieldError(String field, String message) {

    /** Messages may quote input values; a card number among them never leaves the hub. */
    public FieldError {
        message = io.orderhub.security.CardNumbers.redact(message);
    }

    public static FieldError of(String field, String message) {
        return new FieldError(field, message);
    }
}
