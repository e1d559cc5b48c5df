package io.orderhub.outbound;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Checks an outbound cXML document against the structure cXML requires before it is sent
 * (docs/b2b-outbound.md, "cXML"). No published cXML DTD is available to the hub offline, so the document is
 * validated by the XML parser against {@code cxml-outbound.dtd} next to this class: our own statement of the
 * part of the cXML 1.2 DTD the outbound documents use (elements in their order, required children and
 * attributes, enumerated values), whatever system id the document's DOCTYPE names (nothing is fetched).
 * What a DTD cannot say is checked after: amounts ({@code Money}) and quantities are decimals, line numbers
 * whole numbers, currencies three capital letters, dates ISO 8601 with a time zone, and payload ids and
 * identities are not blank. Every problem is returned as "line:column: message" or "element/@attribute: problem".
 */
public final class CxmlStructure {

    /** The DOCTYPE system ids a document may name (cXML.dtd, Fulfill.dtd, InvoiceDetail.dtd of any version). */
    static final Pattern SYSTEM_ID = Pattern.compile("https?://xml\\.cxml\\.org/schemas/cXML/[0-9.]+/(cXML|Fulfill|InvoiceDetail)\\.dtd",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern WHOLE = Pattern.compile("\\d+");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Set<String> DECIMALS = Set.of("quantity", "percentageRate");
    private static final Set<String> WHOLES = Set.of("lineNumber", "invoiceLineNumber", "shipNoticeLineNumber",
            "payInNumberOfDays");
    private static final Set<String> DATES = Set.of("timestamp", "noticeDate", "invoiceDate", "orderDate", "shipmentDate",
            "deliveryDate");
    private static final byte[] SUBSET = subset();

    private CxmlStructure() {
    }

    private static byte[] subset() {
        try (InputStream in = CxmlStructure.class.getResourceAsStream("cxml-outbound.dtd")) {
            if (in == null) {
                throw new IllegalStateException("cxml-outbound.dtd is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every problem of the document; empty when it is a valid cXML document of the kinds the hub writes. */
    public static List<String> check(String text) {
        List<String> errors = new ArrayList<>();
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setValidating(true);
            f.setNamespaceAware(false);
            f.setExpandEntityReferences(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            DocumentBuilder b = f.newDocumentBuilder();
            // the DTD named by the DOCTYPE is always our subset; any other external entity is empty
            b.setEntityResolver((publicId, systemId) -> {
                InputSource s = new InputSource(new ByteArrayInputStream(
                        systemId != null && systemId.toLowerCase(java.util.Locale.ROOT).endsWith(".dtd") ? SUBSET : new byte[0]));
                s.setSystemId("classpath:io/orderhub/outbound/cxml-outbound.dtd");
                return s;
            });
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) {
                    errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            doc = b.parse(new InputSource(new StringReader(text)));
        } catch (SAXParseException e) {
            errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
            return errors;
        } catch (SAXException | IOException | ParserConfigurationException e) {
            errors.add("the document cannot be read: " + e.getMessage());
            return errors;
        }
        if (doc.getDoctype() == null || doc.getDoctype().getSystemId() == null
                || !SYSTEM_ID.matcher(doc.getDoctype().getSystemId()).matches()) {
            errors.add("DOCTYPE: a cXML document names its DTD (http://xml.cxml.org/schemas/cXML/<version>/Fulfill.dtd or"
                    + " InvoiceDetail.dtd)");
        }
        values(doc.getDocumentElement(), errors);
        return errors;
    }

    private static void values(Element e, List<String> errors) {
        String name = e.getTagName();
        NamedNodeMap attributes = e.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            String v = a.getValue();
            String at = name + "/@" + a.getName();
            if (DECIMALS.contains(a.getName()) && !DECIMAL.matcher(v).matches()) {
                errors.add(at + ": '" + v + "' is not a decimal number");
            } else if (WHOLES.contains(a.getName()) && !WHOLE.matcher(v).matches()) {
                errors.add(at + ": '" + v + "' is not a whole number");
            } else if (DATES.contains(a.getName()) && !dateTime(v)) {
                errors.add(at + ": '" + v + "' is not an ISO 8601 date and time with its offset");
            } else if (a.getName().equals("payloadID") && v.isBlank()) {
                errors.add(at + ": empty");
            } else if (name.equals("Money") && a.getName().equals("currency") && !CURRENCY.matcher(v).matches()) {
                errors.add(at + ": '" + v + "' is not an ISO 4217 currency code");
            }
        }
        if (name.equals("Money") && !DECIMAL.matcher(e.getTextContent().strip()).matches()) {
            errors.add("Money: '" + e.getTextContent() + "' is not a decimal amount");
        }
        if ((name.equals("Identity") || name.equals("CarrierIdentifier") || name.equals("ShipmentIdentifier")
                || name.equals("UnitOfMeasure")) && e.getTextContent().isBlank()) {
            errors.add(name + ": empty");
        }
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                values(child, errors);
            }
        }
    }

    private static boolean dateTime(String v) {
        try {
            OffsetDateTime.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
