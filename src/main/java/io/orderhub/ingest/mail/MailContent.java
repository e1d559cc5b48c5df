package io.orderhub.ingest.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;

/**
 * The documents of an e-mail: every attachment (a part with a file name or an attachment
 * disposition), or when there is none, the body (the plain text part, else the HTML part). Parts
 * larger than the limit are kept cut at the limit and marked truncated.
 */
public final class MailContent {

    /** One document of a mail: its name (file name, or "mail body"), content type and bytes. */
    public record Document(String name, String contentType, byte[] body, boolean truncated) {
    }

    private MailContent() {
    }

    public static List<Document> documents(Part mail, int maxBytes) throws MessagingException, IOException {
        List<Document> attachments = new ArrayList<>();
        List<Part> texts = new ArrayList<>();
        walk(mail, attachments, texts, maxBytes);
        if (!attachments.isEmpty()) {
            return attachments;
        }
        Part text = texts.stream().filter(p -> is(p, "text/plain")).findFirst()
                .orElse(texts.stream().filter(p -> is(p, "text/html")).findFirst().orElse(null));
        if (text == null) {
            return List.of();
        }
        Object content = text.getContent();
        byte[] bytes = content instanceof String s ? s.strip().getBytes(StandardCharsets.UTF_8) : read(text, maxBytes);
        boolean truncated = bytes.length > maxBytes;
        String type = baseType(text.getContentType()) + (content instanceof String ? "; charset=UTF-8" : "");
        return List.of(new Document("mail body", type, truncated ? java.util.Arrays.copyOf(bytes, maxBytes) : bytes,
                truncated));
    }

    private static void walk(Part part, List<Document> attachments, List<Part> texts, int maxBytes)
            throws MessagingException, IOException {
        String fileName = fileName(part);
        boolean attachment = fileName != null || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
        if (!attachment && part.isMimeType("multipart/*")) {
            Multipart multi = (Multipart) part.getContent();
            for (int i = 0; i < multi.getCount(); i++) {
                BodyPart child = multi.getBodyPart(i);
                walk(child, attachments, texts, maxBytes);
            }
        } else if (attachment) {
            byte[] bytes = read(part, maxBytes);
            boolean truncated = bytes.length > maxBytes;
            attachments.add(new Document(fileName == null ? "attachment " + (attachments.size() + 1) : fileName,
                    contentType(part), truncated ? java.util.Arrays.copyOf(bytes, maxBytes) : bytes, truncated));
        } else if (part.isMimeType("text/plain") || part.isMimeType("text/html")) {
            texts.add(part);
        }
    }

    /** Reads at most maxBytes + 1 bytes: enough to know the part is too large without reading it all. */
    private static byte[] read(Part part, int maxBytes) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while (out.size() <= maxBytes && (n = in.read(buffer, 0, Math.min(buffer.length, maxBytes + 1 - out.size()))) > 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static String fileName(Part part) throws MessagingException {
        String name = part.getFileName();
        if (name == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(name);
        } catch (java.io.UnsupportedEncodingException e) {
            return name;
        }
    }

    /** The part's media type with its charset, without other parameters (file names stay out of receipts). */
    private static String contentType(Part part) throws MessagingException {
        try {
            ContentType type = new ContentType(part.getContentType());
            String charset = type.getParameter("charset");
            return type.getBaseType().toLowerCase(Locale.ROOT) + (charset == null ? "" : "; charset=" + charset);
        } catch (jakarta.mail.internet.ParseException e) {
            return "application/octet-stream";
        }
    }

    private static String baseType(String contentType) {
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (jakarta.mail.internet.ParseException e) {
            return "text/plain";
        }
    }

    private static boolean is(Part part, String type) {
        try {
            return part.isMimeType(type);
        } catch (MessagingException e) {
            return false;
        }
    }
}
