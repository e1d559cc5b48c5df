package io.orderhub.common;

/**
 * One problem with an input: {@code field} locates it (a JSON pointer such as {@code /lines/0/quantity},
 * a header name, a query parameter, or a position in a document) and {@code message} says what is wrong.
 */
public record FieldError(String field, String message) {

    /** The longest message and field kept: input quoted in them is cut to a short excerpt. */
    public static final int MAX_MESSAGE = 500;
    public static final int MAX_FIELD = 200;

    /**
     * Messages may quote input values; a card number among them never leaves the hub, and neither does a
     * long value (a field or message longer than the limits is cut, saying how much was left out).
     */
    public FieldError {
        field = cut(field, MAX_FIELD);
        message = excerpt(message);
    }

    public static FieldError of(String field, String message) {
        return new FieldError(field, message);
    }

    /** Redacts card numbers in (a bounded prefix of) the message, then cuts it to {@link #MAX_MESSAGE}. */
    private static String excerpt(String message) {
        if (message == null || message.length() <= MAX_MESSAGE) {
            return io.orderhub.common.CardNumbers.redact(message);
        }
        // redact with some text beyond the cut, so a card number across the cut is redacted as a whole
        String head = io.orderhub.common.CardNumbers.redact(
                message.substring(0, Math.min(message.length(), MAX_MESSAGE + 100)));
        int end = Math.min(head.length(), MAX_MESSAGE);
        return head.substring(0, end) + "… (" + (message.length() - end) + " more characters)";
    }

    /** At most {@code max} characters of the text, ending in "… (n more characters)" when cut. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "… (" + (text.length() - end) + " more characters)";
    }
}
