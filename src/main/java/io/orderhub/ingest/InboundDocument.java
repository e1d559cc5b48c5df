package io.orderhub.ingest;

/**
 * A document as a channel sent it, before anything is decided about it.
 *
 * @param channel     the channel it claims or was found to come from; null when unknown
 * @param via         transport: rest, email or jms
 * @param contentType the sender's content type, if any
 * @param body        the bytes as received (possibly cut at the size limit, see truncated)
 * @param truncated   true when the document was larger than the limit and only its start is kept
 */
public record InboundDocument(String channel, String via, String contentType, byte[] body, boolean truncated) {

    public InboundDocument {
        body = body == null ? new byte[0] : body;
    }
}
