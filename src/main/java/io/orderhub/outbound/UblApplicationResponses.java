package io.orderhub.outbound;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads a partner's UBL 2.1 ApplicationResponse (docs/b2b-outbound.md, "The partner's acknowledgement"): a Peppol
 * Message Level Response (BIS MLR 3) or Invoice Response (BIS Invoice Response 3), or any plain UBL
 * ApplicationResponse. Each {@code cac:DocumentResponse} names one document of ours by
 * {@code cac:DocumentReference/cbc:ID} (our UBL document's own ID: the OrderResponse's {@code <orderId>-<control
 * number>}, the DespatchAdvice's and the Invoice's order id; or our document id {@code DOC-…}), optionally with
 * {@code cbc:DocumentTypeCode} (UNCL 1001: 231 order response, 351 despatch advice, 380/381/383/384/386/389/751
 * invoice), and answers it with {@code cac:Response/cbc:ResponseCode} (UNCL 4343 as Peppol uses it):
 * <ul>
 *   <li>{@code RE} (rejected): REJECTED;</li>
 *   <li>{@code AP} (accepted), {@code AB} (message acknowledged), {@code IP} (in process), {@code UQ} (under
 *   query), {@code CA} (conditionally accepted), {@code PD} (paid): ACKNOWLEDGED, the partner has the document
 *   (a code other than AP or AB keeps its text as the reason);</li>
 *   <li>any other code: not understood, reported unmatched with the code.</li>
 * </ul>
 * The reason is the code with {@code cac:Response/cbc:Description}, each {@code cac:Status} ({@code
 * cbc:StatusReasonCode}, {@code cbc:StatusReason}) and each {@code cac:LineResponse} (line id, code, description):
 * {@code ApplicationResponse RE: Invoice refused; BV: Buyer reference missing; line 1 (RE): unknown item}.
 * No Camel, no network: the XML is parsed with DTDs and external entities refused.
 */
public final class UblApplicationResponses {

    static final String NS = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2";
    static final String CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    static final String CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    /** The receipt format of a partner's UBL ApplicationResponse taken by the e-mail and JMS intake. */
    public static final String FORMAT = "ubl-application-response";

    static final Set<String> ACKNOWLEDGING = Set.of("AP", "AB", "IP", "UQ", "CA", "PD");
    static final Set<String> REJECTING = Set.of("RE");
    static final Set<String> INVOICE_CODES = Set.of("380", "381", "383", "384", "386", "389", "751");

    private UblApplicationResponses() {
    }

    /**
     * What one DocumentResponse said: the reference (our document's UBL ID, or our document id), the document type it
     * names (order-response, ship-notice, invoice, or null when it names none), the sender's endpoint
     * ({@code scheme:id}, or null), and the verdict: accepted, or not with the reason; {@code understood} false for a
     * response code the hub does not know.
     */
    public record Verdict(String reference, String type, String partner, String code, boolean understood,
                          boolean accepted, String reason) {
    }

