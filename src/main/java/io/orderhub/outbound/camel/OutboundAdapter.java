package io.orderhub.outbound.camel;

import java.util.List;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.outbound.OutboundDocument;
import io.orderhub.outbound.OutboundDocuments;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * Camel side of {@link OutboundDocuments} for routes/b2b-outbound.camel.yaml: turns an order event into
 * the documents due (recorded first), each into the message its transport sends, and records what went.
 */
@Component("outboundAdapter")
public class OutboundAdapter {

    /** Exchange property: the document being sent. */
    public static final String DOCUMENT = "orderhubOutboundDocument";
    /** Message header: the transport of the document being sent (jms, mail, rest). */
    public static final String TRANSPORT = "orderhubOutboundTransport";

    private final OutboundDocuments documents;
    private final ChannelRegistry channels;

    public OutboundAdapter(OutboundDocuments documents, ChannelRegistry channels) {
        this.documents = documents;
        this.channels = channels;
    }

    /** The documents the event calls for and that are still to be sent, as the body (a list). */
    public void prepare(Exchange exchange) {
        boolean redelivered = Boolean.TRUE.equals(exchange.getMessage().getHeader("JMSRedelivered", Boolean.class));
        List<OutboundDocument> due = documents.prepare(exchange.getMessage().getBody(String.class), redelivered);
        exchange.getMessage().setBody(due);
    }

    /**
     * The document as a fresh message (nothing of the event's JMS message travels on): the bytes as body,
     * and the headers the transports use. For JMS: {@code channel}, {@code documentId}, {@code documentType},
     * {@code standard}, {@code controlNumber}, {@code orderId}, grouped by order, and the channel's own queue
     * when it names one.
     */
    public void toMessage(Exchange exchange) {
        OutboundDocument d = exchange.getMessage().getBody(OutboundDocument.class);
        exchange.setProperty(DOCUMENT, d);
        Message m = new DefaultMessage(exchange);
        m.setBody(d.text());
        m.setHeader(TRANSPORT, d.transport());
        m.setHeader("channel", d.channel());
        m.setHeader("documentId", d.documentId());
        m.setHeader("documentType", d.type());
        m.setHeader("standard", d.standard());
        m.setHeader("orderId", d.orderId());
        if (d.controlNumber() != null) {
            m.setHeader("controlNumber", d.controlNumber().toString());
        }
        m.setHeader(Exchange.CONTENT_TYPE, d.contentType());
        m.setHeader("JMSXGroupID", d.orderId());
        channels.find(d.channel()).map(Channel::outbound).map(o -> o.transport().queue())
                .filter(q -> q != null && !q.isBlank())
                .ifPresent(q -> m.setHeader(JmsConstants.JMS_DESTINATION_NAME, q));
        exchange.setMessage(m);
    }

    /** The transport took the document: recorded SENT. */
    public void sent(Exchange exchange) {
        documents.sent(exchange.getProperty(DOCUMENT, OutboundDocument.class));
    }
}
