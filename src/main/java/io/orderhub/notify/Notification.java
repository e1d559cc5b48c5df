package io.orderhub.notify;

/**
 * One mail to send: for which event ({@code key}: the event id, or a UUID derived from a rejected
 * receipt) and which kind of recipient ({@link #CUSTOMER} or {@link #SENDER}), to whom, from whom, the
 * subject, the plain text and the HTML alternative, rendered in {@code locale}.
 */
public record Notification(String key, String recipientKind, String eventType, String orderId, String receiptId,
                           String channel, String to, String from, String replyTo, String locale, String subject,
                           String text, String html) {

    public static final String CUSTOMER = "customer";
    public static final String SENDER = "sender";

    /** The dead-letter target name of this kind of mail (sync_dead_letters.target). */
    public String target() {
        return NotificationLedger.target(recipientKind);
    }

    /** For logs: which mail, never its recipient in clear or its contents. */
    public String describe() {
        return eventType + " " + (orderId != null ? "of order " + orderId : "of receipt " + receiptId) + " (" + locale + ")";
    }
}
