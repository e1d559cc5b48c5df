package io.orderhub.format.edi;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.stream.StreamSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.FieldError;
import io.orderhub.format.edi.EdiModel.Interchange;
import io.orderhub.format.edi.EdiModel.Segment;
import io.orderhub.format.edi.EdiModel.Transaction;
import net.sf.saxon.s9api.BuildingStreamWriter;
import net.sf.saxon.s9api.Processor;
import net.sf.saxon.s9api.SaxonApiException;
import net.sf.saxon.s9api.XdmArray;
import net.sf.saxon.s9api.XdmAtomicValue;
import net.sf.saxon.s9api.XdmEmptySequence;
import net.sf.saxon.s9api.XdmItem;
import net.sf.saxon.s9api.XdmMap;
import net.sf.saxon.s9api.XdmNode;
import net.sf.saxon.s9api.XdmValue;
import net.sf.saxon.s9api.XsltExecutable;
import net.sf.saxon.s9api.Xslt30Transformer;
import net.sf.saxon.value.BooleanValue;
import net.sf.saxon.value.DecimalValue;
import net.sf.saxon.value.IntegerValue;

/**
 * Runs an XSLT 3 mapping file over one transaction set / message. The transaction is handed to the
 * stylesheet as a generic tree, the same for X12 and EDIFACT:
 *
 * <pre>{@code
 * <transaction standard="X12" number="1" type="850" control="0001" version="004010" decimal=".">
 *   <s t="BEG" n="4" i="2" e1="00" e2="SA" e3="4600000406" e5="20140724"/>
 *   <s t="NAD" n="7" i="5" e1="BY" e2="5412345000176" e2.3="9"/>
 * </transaction>}</pre>
 *
 * {@code t} is the tag, {@code n} the segment's position in the interchange, {@code i} its position in
 * the transaction (ST/UNH = 1); {@code eK} is element K (its first component) and {@code eK.J} component
 * J &gt; 1; empty elements are left out. The stylesheet returns a map: {@code order} (the canonical order;
 * amounts as xs:decimal, never xs:double) and optionally {@code errors}, an array of maps
 * {@code {field, message}}. A dynamic error raised with a description {@code "field|message"} becomes that
 * error. Stylesheets are compiled once per file version through {@code MappingFiles.cached}.
 */
final class EdiMapping {

    private static final Processor SAXON = new Processor(false);

    private final XsltExecutable stylesheet;

    private EdiMapping(XsltExecutable stylesheet) {
        this.stylesheet = stylesheet;
    }

    static EdiMapping compile(String name, byte[] xslt) {
        try {
            return new EdiMapping(SAXON.newXsltCompiler().compile(
                    new StreamSource(new ByteArrayInputStream(xslt), "mappings/" + name)));
        } catch (SaxonApiException e) {
            throw new IllegalStateException("mapping " + name + " does not compile: " + e.getMessage(), e);
        }
    }

    /**
     * One order the mapping made of a transaction, with its errors; {@code documentId} is the document's own number
     * for it when the mapping names one ({@code documentId} beside {@code order}: a split delivery's orders are
     * named by the purchase order they come from), else null.
     */
    record Outcome(JsonNode order, String documentId, List<FieldError> errors) {
    }

    /** The transaction's (first) order: for naming a transaction that is not mapped. */
    Outcome map(Interchange interchange, Transaction transaction) {
        return mapEach(interchange, transaction).get(0);
    }

    /**
     * The orders the mapping makes of one transaction: one for a map {order, errors}; several when the mapping
     * returns {orders: [{order, errors, documentId?}, ...]} (e.g. one order per ship-to of a split delivery).
     */
    List<Outcome> mapEach(Interchange interchange, Transaction transaction) {
        try {
            XdmNode tree = tree(interchange, transaction);
            Xslt30Transformer transformer = stylesheet.load30();
            transformer.setGlobalContextItem(tree);
            XdmValue result = transformer.applyTemplates(tree);
            if (!(result instanceof XdmMap map)) {
                throw new IllegalStateException("the EDI mapping must return a map {order, errors} or {orders}");
            }
            XdmValue several = map.get("orders");
            if (several != null && several.size() > 0) {
                List<Outcome> outcomes = new ArrayList<>();
                for (XdmItem part : several instanceof XdmArray array ? array.asList().stream()
                        .flatMap(v -> java.util.stream.StreamSupport.stream(v.spliterator(), false)).toList()
                        : java.util.stream.StreamSupport.stream(several.spliterator(), false).toList()) {
                    if (!(part instanceof XdmMap one)) {
                        throw new IllegalStateException("each of the EDI mapping's orders must be a map {order, errors}");
                    }
                    outcomes.add(outcome(one));
                }
                if (!outcomes.isEmpty()) {
                    return outcomes;
                }
            }
            return List.of(outcome(map));
        } catch (SaxonApiException e) {
            String text = e.getMessage() == null ? "" : e.getMessage();
            int bar = text.indexOf('|');
            FieldError error = bar > 0 ? FieldError.of(text.substring(0, bar).trim(), text.substring(bar + 1).trim())
                    : FieldError.of((EdiParser.X12.equals(interchange.standard) ? "transaction set " : "message ")
                            + transaction.number, "cannot be mapped: " + text);
            return List.of(new Outcome(null, null, List.of(error)));
        }
    }

