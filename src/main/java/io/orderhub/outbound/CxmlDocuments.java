package io.orderhub.outbound;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import freemarker.core.TemplateClassResolver;
import freemarker.core.XMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.TemplateExceptionHandler;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.mapping.MappingFiles;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Writes the cXML documents of a channel's partner (docs/b2b-outbound.md, "cXML"): ConfirmationRequest
 * (order response), ShipNoticeRequest (ship notice) and InvoiceDetailRequest (invoice), each from its mapping
 * {@code mappings/outbound/cxml/<type>.ftl} (Freemarker in XML output: every value is escaped), then checked by
 * {@link CxmlStructure}; a document with any problem is HELD with them and never sent. cXML has no control
 * numbers: a document is named by its {@code payloadID}, made from the document id (the same on every attempt).
 * The envelope's credentials are the channel's {@code outbound.cxml} ids: ours ({@code senderQualifier} = the
 * credential domain, {@code senderId} = the identity) in From and Sender, the partner's in To; OrderReference
 * names the buyer's PO number and the payloadID of the OrderRequest the order came in.
 */
@Component
public class CxmlDocuments {

    public static final String CXML = "cxml";
    public static final String CONTENT_TYPE = "application/xml";
    /** The cXML version the documents declare (DOCTYPE and the version attribute). */
    public static final String VERSION = "1.2.050";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final MappingFiles mappings;
    private final CxmlOrderSource sources;
    private final Configuration freemarker;

    @Autowired
    public CxmlDocuments(MappingFiles mappings, CxmlOrderSource sources) {
        this.mappings = mappings;
        this.sources = sources;
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setDefaultEncoding(StandardCharsets.UTF_8.name());
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setNumberFormat("computer");
        c.setAPIBuiltinEnabled(false);
        c.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        c.setOutputFormat(XMLOutputFormat.INSTANCE);
        c.setAutoEscapingPolicy(Configuration.ENABLE_IF_DEFAULT_AUTO_ESCAPING_POLICY);
        this.freemarker = c;
    }

    public static String mapping(String type) {
        return EdiDocuments.DIR + CXML + "/" + type + ".ftl";
    }

    /** The document's name in a mail: cXML ConfirmationRequest, ShipNoticeRequest, InvoiceDetailRequest. */
    public static String label(String type) {
        return "cXML " + switch (type) {
            case OutboundDocument.ORDER_RESPONSE -> "ConfirmationRequest";
            case OutboundDocument.SHIP_NOTICE -> "ShipNoticeRequest";
            case OutboundDocument.INVOICE -> "InvoiceDetailRequest";
            case OutboundDocument.CREDIT_NOTE -> "InvoiceDetailRequest (credit memo)";
            default -> type;
        };
    }

    /** What a cXML {@code Response} said of a document: its Status code, text and content. */
    public record ResponseStatus(String code, String text, String content) {

        /** 2xx: the partner took the document. */
        public boolean accepted() {
            return code.startsWith("2");
        }

        /** 4xx: the partner refused it for good (5xx and others are temporary or unknown: nothing is decided). */
        public boolean rejected() {
            return code.startsWith("4");
        }

        public String reason() {
            return "cXML Response " + code + (text.isBlank() ? "" : " " + text) + (content.isBlank() ? "" : ": " + content);
        }
    }

