package io.orderhub.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * A mail whose Message-ID is derived from what it is about (an event and a recipient kind, or the mail it
 * answers) instead of made up at sending time. SMTP has no idempotency key: a hub that dies after the
 * server took a mail and before it recorded that sends the mail again after the restart. With a stable
 * Message-ID that second copy is recognisably the same mail (mail stores and clients such as Gmail fold
 * copies with one Message-ID into one), and a test can tell such a resend from a real duplicate.
 */
public final class StableIdMimeMessage extends MimeMessage {

    /** Only for composing; the mail goes out through the sender's own session. */
    private static final Session COMPOSING = Session.getInstance(new Properties());

    private final String messageId;

    public StableIdMimeMessage(String messageId) {
        super(COMPOSING);
        this.messageId = messageId;
    }

    /** {@code <digest-of-seed@domain-of-from>}: the same seed and sender give the same Message-ID. */
    public static String messageId(String seed, String from) {
        String domain = "orderhub.local";
        try {
            String address = from == null ? null : new InternetAddress(from).getAddress();
            int at = address == null ? -1 : address.lastIndexOf('@');
            if (at > 0 && at < address.length() - 1) {
                domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
            }
        } catch (jakarta.mail.internet.AddressException e) {
            // keep the default domain
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(digest, 0, 16) + "@" + domain + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", messageId);
    }
}