    private static Outcome outcome(XdmMap map) {
        JsonNode order = null;
        List<FieldError> errors = new ArrayList<>();
        XdmValue orderValue = map.get("order");
        if (orderValue != null && orderValue.size() > 0) {
            order = json(orderValue, "order");
        }
        XdmValue errorValue = map.get("errors");
        if (errorValue != null && errorValue.size() > 0) {
            for (JsonNode e : json(errorValue, "errors")) {
                errors.add(FieldError.of(e.path("field").asText(), e.path("message").asText()));
            }
        }
        XdmValue documentId = map.get("documentId");
        return new Outcome(order, documentId == null || documentId.size() == 0 ? null
                : documentId.itemAt(0).getStringValue(), errors);
    }

    private static XdmNode tree(Interchange interchange, Transaction transaction) throws SaxonApiException {
        BuildingStreamWriter writer = SAXON.newDocumentBuilder().newBuildingStreamWriter();
        try {
            writer.writeStartDocument();
            writer.writeStartElement("transaction");
            writer.writeAttribute("standard", interchange.standard);
            writer.writeAttribute("number", Integer.toString(transaction.number));
            writer.writeAttribute("type", transaction.type);
            writer.writeAttribute("control", transaction.control);
            writer.writeAttribute("version", transaction.version);
            writer.writeAttribute("decimal", String.valueOf(interchange.decimalMark));
            int index = 0;
            for (Segment segment : transaction.segments) {
                segment(writer, segment, ++index);
            }
            writer.writeEndElement();
            writer.writeEndDocument();
            return writer.getDocumentNode();
        } catch (XMLStreamException e) {
            throw new SaxonApiException(e);
        }
    }

    private static void segment(XMLStreamWriter writer, Segment segment, int index) throws XMLStreamException {
        writer.writeStartElement("s");
        writer.writeAttribute("t", segment.tag());
        writer.writeAttribute("n", Integer.toString(segment.position()));
        writer.writeAttribute("i", Integer.toString(index));
        for (int e = 0; e < segment.elements().size(); e++) {
            List<String> components = segment.elements().get(e);
            for (int c = 0; c < components.size(); c++) {
                String value = components.get(c);
                if (!value.isEmpty()) {
                    writer.writeAttribute("e" + (e + 1) + (c == 0 ? "" : "." + (c + 1)), xmlSafe(value));
                }
            }
        }
        writer.writeEndElement();
    }

    /** Control characters XML cannot hold become spaces (EDI text may carry them). */
    private static String xmlSafe(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                if (out == null) {
                    out = new StringBuilder(value);
                }
                out.setCharAt(i, ' ');
            }
        }
        return out == null ? value : out.toString();
    }

    /** XDM to JSON, exactly: xs:decimal stays BigDecimal, xs:double is refused (a mapping bug). */
    static JsonNode json(XdmValue value, String path) {
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
        if (value instanceof XdmMap map) {
            ObjectNode object = nodes.objectNode();
            for (Map.Entry<XdmAtomicValue, XdmValue> entry : map.asMap().entrySet()) {
                XdmValue v = entry.getValue();
                if (v.size() == 0) {
                    continue; // absent optional field
                }
                String key = entry.getKey().getStringValue();
                object.set(key, json(v, path + "/" + key));
            }
            return object;
        }
        if (value instanceof XdmArray array) {
            ArrayNode out = nodes.arrayNode();
            int i = 0;
            for (XdmValue member : array.asList()) {
                if (member.size() > 0) {
                    out.add(json(member, path + "/" + i++));
                }
            }
            return out;
        }
        if (value.size() > 1) {
            ArrayNode out = nodes.arrayNode();
            int i = 0;
            for (XdmItem item : value) {
                out.add(json(item, path + "/" + i++));
            }
            return out;
        }
        if (value instanceof XdmEmptySequence || value.size() == 0) {
            return nodes.nullNode();
        }
        XdmItem item = value.itemAt(0);
        if (item instanceof XdmAtomicValue atomic) {
            Object underlying = atomic.getUnderlyingValue();
            if (underlying instanceof IntegerValue) {
                BigDecimal integer = new BigDecimal(atomic.getStringValue());
                return integer.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                        ? nodes.numberNode(integer.intValueExact()) : nodes.numberNode(integer);
            }
            if (underlying instanceof DecimalValue) {
                return nodes.numberNode(new BigDecimal(atomic.getStringValue()));
            }
            if (underlying instanceof BooleanValue b) {
                return nodes.booleanNode(b.getBooleanValue());
            }
            if (underlying instanceof net.sf.saxon.value.NumericValue) {
                throw new IllegalStateException("the EDI mapping produced a floating-point number at " + path
                        + ": amounts must be xs:decimal");
            }
            return nodes.textNode(atomic.getStringValue());
        }
        if (item instanceof XdmMap || item instanceof XdmArray) {
            return json(item, path);
        }
        return nodes.textNode(item.getStringValue());
    }
}
