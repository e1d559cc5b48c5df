package io.orderhub.format;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The start of a document (leading white space and a UTF-8 byte order mark skipped, decoded as
 * ISO-8859-1 so every byte is one character) and its media type, for format recognition.
 */
public record DocumentHead(String text, String mediaType) {

    public static final int LENGTH = 2048;

    public static DocumentHead of(byte[] body, String contentType) {
        int start = 0;
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            start = 3;
        }
        String text = new String(body, start, Math.min(body.length - start, LENGTH), StandardCharsets.ISO_8859_1)
                .stripLeading();
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return new DocumentHead(text, mime);
    }

    public boolean startsWith(String prefix) {
        return text.startsWith(prefix);
    }

    public boolean contains(String part) {
        return text.contains(part);
    }
}