    /**
     * The Status of the cXML {@code Response} a partner answered a posted document with (cXML's synchronous
     * answer), read without loading DTDs or entities; empty when the answer is not a cXML Response.
     */
    public static Optional<ResponseStatus> responseStatus(String answer) {
        if (answer == null || !answer.contains("<cXML")) {
            return Optional.empty();
        }
        javax.xml.stream.XMLInputFactory f = javax.xml.stream.XMLInputFactory.newFactory();
        f.setProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            javax.xml.stream.XMLStreamReader r = f.createXMLStreamReader(new StringReader(answer));
            boolean inResponse = false;
            while (r.hasNext()) {
                int e = r.next();
                if (e == javax.xml.stream.XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (name.equals("Response")) {
                        inResponse = true;
                    } else if (inResponse && name.equals("Status")) {
                        String code = Optional.ofNullable(r.getAttributeValue(null, "code")).orElse("").strip();
                        String text = Optional.ofNullable(r.getAttributeValue(null, "text")).orElse("").strip();
                        String content = r.getElementText().strip();
                        if (content.length() > 500) {
                            content = content.substring(0, 500);
                        }
                        return code.isEmpty() ? Optional.empty() : Optional.of(new ResponseStatus(code, text, content));
                    }
                }
            }
        } catch (javax.xml.stream.XMLStreamException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    public boolean hasMapping(String type) {
        return mappings.exists(mapping(type));
    }

    /**
     * The document for this event, not yet recorded: PENDING when written and valid, else HELD with the problems
     * (no mapping, no {@code outbound.cxml} ids, a mapping that fails, or what {@link CxmlStructure} found).
     *
     * @param model what {@link EdiDocumentModel} makes of the event for standard cxml (values unescaped)
     */
    public OutboundDocument make(JsonNode event, Channel channel, String type, Map<String, Object> model, String documentId,
                                 Instant now) {
        Channel.PartnerIds ids = channel.outbound().cxml();
        String problem = null;
        if (!hasMapping(type)) {
            problem = "no mapping mappings/" + mapping(type);
        } else if (ids == null || blank(ids.senderQualifier()) || blank(ids.senderId()) || blank(ids.receiverQualifier())
                || blank(ids.receiverId())) {
            problem = ChannelRegistry.FILE + ": channel '" + channel.id() + "' outbound.cxml names no senderQualifier,"
                    + " senderId, receiverQualifier and receiverId for the credentials";
        }
        String text = "";
        if (problem == null) {
            String orderId = event.path("orderId").asText();
            Map<String, Object> m = cxmlModel(event, type, model, ids, documentId, now,
                    sources == null ? Optional.empty() : sources.payloadId(orderId));
            try {
                text = render(mapping(type), m);
                List<String> errors = CxmlStructure.check(text);
                problem = errors.isEmpty() ? null : String.join("; ", errors);
            } catch (EdiDocuments.MappingFailure e) {
                problem = e.getMessage();
            }
        }
        return new OutboundDocument(documentId, event.path("eventId").asText(), event.path("type").asText(), channel.id(),
                event.path("orderId").asText(), type, CXML, ids == null ? channel.id() : ids.partnerKey(), null, null, null,
                problem == null || !text.isEmpty() ? CONTENT_TYPE : "text/plain", text.getBytes(StandardCharsets.UTF_8),
                problem == null ? OutboundDocument.PENDING : OutboundDocument.HELD, channel.outbound().transport().type(),
                problem, null, 0, now, null, null);
    }

    /**
     * What a cXML mapping sees besides the event's model: {@code payloadID} ({@code <epoch millis>.<document
     * id>@orderhub}), {@code timestamp} and {@code noticeDate} (the document's time, ISO 8601 with offset),
     * {@code from}/{@code to} ({@code domain}, {@code identity}), {@code deploymentMode} (test when the ids'
     * usage is T), {@code orderReference} ({@code orderID} = the buyer's PO number, {@code orderDate},
     * {@code payloadID} of the inbound OrderRequest, else the PO number), {@code currency}; per type: for the
     * order response {@code confirmationType} (accept, or detail when a line is backordered), {@code operation}
     * (update when it replaces a backorder response) and per line {@code acceptedQuantity} and
     * {@code backorderedQuantity}; for the ship notice {@code items} (per order line the quantity shipped in
     * all parcels) and {@code fulfillmentType}; for the invoice {@code gross} (subtotal + tax + shipping) and the
     * discount as a positive amount.
     */
    Map<String, Object> cxmlModel(JsonNode event, String type, Map<String, Object> base, Channel.PartnerIds ids,
                                  String documentId, Instant now, Optional<String> inboundPayloadId) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        JsonNode order = event.path("data").path("order");
        String time = DATE_TIME.format(now.atOffset(ZoneOffset.UTC));
        m.put("payloadID", now.toEpochMilli() + "." + documentId + "@orderhub");
        m.put("timestamp", time);
        m.put("noticeDate", time);
        m.put("from", Map.of("domain", ids.senderQualifier(), "identity", ids.senderId()));
        m.put("to", Map.of("domain", ids.receiverQualifier(), "identity", ids.receiverId()));
        m.put("deploymentMode", "T".equals(ids.usage()) ? "test" : "production");
        String po = order.path("externalId").asText("");
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("orderID", po);
        ref.put("orderDate", dateTime(order.path("orderDate").asText("")));
        ref.put("payloadID", inboundPayloadId.filter(p -> !p.isBlank()).orElse(po));
        m.put("orderReference", ref);
        m.put("currency", order.path("currency").asText(""));
        if (OutboundDocument.ORDER_RESPONSE.equals(type)) {
            m.put("confirmationType", Boolean.TRUE.equals(base.get("allAccepted")) ? "accept" : "detail");
            m.put("operation", Boolean.TRUE.equals(base.get("replaces")) ? "update" : "new");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> lines = (List<Map<String, Object>>) base.get("lines");
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> line : lines) {
                Map<String, Object> l = new LinkedHashMap<>(line);
                BigDecimal quantity = new BigDecimal(String.valueOf(line.get("quantity")));
                BigDecimal accepted = "BACKORDERED".equals(line.get("status"))
                        ? new BigDecimal(String.valueOf(line.get("available"))).min(quantity).max(BigDecimal.ZERO) : quantity;
                l.put("acceptedQuantity", EdiText.number(accepted));
                l.put("backorderedQuantity", EdiText.number(quantity.subtract(accepted)));
                out.add(l);
            }
            m.put("lines", out);
        }
        if (OutboundDocument.SHIP_NOTICE.equals(type)) {
            Map<String, Map<String, Object>> items = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> parcels = (List<Map<String, Object>>) base.get("shipments");
            for (Map<String, Object> parcel : parcels) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> lines = (List<Map<String, Object>>) parcel.get("lines");
                for (Map<String, Object> line : lines) {
                    Map<String, Object> item = items.computeIfAbsent(String.valueOf(line.get("lineNo")), k -> {
                        Map<String, Object> i = new LinkedHashMap<>(line);
                        i.put("shippedQuantity", "0");
                        return i;
                    });
                    item.put("shippedQuantity", EdiText.number(new BigDecimal(String.valueOf(item.get("shippedQuantity")))
                            .add(new BigDecimal(String.valueOf(line.get("shippedQuantity"))))));
                }
            }
            List<Map<String, Object>> list = new ArrayList<>(items.values());
            list.sort(java.util.Comparator.comparing(i -> Integer.parseInt(String.valueOf(i.get("lineNo")))));
            m.put("items", list);
            boolean complete = true;
            for (JsonNode line : order.path("lines")) {
                Map<String, Object> item = items.get(line.path("lineNo").asText());
                if (item == null || new BigDecimal(String.valueOf(item.get("shippedQuantity")))
                        .compareTo(line.path("quantity").decimalValue()) < 0) {
                    complete = false;
                }
            }
            m.put("fulfillmentType", complete ? "complete" : "partial");
        }
        if (OutboundDocument.INVOICE.equals(type)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> totals = new LinkedHashMap<>((Map<String, Object>) base.get("totals"));
            BigDecimal gross = BigDecimal.ZERO;
            for (String key : List.of("subtotal", "tax", "shipping")) {
                gross = gross.add(new BigDecimal(String.valueOf(totals.get(key))));
            }
            totals.put("discount", EdiText.number(new BigDecimal(String.valueOf(totals.get("discount"))).abs()));
            m.put("totals", totals);
            m.put("gross", EdiText.number(gross));
        }
        return m;
    }

    /** An ISO date or date-time as cXML's datetime.tz ({@code 2024-01-15} → {@code 2024-01-15T00:00:00+00:00}). */
    static String dateTime(String iso) {
        if (iso == null || iso.isBlank()) {
            return "";
        }
        try {
            return DATE_TIME.format(OffsetDateTime.parse(iso));
        } catch (DateTimeParseException e) {
            try {
                return DATE_TIME.format(LocalDate.parse(iso.length() >= 10 ? iso.substring(0, 10) : iso)
                        .atStartOfDay().atOffset(ZoneOffset.UTC));
            } catch (DateTimeParseException e2) {
                return iso;
            }
        }
    }

    String render(String file, Map<String, Object> model) {
        String out = EdiDocuments.process(EdiDocuments.template(mappings, freemarker, file), file, model);
        // the XML declaration must be the document's first characters: the header comment leaves blank lines
        return out.stripLeading();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
