package io.orderhub.ingest.mail;

import java.util.List;

/**
 * The hub's answer to an order e-mail: to whom, subject, the text, and attachments (EDI
 * acknowledgements). {@code messageId} is the Message-ID of the mail it answers.
 */
public record MailReply(String messageId, String to, String subject, String text, List<Attachment> attachments,
                        boolean accepted) {

    /**
     * True for an RFC 5322 msg-id ({@code <left@right>}, no spaces): what In-Reply-To and References may carry. The
     * digest the hub keys a mail without Message-ID by ({@code sha256:…}) is not one.
     */
    public static boolean isMessageId(String id) {
        return id != null && id.matches("<[^<>@\\s]+@[^<>@\\s]+>");
    }

    public MailReply {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public record Attachment(String name, String contentType, byte[] body) {
    }
}
