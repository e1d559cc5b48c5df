package io.orderhub.format;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What format recognition looks at: the start of a document (leading white space and a UTF-8 byte order
 * mark skipped, decoded as ISO-8859-1 so every byte is one character), its media type, and by structure:
 * for JSON the {@link JsonShape} (its order and line keys wherever they stand), for XML the {@link XmlShape}
 * (root element and namespace), each read once on first use and shared by every format that asks.
 */
public final class DocumentHead {

    public static final int LENGTH = 2048;

    private final String text;
    private final String mediaType;
    private final byte[] body;
    private final int start;
    private JsonShape json;
    private XmlShape xml;

    private DocumentHead(String text, String mediaType, byte[] body, int start) {
        this.text = text;
        this.mediaType = mediaType;
        this.body = body;
        this.start = start;
    }

    public static DocumentHead of(byte[] body, String contentType) {
        int start = 0;
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            start = 3;
        }
        String text = new String(body, start, Math.min(body.length - start, LENGTH), StandardCharsets.ISO_8859_1)
                .stripLeading();
        String mime = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return new DocumentHead(text, mime, body, start);
    }

    public String text() {
        return text;
    }

    public String mediaType() {
        return mediaType;
    }

    public boolean startsWith(String prefix) {
        return text.startsWith(prefix);
    }

    public boolean contains(String part) {
        return text.contains(part);
    }

    /** Whether the document starts like JSON (an object or an array). */
    public boolean looksLikeJson() {
        return text.startsWith("{") || text.startsWith("[");
    }

    /** The XML root and first elements of the document (computed once); null root when it is not XML. */
    public XmlShape xml() {
        if (xml == null) {
            xml = text.startsWith("<") ? XmlShape.of(body, start) : XmlShape.of(new byte[0], 0);
        }
        return xml;
    }

    /** The JSON shape of the whole document (computed once); empty key sets when it is not JSON. */
    public JsonShape json() {
        if (json == null) {
            json = looksLikeJson() ? JsonShape.of(body, start) : JsonShape.of(new byte[0], 0);
        }
        return json;
    }
}
