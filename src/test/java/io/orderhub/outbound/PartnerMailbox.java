package io.orderhub.outbound;


import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.orderhub.sandbox.SandboxMailServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/**
 * The partner documents the hub mailed (mail transport) as the suite's sandbox mail server (GreenMail) received
 * them: found by recipient, order (the subject ends with "for order &lt;id&gt;") and document type (header
 * X-OrderHub-Document-Type), with the attachment's bytes.
 */
final class PartnerMailbox {

    /** The demo b2b channel's EDI desk (mappings/channels.yaml, outbound.transport.to). */
    static final String B2B_DESK = "edi@b2b.example";

    /** One mailed document: its ids, the mail's subject, the attachment's name, content type and bytes. */
    record Mail(String documentId, String type, String subject, String fileName, String contentType, byte[] content) {

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private PartnerMailbox() {
    }

    /** The order's document of this type mailed to {@code address}, waiting up to 60 s; exactly one such mail. */
    static Mail await(SandboxMailServer server, String address, String orderId, String type) {
        List<Mail> found = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mails(server, address, orderId, type),
                l -> !l.isEmpty());
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " mails of " + type + " for order " + orderId + " to " + address);
        }
        return found.get(0);
    }

    /** Every mail of the order's documents of this type to {@code address} received so far (type null: all types). */
    static List<Mail> mails(SandboxMailServer server, String address, String orderId, String type) throws Exception {
        List<Mail> out = new ArrayList<>();
        for (MimeMessage m : server.greenMail().getReceivedMessages()) {
            String[] documentType = m.getHeader("X-OrderHub-Document-Type");
            if (documentType == null || (type != null && !type.equals(documentType[0]))
                    || m.getSubject() == null || !m.getSubject().endsWith("for order " + orderId)
                    || m.getAllRecipients() == null
                    || List.of(m.getAllRecipients()).stream().noneMatch(a -> a.toString().equalsIgnoreCase(address))) {
                continue;
            }
            Part attachment = attachment(m);
            out.add(new Mail(m.getHeader("X-OrderHub-Document-Id", null), documentType[0], m.getSubject(),
                    attachment.getFileName(), attachment.getContentType(), attachment.getInputStream().readAllBytes()));
        }
        return out;
    }

    private static Part attachment(MimeMessage mail) throws Exception {
        Multipart parts = (Multipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
                return p;
            }
        }
        throw new AssertionError("no attachment in " + mail.getSubject());
    }
}
