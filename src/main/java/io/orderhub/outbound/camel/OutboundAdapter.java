package io.orderhub.outbound.camel;

import java.util.List;
import java.util.Optional;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.StableIdMimeMessage;
import io.orderhub.outbound.CallbackSignature;
import io.orderhub.outbound.OutboundDocument;
import io.orderhub.outbound.OutboundDocuments;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.core.env.Environment;
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
    /** Exchange property: the partner's callback URL (rest transport). */
    public static final String CALLBACK_URL = "orderhubCallbackUrl";
    /** Exchange property: true when the partner refused the document (recorded FAILED, not SENT). */
    public static final String REFUSED = "orderhubOutboundRefused";
    /** Exchange property: the partner callback's 2xx answer (rest transport). */
    public static final String CALLBACK_ANSWER = "orderhubCallbackAnswer";

    private final OutboundDocuments documents;
    private final ChannelRegistry channels;
    private final Environment environment;
    private final String mailFrom;

    public OutboundAdapter(OutboundDocuments documents, ChannelRegistry channels, Environment environment,
                           @org.springframework.beans.factory.annotation.Value("${orderhub.notify.from}") String mailFrom) {
        this.documents = documents;
        this.channels = channels;
        this.environment = environment;
        this.mailFrom = mailFrom;
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

    /**
     * The document as the POST to the channel's callback (rest transport): the bytes with their content type
     * and only the headers {@code X-OrderHub-Signature} (HMAC-SHA256 of the bytes under the channel's secret),
     * {@code X-OrderHub-Document-Id} and {@code X-OrderHub-Document-Type}; the URL as exchange property
     * {@value #CALLBACK_URL}. The secret is resolved from its placeholder here and goes nowhere else.
     */
    public void callback(Exchange exchange) {
        OutboundDocument d = exchange.getProperty(DOCUMENT, OutboundDocument.class);
        Channel.Transport t = channels.find(d.channel()).map(Channel::outbound).map(Channel.Outbound::transport)
                .filter(x -> "rest".equals(x.type()))
                .orElseThrow(() -> new IllegalStateException("channel " + d.channel() + " has no rest transport for document "
                        + d.documentId()));
        String secret;
        try {
            secret = environment.resolveRequiredPlaceholders(t.secret());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("channels.yaml: channel '" + d.channel() + "' outbound.transport.secret "
                    + t.secret() + " is not set (environment variable or setting)");
        }
        Message m = new DefaultMessage(exchange);
        m.setBody(d.content());
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, d.contentType());
        m.setHeader(CallbackSignature.HEADER, CallbackSignature.of(secret, d.content()));
        m.setHeader("X-OrderHub-Document-Id", d.documentId());
        m.setHeader("X-OrderHub-Document-Type", d.type());
        exchange.setProperty(CALLBACK_URL, t.url());
        exchange.setProperty(REFUSED, false);
        exchange.setMessage(m);
    }

    /**
     * The partner's answer: 2xx took the document; 408, 425, 429 and 5xx mean the partner is unavailable
     * ({@link CallbackUnavailableException}, retried with backoff by the route); any other answer is a
     * refusal: the document is recorded FAILED with the status and the answer's start, and not SENT.
     */
    public void callbackAnswered(Exchange exchange) {
        OutboundDocument d = exchange.getProperty(DOCUMENT, OutboundDocument.class);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String answer = exchange.getMessage().getBody(String.class);
        int code = status == null ? 0 : status;
        if (code >= 200 && code < 300) {
            // kept for sent(): a cXML partner answers with a cXML Response whose Status decides the document
            exchange.setProperty(CALLBACK_ANSWER, answer);
            return;
        }
        if (code == 0 || code >= 500 || code == 408 || code == 425 || code == 429) {
            throw new CallbackUnavailableException("channel " + d.channel() + "'s callback answered " + code
                    + " to document " + d.documentId());
        }
        documents.refused(d, code, answer);
        exchange.setProperty(REFUSED, true);
    }

    /**
     * The document as a mail (mail transport): to the channel's {@code outbound.transport.to}, else to the
     * sender of the e-mail the order came in; from the channel's notification sender (else the hub's
     * {@code orderhub.notify.from}); the document attached as {@code <type>-<control number>.edi} (.xml for UBL) with its
     * content type; a Message-ID derived from the document id, so a copy sent again is recognisable. With no
     * recipient the document is recorded FAILED (exchange property {@value #REFUSED}) and nothing is sent.
     */
    public void mail(Exchange exchange) {
        OutboundDocument d = exchange.getProperty(DOCUMENT, OutboundDocument.class);
        Channel channel = channels.find(d.channel()).orElseThrow(() -> new IllegalStateException("channel " + d.channel()
                + " of document " + d.documentId() + " is not configured"));
        String to = Optional.ofNullable(channel.outbound()).map(o -> o.transport().to())
                .or(() -> documents.orderMailSender(d.orderId())).orElse(null);
        exchange.setProperty(REFUSED, false);
        if (to == null) {
            documents.undeliverable(d, "no recipient: the order did not come by e-mail and channel " + d.channel()
                    + " names no outbound.transport.to");
            exchange.setProperty(REFUSED, true);
            return;
        }
        String from = Optional.ofNullable(channel.notifications()).map(Channel.Notifications::from)
                .filter(f -> !f.isBlank()).orElse(mailFrom);
        String name = d.type() + "-" + (d.controlNumber() == null ? d.documentId() : d.controlNumber())
                + (d.contentType() != null && d.contentType().contains("xml") ? ".xml" : ".edi");
        Message mail = new DefaultMessage(exchange);
        try {
            StableIdMimeMessage mime = new StableIdMimeMessage(StableIdMimeMessage.messageId("partner-document:"
                    + d.documentId(), from));
            mime.setFrom(new InternetAddress(from));
            mime.setRecipients(jakarta.mail.Message.RecipientType.TO, InternetAddress.parse(to));
            mime.setSubject(label(d) + " " + (d.controlNumber() == null ? d.documentId() : d.controlNumber()) + " for order "
                    + d.orderId(), "UTF-8");
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(label(d) + " (" + d.type() + ", control number " + d.controlNumber() + ") for order "
                    + d.orderId() + " is attached as " + name + ".\nDocument id: " + d.documentId() + "\n", "UTF-8", "plain");
            mixed.addBodyPart(text);
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new jakarta.activation.DataHandler(
                    new jakarta.mail.util.ByteArrayDataSource(d.content(), d.contentType())));
            file.setFileName(name);
            file.setDisposition(jakarta.mail.Part.ATTACHMENT);
            // base64: the bytes arrive as recorded (a text encoding would turn the segment ends into CRLF)
            file.setHeader("Content-Transfer-Encoding", "base64");
            mixed.addBodyPart(file);
            mime.setContent(mixed);
            mime.setHeader("X-OrderHub-Document-Id", d.documentId());
            mime.setHeader("X-OrderHub-Document-Type", d.type());
            mail.setBody(mime);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException("the mail of document " + d.documentId() + " cannot be composed: "
                    + e.getMessage(), e);
        }
        exchange.setMessage(mail);
    }

    private static String label(OutboundDocument d) {
        if ("ubl".equals(d.standard())) {
            return switch (d.type()) {
                case OutboundDocument.ORDER_RESPONSE -> "UBL OrderResponse";
                case OutboundDocument.SHIP_NOTICE -> "UBL DespatchAdvice";
                case OutboundDocument.INVOICE -> "UBL Invoice";
                case OutboundDocument.CREDIT_NOTE -> "UBL CreditNote";
                default -> d.type();
            };
        }
        if (io.orderhub.outbound.CxmlDocuments.CXML.equals(d.standard())) {
            return io.orderhub.outbound.CxmlDocuments.label(d.type());
        }
        String kind = switch (d.type()) {
            case OutboundDocument.ORDER_RESPONSE -> d.standard().equals("x12") ? "X12 855" : "EDIFACT ORDRSP";
            case OutboundDocument.SHIP_NOTICE -> d.standard().equals("x12") ? "X12 856" : "EDIFACT DESADV";
            case OutboundDocument.INVOICE -> d.standard().equals("x12") ? "X12 810" : "EDIFACT INVOIC";
            case OutboundDocument.CREDIT_NOTE -> d.standard().equals("x12") ? "X12 810 credit memo" : "EDIFACT INVOIC 381";
            default -> d.type();
        };
        return kind;
    }

    /** The transport took the document: recorded SENT. */
    public void sent(Exchange exchange) {
        documents.sent(exchange.getProperty(DOCUMENT, OutboundDocument.class), exchange.getProperty(CALLBACK_ANSWER, String.class));
    }
}
