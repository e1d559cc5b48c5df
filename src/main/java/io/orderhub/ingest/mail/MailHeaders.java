package io.orderhub.ingest.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;

/** What the mail intake reads of an order mail besides its documents: Message-ID, From, Subject, its raw bytes. */
final class MailHeaders {

    private MailHeaders() {
    }

    /** The Message-ID, or a digest of the mail when it has none (a resend is then the same mail). */
    static String messageId(Message mail) throws MessagingException {
        String[] ids = mail.getHeader("Message-ID");
        String id = ids == null || ids.length == 0 ? null : ids[0].trim();
        if (id == null || id.isEmpty() || id.length() > 400) {
            return "sha256:" + sha256(rawOrHeaders(mail));
        }
        return id;
    }

    /** The sender's address; none when the From header is missing or cannot be parsed. */
    static String sender(Message mail) throws MessagingException {
        Address[] from;
        try {
            from = mail.getFrom();
        } catch (jakarta.mail.internet.AddressException unreadable) {
            return null;
        }
        if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress a) || a.getAddress() == null) {
            return null;
        }
        return a.getAddress().trim().toLowerCase(Locale.ROOT);
    }

    /** Every address of the From header (none when it is missing or cannot be parsed). */
    static List<String> fromAddresses(Message mail) throws MessagingException {
        Address[] from;
        try {
            from = mail.getFrom();
        } catch (jakarta.mail.internet.AddressException unreadable) {
            return List.of();
        }
        List<String> addresses = new ArrayList<>();
        for (Address a : from == null ? new Address[0] : from) {
            if (a instanceof InternetAddress ia && ia.getAddress() != null) {
                addresses.add(ia.getAddress().trim().toLowerCase(Locale.ROOT));
            }
        }
        return addresses;
    }

    static String subject(Message mail) {
        try {
            return mail.getSubject() == null ? "" : mail.getSubject();
        } catch (MessagingException e) {
            return "";
        }
    }

    /** A parser's complaint for the answer and the log: on one line, at most 200 characters, card numbers cut out. */
    static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = io.orderhub.common.CardNumbers.redact(message.replaceAll("[\\r\\n\\t]+", " "));
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    static byte[] raw(Message mail) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.writeTo(out);
        return out.toByteArray();
    }

    /** The mail's bytes as received; where even those cannot be written out, its header lines. */
    static byte[] rawOrHeaders(Message mail) throws MessagingException {
        try {
            return raw(mail);
        } catch (IOException | MessagingException e) {
            StringBuilder headers = new StringBuilder();
            java.util.Enumeration<jakarta.mail.Header> all = mail.getAllHeaders();
            while (all.hasMoreElements()) {
                jakarta.mail.Header h = all.nextElement();
                headers.append(h.getName()).append(": ").append(h.getValue()).append("\r\n");
            }
            return headers.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