    /** True when the bytes are XML whose root is a UBL 2.1 ApplicationResponse (a cheap look first). */
    public static boolean isApplicationResponse(byte[] content) {
        String start = new String(content, 0, Math.min(content.length, 4096), java.nio.charset.StandardCharsets.UTF_8)
                .stripLeading();
        if (!start.startsWith("<") || !start.contains("ApplicationResponse")) {
            return false;
        }
        try {
            Element root = parse(content).getDocumentElement();
            return NS.equals(root.getNamespaceURI()) && "ApplicationResponse".equals(root.getLocalName());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The verdicts of every DocumentResponse, in document order; a clear error for anything that is not one. */
    public static List<Verdict> verdicts(byte[] content) {
        Document doc;
        try {
            doc = parse(content);
        } catch (RuntimeException e) {
            throw OrderHubException.field(Problem.INVALID, "body", "the ApplicationResponse cannot be read: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!NS.equals(root.getNamespaceURI()) || !"ApplicationResponse".equals(root.getLocalName())) {
            throw OrderHubException.field(Problem.INVALID, "body", "not a UBL 2.1 ApplicationResponse (root "
                    + root.getNodeName() + ")");
        }
        // a Peppol Invoice Response answers invoices only: its references name our Invoice
        boolean invoiceResponse = child(root, CBC, "CustomizationID").map(UblApplicationResponses::text)
                .filter(c -> c.contains("invoice_response")).isPresent();
        String partner = child(root, CAC, "SenderParty").flatMap(p -> child(p, CBC, "EndpointID"))
                .map(e -> attribute(e, "schemeID") + ":" + text(e)).orElse(null);
        List<Verdict> out = new ArrayList<>();
        for (Element response : children(root, CAC, "DocumentResponse")) {
            Optional<Element> reference = child(response, CAC, "DocumentReference");
            String id = reference.flatMap(r -> child(r, CBC, "ID")).map(UblApplicationResponses::text).orElse("");
            if (id.isEmpty()) {
                throw OrderHubException.field(Problem.INVALID, "body", "DocumentResponse " + (out.size() + 1)
                        + ": cac:DocumentReference/cbc:ID is missing: it names the document answered");
            }
            String typeCode = reference.flatMap(r -> child(r, CBC, "DocumentTypeCode")).map(UblApplicationResponses::text)
                    .orElse("");
            Element r = child(response, CAC, "Response").orElseThrow(() -> OrderHubException.field(Problem.INVALID, "body",
                    "DocumentResponse for " + id + ": cac:Response is missing"));
            String code = child(r, CBC, "ResponseCode").map(UblApplicationResponses::text).orElse("")
                    .toUpperCase(Locale.ROOT);
            if (code.isEmpty()) {
                throw OrderHubException.field(Problem.INVALID, "body", "DocumentResponse for " + id
                        + ": cac:Response/cbc:ResponseCode is missing");
            }
            boolean rejected = REJECTING.contains(code);
            boolean understood = rejected || ACKNOWLEDGING.contains(code);
            List<String> notes = notes(r);
            for (Element line : children(response, CAC, "LineResponse")) {
                String lineId = child(line, CAC, "LineReference").flatMap(l -> child(l, CBC, "LineID"))
                        .map(UblApplicationResponses::text).orElse("?");
                for (Element lr : children(line, CAC, "Response")) {
                    String lineCode = child(lr, CBC, "ResponseCode").map(UblApplicationResponses::text).orElse("");
                    List<String> lineNotes = notes(lr);
                    notes.add("line " + lineId + (lineCode.isEmpty() ? "" : " (" + lineCode + ")")
                            + (lineNotes.isEmpty() ? "" : ": " + String.join(", ", lineNotes)));
                }
            }
            String reason = code.equals("AP") || code.equals("AB") ? (notes.isEmpty() ? null
                    : "ApplicationResponse " + code + ": " + String.join("; ", notes))
                    : "ApplicationResponse " + code + (notes.isEmpty() ? "" : ": " + String.join("; ", notes));
            String type = type(typeCode);
            out.add(new Verdict(id, type == null && invoiceResponse ? OutboundDocument.INVOICE : type, partner, code, understood, understood && !rejected, reason));
        }
        if (out.isEmpty()) {
            throw OrderHubException.field(Problem.INVALID, "body", "the ApplicationResponse holds no cac:DocumentResponse");
        }
        return out;
    }

    /** Our document type for a UNCL 1001 code, or null (no code, or one we never send). */
    static String type(String code) {
        if (code == null || code.isEmpty()) {
            return null;
        }
        if (code.equals("231")) {
            return OutboundDocument.ORDER_RESPONSE;
        }
        if (code.equals("351")) {
            return OutboundDocument.SHIP_NOTICE;
        }
        if (INVOICE_CODES.contains(code)) {
            return OutboundDocument.INVOICE;
        }
        return "unknown:" + code;
    }

    /** Description(s), then each Status as "reason code: reason" of a cac:Response. */
    private static List<String> notes(Element response) {
        List<String> notes = new ArrayList<>();
        for (Element d : children(response, CBC, "Description")) {
            if (!text(d).isEmpty()) {
                notes.add(text(d));
            }
        }
        for (Element s : children(response, CAC, "Status")) {
            String code = child(s, CBC, "StatusReasonCode").map(UblApplicationResponses::text).orElse("");
            String why = children(s, CBC, "StatusReason").stream().map(UblApplicationResponses::text)
                    .filter(t -> !t.isEmpty()).reduce((a, b) -> a + " " + b).orElse("");
            if (!code.isEmpty() || !why.isEmpty()) {
                notes.add(code.isEmpty() ? why : why.isEmpty() ? code : code + ": " + why);
            }
        }
        return notes;
    }

    private static Document parse(byte[] content) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(content));
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent, String ns, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Optional<Element> child(Element parent, String ns, String name) {
        return children(parent, ns, name).stream().findFirst();
    }

    private static String text(Element e) {
        return e.getTextContent() == null ? "" : e.getTextContent().strip().replaceAll("\\s+", " ");
    }

    private static String attribute(Element e, String name) {
        return e.getAttribute(name).strip();
    }
}
