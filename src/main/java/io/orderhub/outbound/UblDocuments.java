package io.orderhub.outbound;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.Templates;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import freemarker.cache.TemplateLoader;
import freemarker.core.TemplateClassResolver;
import freemarker.core.XMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateExceptionHandler;
import io.orderhub.channel.Channel.PartnerIds;
import io.orderhub.mapping.MappingFiles;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Writes UBL 2.1 documents (OrderResponse, DespatchAdvice, and the Invoice and CreditNote after Peppol BIS Billing 3) and checks
 * them before they go (docs/b2b-outbound.md). A document is the output of its mapping, a Freemarker file
 * {@code mappings/outbound/ubl/<type>.ftl} in XML output format (every value escaped by Freemarker), given the model
 * of the EDI documents ({@link EdiDocumentModel}) plus ISO dates, the seller's party
 * ({@code orderhub.outbound.ubl.seller.*}), the partner's endpoint (the channel's {@code outbound.ubl}), the tax
 * category and the invoice's amounts. It is then validated with {@code javax.xml.validation} against the OASIS
 * UBL 2.1 maindoc XSD of its root (from {@code com.helger.ubl:ph-ubl21}, the schemas it imports without a location
 * from {@code com.helger.xsd:ph-xsds-*}), and an invoice or credit note also against the EN 16931 and Peppol BIS Billing 3
 * Schematron rules (precompiled XSLT from {@code com.helger.phive.rules:phive-rules-peppol}, applied with Saxon):
 * every failed assertion flagged fatal (or unflagged) is an error, warnings are not. A document with any error is
 * held, never sent.
 */
@Component
public class UblDocuments {

    public static final String UBL = "ubl";
    static final String DIR = "outbound/ubl/";
    /** The Schematron rule files (precompiled XSLT), applied in this order to an invoice. */
    static final List<String> INVOICE_RULES = List.of(
            "external/schematron/openpeppol/2024.5/xslt/CEN-EN16931-UBL.xslt",
            "external/schematron/openpeppol/2024.5/xslt/PEPPOL-EN16931-UBL.xslt");
    /** The schemas the UBL 2.1 XSDs of ph-ubl21 import by namespace only. */
    private static final List<String> IMPORTED_SCHEMAS = List.of("schemas/CCTS_CCT_SchemaModule.xsd",
            "schemas/xmldsig-core-schema.xsd", "schemas/XAdES01903v132-201601.xsd", "schemas/XAdES01903v141-201601.xsd");
    private static final String SVRL = "http://purl.oclc.org/dsdl/svrl";
    /** UN/ECE Rec 20 codes of units the canonical order may carry in another code list (EDIFACT PCE). */
    private static final Map<String, String> UNITS = Map.of("PCE", "H87", "PK", "XPK", "CT", "XCT");

    /** The root element of each document type. */
    static final Map<String, String> ROOTS = Map.of(
            OutboundDocument.ORDER_RESPONSE, "OrderResponse",
            OutboundDocument.SHIP_NOTICE, "DespatchAdvice",
            OutboundDocument.INVOICE, "Invoice",
            OutboundDocument.CREDIT_NOTE, "CreditNote");

    /** Our party as a UBL document names it (orderhub.outbound.ubl.seller.*). */
    public record Seller(String name, String endpointScheme, String endpointId, String vatId, String street,
                         String city, String postalCode, String country, String iban) {
    }

    /** A VAT category (UNCL 5305 code: S standard, Z zero rated, ...) with its rate in percent. */
    public record TaxCategory(String id, BigDecimal percent) {
    }

    /** A written document: its text and every problem its validation found (none: it may be sent). */
    public record Written(String text, List<String> errors) {
    }

    private final MappingFiles mappings;
    private final Configuration freemarker;
    private final Seller seller;
    private final List<TaxCategory> taxCategories;
    private final boolean schematron;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private volatile List<Templates> invoiceRules;

    @org.springframework.beans.factory.annotation.Autowired
    public UblDocuments(MappingFiles mappings,
                        @Value("${orderhub.outbound.ubl.seller.name}") String name,
                        @Value("${orderhub.outbound.ubl.seller.endpoint-scheme}") String endpointScheme,
                        @Value("${orderhub.outbound.ubl.seller.endpoint-id}") String endpointId,
                        @Value("${orderhub.outbound.ubl.seller.vat-id}") String vatId,
                        @Value("${orderhub.outbound.ubl.seller.street}") String street,
                        @Value("${orderhub.outbound.ubl.seller.city}") String city,
                        @Value("${orderhub.outbound.ubl.seller.postal-code}") String postalCode,
                        @Value("${orderhub.outbound.ubl.seller.country}") String country,
                        @Value("${orderhub.outbound.ubl.seller.iban:}") String iban,
                        @Value("${orderhub.outbound.ubl.tax-categories}") String taxCategories,
                        @Value("${orderhub.outbound.ubl.schematron:true}") boolean schematron) {
        this(mappings, new Seller(name, endpointScheme, endpointId, vatId, street, city, postalCode, country, iban),
                parseTaxCategories(taxCategories), schematron);
    }

    UblDocuments(MappingFiles mappings, Seller seller, List<TaxCategory> taxCategories, boolean schematron) {
        this.mappings = mappings;
        this.seller = seller;
        this.taxCategories = List.copyOf(taxCategories);
        this.schematron = schematron;
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setDefaultEncoding(StandardCharsets.UTF_8.name());
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setNumberFormat("computer");
        c.setAPIBuiltinEnabled(false);
        c.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        c.setOutputFormat(XMLOutputFormat.INSTANCE);
        c.setTemplateLoader(new MappingLoader(mappings));
        // the loader reports each file's content hash as its "modification": a changed mapping is parsed again
        c.setTemplateUpdateDelayMilliseconds(0);
        c.setLocalizedLookup(false);
        this.freemarker = c;
    }

    /** "S:19,S:7,Z:0" → the categories in that order. */
    static List<TaxCategory> parseTaxCategories(String text) {
        List<TaxCategory> out = new ArrayList<>();
        for (String part : (text == null ? "" : text).split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            String[] idRate = p.split(":");
            if (idRate.length != 2 || !idRate[0].strip().matches("[A-Z]{1,2}")) {
                throw new IllegalStateException("orderhub.outbound.ubl.tax-categories: '" + p
                        + "' is not CATEGORY:PERCENT such as S:19");
            }
            try {
                out.add(new TaxCategory(idRate[0].strip(), new BigDecimal(idRate[1].strip())));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("orderhub.outbound.ubl.tax-categories: '" + p + "' has no number as its rate");
            }
        }
        return out;
    }

    public Seller seller() {
        return seller;
    }

    /** True when the mapping of this document type exists. */
    public boolean hasMapping(String type) {
        return ROOTS.containsKey(type) && mappings.exists(mapping(type));
    }

    public static String mapping(String type) {
        return DIR + type + ".ftl";
    }

    /**
     * Writes the document of this type for the partner ({@code ids}: the channel's {@code outbound.ubl}) from the EDI
     * model of the event, and validates it.
     *
     * @throws EdiDocuments.MappingFailure when the mapping does not render
     */
    public Written write(String type, Map<String, Object> model, PartnerIds ids, String documentId, long control,
                         Instant now) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> m = ublModel(type, model, ids, documentId, control, now, problems);
        String text = render(mapping(type), m);
        List<String> errors = new ArrayList<>(problems);
        errors.addAll(validate(type, text));
        // the ledger keeps the errors joined by "; "
        return new Written(text, errors.stream().map(e -> e.replace("; ", ", ")).toList());
    }

    /** The EDI model with what a UBL mapping needs besides (see the class comment). */
    Map<String, Object> ublModel(String type, Map<String, Object> edi, PartnerIds ids, String documentId, long control,
                                 Instant now, List<String> problems) {
        Map<String, Object> m = new LinkedHashMap<>(edi);
        ZonedDateTime at = now.atZone(ZoneOffset.UTC);
        m.put("issueDate", at.format(DateTimeFormatter.ISO_LOCAL_DATE));
        m.put("issueTime", at.format(DateTimeFormatter.ofPattern("HH:mm:ss")));
        String orderDate = String.valueOf(edi.getOrDefault("orderDate", ""));
        m.put("orderIssueDate", orderDate.length() == 8
                ? orderDate.substring(0, 4) + "-" + orderDate.substring(4, 6) + "-" + orderDate.substring(6, 8) : "");
        m.put("documentUuid", uuidOf(documentId));
        m.put("controlNumber", Long.toString(control));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", seller.name());
        boolean ownEndpoint = ids != null && ids.senderId() != null && !ids.senderId().isBlank();
        s.put("endpointScheme", ownEndpoint ? nonNull(ids.senderQualifier()) : nonNull(seller.endpointScheme()));
        s.put("endpointId", ownEndpoint ? ids.senderId().strip() : nonNull(seller.endpointId()));
        s.put("vatId", nonNull(seller.vatId()));
        s.put("iban", nonNull(seller.iban()).replace(" ", ""));
        Map<String, Object> address = new LinkedHashMap<>();
        putIfText(address, "line1", seller.street());
        putIfText(address, "city", seller.city());
        putIfText(address, "postalCode", seller.postalCode());
        putIfText(address, "country", seller.country() == null ? null : seller.country().strip().toUpperCase(Locale.ROOT));
        s.put("address", address);
        m.put("seller", s);
        @SuppressWarnings("unchecked")
        Map<String, Object> order = (Map<String, Object>) edi.getOrDefault("order", Map.of());
        m.put("buyer", buyer(order, ids));
        Object lines = m.get("lines");
        if (lines instanceof List<?> list) {
            m.put("lines", ublLines(list));
        }
        Object shipments = m.get("shipments");
        if (shipments instanceof List<?> list) {
            List<Map<String, Object>> parcels = new ArrayList<>();
            for (Object o : list) {
                @SuppressWarnings("unchecked")
                Map<String, Object> parcel = new LinkedHashMap<>((Map<String, Object>) o);
                parcel.put("lines", ublLines((List<?>) parcel.getOrDefault("lines", List.of())));
                parcels.add(parcel);
            }
            m.put("shipments", parcels);
        }
        if (OutboundDocument.INVOICE.equals(type)) {
            invoice(m, order, at, problems);
        }
        if (OutboundDocument.CREDIT_NOTE.equals(type)) {
            creditNote(m, order, problems);
        }
        return m;
    }

    private Map<String, Object> buyer(Map<String, Object> order, PartnerIds ids) {
        Map<String, Object> b = new LinkedHashMap<>();
        if (ids != null && ids.receiverId() != null && !ids.receiverId().isBlank()) {
            b.put("endpointScheme", nonNull(ids.receiverQualifier()));
            b.put("endpointId", ids.receiverId().strip());
        }
        Map<?, ?> customer = order.get("customer") instanceof Map<?, ?> c ? c : Map.of();
        Map<?, ?> billTo = order.get("billTo") instanceof Map<?, ?> a ? a : null;
        Map<?, ?> shipTo = order.get("shipTo") instanceof Map<?, ?> a ? a : null;
        Object name = customer.get("company") != null ? customer.get("company")
                : customer.get("name") != null ? customer.get("name")
                : billTo != null && billTo.get("company") != null ? billTo.get("company")
                : billTo != null ? billTo.get("name") : shipTo != null ? shipTo.get("name") : "";
        b.put("name", String.valueOf(name));
        if (billTo != null || shipTo != null) {
            b.put("address", billTo != null ? billTo : shipTo);
        }
        return b;
    }

    /** Lines with their UN/ECE Rec 20 {@code unitCode}, {@code itemName}, two-decimal {@code lineAmount}, line allowances. */
    private static List<Map<String, Object>> ublLines(List<?> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : lines) {
            @SuppressWarnings("unchecked")
            Map<String, Object> l = new LinkedHashMap<>((Map<String, Object>) o);
            String uom = String.valueOf(l.getOrDefault("uom", "EA"));
            l.put("unitCode", UNITS.getOrDefault(uom, uom));
            Object description = l.get("description");
            l.put("itemName", description != null && !String.valueOf(description).isBlank() ? description
                    : String.valueOf(l.getOrDefault("sku", "")));
            if (l.get("lineTotal") != null) {
                l.put("lineAmount", cents(new BigDecimal(String.valueOf(l.get("lineTotal")))));
            }
            List<Map<String, Object>> adjustments = new ArrayList<>();
            adjustments(l.get("discounts"), false, adjustments);
            adjustments(l.get("charges"), true, adjustments);
            l.put("allowances", adjustments);
            out.add(l);
        }
        return out;
    }

    private static void adjustments(Object list, boolean charge, List<Map<String, Object>> out) {
        if (!(list instanceof List<?> items)) {
            return;
        }
        for (Object o : items) {
            Map<?, ?> a = (Map<?, ?>) o;
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("charge", charge);
            Object text = a.get("description") != null ? a.get("description") : a.get("reason");
            x.put("reason", text != null ? String.valueOf(text) : charge ? "Charge" : "Discount");
            x.put("amount", cents(new BigDecimal(String.valueOf(a.get("amount")))));
            out.add(x);
        }
    }

    /**
     * The document's one VAT category: {@code category} and {@code percent} of the configured category that gives the
     * order's tax on its taxable amount, else a problem (the document is held) and the rate as computed.
     */
    private Map<String, Object> taxFields(TaxCategory category, BigDecimal taxable, BigDecimal tax, String document,
                                          List<String> problems) {
        Map<String, Object> t = new LinkedHashMap<>();
        if (category == null) {
            BigDecimal rate = taxable.signum() == 0 ? BigDecimal.ZERO
                    : tax.multiply(BigDecimal.valueOf(100)).divide(taxable, 2, RoundingMode.HALF_UP);
            problems.add("the order's tax " + cents(tax) + " on the taxable amount " + cents(taxable) + " (" + rate
                    + " %) is no configured VAT rate (orderhub.outbound.ubl.tax-categories: " + describe(taxCategories)
                    + "); " + document + " with one VAT category per order cannot state it");
            t.put("category", "S");
            t.put("percent", EdiText.number(rate));
        } else {
            t.put("category", category.id());
            t.put("percent", EdiText.number(category.percent()));
        }
        return t;
    }

    /**
     * The invoice's {@code amounts} (two decimals), {@code tax} ({@code category}, {@code percent}) and
     * {@code dueDate}; a tax that fits no configured category is a problem (the document is held).
     */
    private void invoice(Map<String, Object> m, Map<String, Object> order, ZonedDateTime at, List<String> problems) {
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) m.getOrDefault("totals", Map.of());
        BigDecimal subtotal = decimal(totals.get("subtotal"));
        BigDecimal discount = decimal(totals.get("discount"));
        BigDecimal shipping = decimal(totals.get("shipping"));
        BigDecimal tax = decimal(totals.get("tax"));
        BigDecimal grandTotal = decimal(totals.get("grandTotal"));
        BigDecimal taxable = subtotal.subtract(discount).add(shipping);
        Map<String, Object> amounts = new LinkedHashMap<>();
        amounts.put("lineExtension", cents(subtotal));
        amounts.put("allowance", cents(discount));
        amounts.put("charge", cents(shipping));
        amounts.put("taxExclusive", cents(taxable));
        amounts.put("tax", cents(tax));
        amounts.put("taxInclusive", cents(taxable.add(tax)));
        amounts.put("payable", cents(grandTotal));
        m.put("amounts", amounts);
        TaxCategory category = category(taxable, tax);
        m.put("tax", taxFields(category, taxable, tax, "an invoice", problems));
        Object netDays = m.get("netDays");
        if (netDays != null) {
            m.put("dueDate", at.toLocalDate().plusDays(Long.parseLong(String.valueOf(netDays)))
                    .format(DateTimeFormatter.ISO_LOCAL_DATE));
        }
    }

    /**
     * The credit note's {@code amounts} and {@code tax} (issue 22). The VAT category is the order's, found as the
     * invoice finds it (the order's tax on its taxable amount); the amounts are the refund's parts ({@code refundParts}
     * of the model, from the return's {@code return.received}): lines = the credited lines, allowances = the share of
     * the order's discount and the restocking fee, charge = the shipping refunded, tax = the refund's tax, payable =
     * the amount credited. A problem (the document is held): an order tax that fits no configured category, parts not
     * known (the event gone from the outbox, a channel's own refund), an amount credited that is not lines - allowances + charge + tax (a refund capped to what was
     * captured), a refund's tax a currency unit or more off the rate on the credited taxable amount.
     */
    private void creditNote(Map<String, Object> m, Map<String, Object> order, List<String> problems) {
        Map<?, ?> orderTotals = order.get("totals") instanceof Map<?, ?> t ? t : Map.of();
        BigDecimal orderTaxable = decimal(orderTotals.get("subtotal")).subtract(decimal(orderTotals.get("discount")))
                .add(decimal(orderTotals.get("shipping")));
        BigDecimal orderTax = decimal(orderTotals.get("tax"));
        TaxCategory category = category(orderTaxable, orderTax);
        Map<?, ?> parts = m.get("refundParts") instanceof Map<?, ?> p && p.containsKey("tax") ? p : null;
        if (parts == null) {
            problems.add("the refund's parts (goods, discount, tax, shipping, fee) are not known: the return's"
                    + " return.received event is no longer in the outbox, or the refund was the channel's own, which"
                    + " does not itemise them; the credit note's VAT cannot be stated");
            parts = Map.of();
        }
        BigDecimal lines = BigDecimal.ZERO;
        if (m.get("lines") instanceof List<?> list) {
            for (Object o : list) {
                lines = lines.add(decimal(((Map<?, ?>) o).get("lineAmount")));
            }
        }
        BigDecimal discount = decimal(parts.get("orderDiscount"));
        BigDecimal fee = decimal(parts.get("restockingFee"));
        BigDecimal shipping = decimal(parts.get("shipping"));
        BigDecimal tax = decimal(parts.get("tax"));
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) m.getOrDefault("totals", Map.of());
        BigDecimal credited = decimal(totals.get("credited"));
        BigDecimal taxExclusive = lines.subtract(discount).subtract(fee).add(shipping);
        BigDecimal taxInclusive = taxExclusive.add(tax);
        Map<String, Object> amounts = new LinkedHashMap<>();
        amounts.put("lineExtension", cents(lines));
        amounts.put("discount", cents(discount));
        amounts.put("restockingFee", cents(fee));
        amounts.put("allowance", cents(discount.add(fee)));
        amounts.put("charge", cents(shipping));
        amounts.put("taxExclusive", cents(taxExclusive));
        amounts.put("tax", cents(tax));
        amounts.put("taxInclusive", cents(taxInclusive));
        amounts.put("payable", cents(credited));
        m.put("amounts", amounts);
        Map<String, Object> t = taxFields(category, orderTaxable, orderTax, "a credit note", problems);
        if (category != null) {
            BigDecimal atRate = taxExclusive.multiply(category.percent()).divide(BigDecimal.valueOf(100), 2,
                    RoundingMode.HALF_UP);
            if (!parts.isEmpty() && atRate.subtract(tax).abs().compareTo(BigDecimal.ONE) >= 0) {
                problems.add("the refund's tax " + cents(tax) + " is not " + EdiText.number(category.percent())
                        + " % of the credited taxable amount " + cents(taxExclusive) + " (" + atRate + "): the order's"
                        + " lines state their own tax amounts, at rates that one VAT category cannot state");
            }
        }
        m.put("tax", t);
        if (!parts.isEmpty() && taxInclusive.setScale(2, RoundingMode.HALF_UP).compareTo(credited.setScale(2,
                RoundingMode.HALF_UP)) != 0) {
            problems.add("the amount credited " + cents(credited) + " is not the credited lines less discount and fee,"
                    + " plus shipping and tax (" + cents(taxInclusive) + ")" + (parts.get("cappedFrom") == null ? ""
                    : ": the refund was capped to what was captured"));
        }
    }

    /** The first configured category whose rate gives exactly this tax (rounded half up to cents) on the amount. */
    TaxCategory category(BigDecimal taxable, BigDecimal tax) {
        for (TaxCategory c : taxCategories) {
            BigDecimal computed = taxable.multiply(c.percent()).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
            if (computed.compareTo(tax.setScale(2, RoundingMode.HALF_UP)) == 0) {
                return c;
            }
        }
        return null;
    }

    private static String describe(List<TaxCategory> categories) {
        return categories.isEmpty() ? "none" : String.join(",", categories.stream()
                .map(c -> c.id() + ":" + EdiText.number(c.percent())).toList());
    }

    /** The mapping's output, the XML declaration first. */
    String render(String file, Map<String, Object> model) {
        Template template;
        try {
            template = freemarker.getTemplate(file);
        } catch (IOException e) {
            throw new EdiDocuments.MappingFailure("mappings/" + file + " is not a valid template: " + e.getMessage());
        }
        String out = EdiDocuments.process(template, file, model);
        StringBuilder text = new StringBuilder();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                text.append(line.stripTrailing()).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * Every problem of the document: not well-formed, not the root of this type, not valid against its UBL 2.1 XSD,
     * and for an invoice or credit note each failed EN 16931 / Peppol BIS Billing 3 rule ("[BR-CO-15] text (at xpath)").
     */
    public List<String> validate(String type, String xml) {
        List<String> errors = new ArrayList<>();
        Document doc;
        try {
            doc = parse(xml);
        } catch (SAXException | IOException e) {
            return List.of("not well-formed XML: " + e.getMessage());
        }
        String root = ROOTS.get(type);
        String local = doc.getDocumentElement().getLocalName();
        if (!root.equals(local)) {
            return List.of("the root element is " + local + ", not " + root);
        }
        Validator validator = schema(root).newValidator();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            // properties not supported by this validator: it has no external access to restrict
        }
        validator.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) {
                errors.add("XSD line " + e.getLineNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                errors.add("XSD line " + e.getLineNumber() + ": " + e.getMessage());
            }
        });
        try {
            validator.validate(new javax.xml.transform.stream.StreamSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            if (errors.isEmpty()) {
                errors.add("XSD: " + e.getMessage());
            }
        }
        if ((OutboundDocument.INVOICE.equals(type) || OutboundDocument.CREDIT_NOTE.equals(type)) && schematron
                && errors.isEmpty()) {
            errors.addAll(schematron(doc));
        }
        return errors;
    }

    private static Document parse(String xml) throws SAXException, IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new org.xml.sax.InputSource(new StringReader(xml)));
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The maindoc schema of a root element, compiled once from the classpath. */
    Schema schema(String root) {
        return schemas.computeIfAbsent(root, r -> {
            try {
                SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
                // the schemas import each other from the same jars (jar: URLs), never from the network
                f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "jar,file");
                f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "jar,file");
                List<javax.xml.transform.Source> sources = new ArrayList<>();
                for (String s : IMPORTED_SCHEMAS) {
                    sources.add(source(s));
                }
                sources.add(source("external/schemas/ubl21/maindoc/UBL-" + r + "-2.1.xsd"));
                return f.newSchema(sources.toArray(javax.xml.transform.Source[]::new));
            } catch (SAXException e) {
                throw new IllegalStateException("the UBL 2.1 schema of " + r + " cannot be compiled: " + e.getMessage(), e);
            }
        });
    }

    private static StreamSource source(String resource) {
        URL url = UblDocuments.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the classpath (com.helger.ubl:ph-ubl21, com.helger.xsd:ph-xsds-*,"
                    + " com.helger.phive.rules:phive-rules-peppol)");
        }
        return new StreamSource(url.toExternalForm());
    }

    private List<String> schematron(Document doc) {
        List<String> errors = new ArrayList<>();
        for (Templates rules : invoiceRules()) {
            DOMResult svrl = new DOMResult();
            try {
                rules.newTransformer().transform(new DOMSource(doc), svrl);
            } catch (TransformerException e) {
                errors.add("Schematron: " + e.getMessageAndLocation());
                continue;
            }
            NodeList failed = ((Document) svrl.getNode()).getElementsByTagNameNS(SVRL, "failed-assert");
            for (int i = 0; i < failed.getLength(); i++) {
                Element f = (Element) failed.item(i);
                String flag = f.getAttribute("flag");
                if (flag.isEmpty() || "fatal".equals(flag) || "error".equals(flag)) {
                    NodeList text = f.getElementsByTagNameNS(SVRL, "text");
                    errors.add("[" + f.getAttribute("id") + "] "
                            + (text.getLength() == 0 ? "" : text.item(0).getTextContent().strip().replaceAll("\\s+", " "))
                            + " (at " + f.getAttribute("location") + ")");
                }
            }
        }
        return errors;
    }

    /** The invoice rules, compiled with Saxon on first use (the EN 16931 stylesheet is large). */
    private List<Templates> invoiceRules() {
        List<Templates> rules = invoiceRules;
        if (rules == null) {
            synchronized (this) {
                rules = invoiceRules;
                if (rules == null) {
                    TransformerFactory f = TransformerFactory.newInstance("net.sf.saxon.TransformerFactoryImpl",
                            UblDocuments.class.getClassLoader());
                    // the rule files compile with warnings (unused functions): not the operator's concern
                    f.setErrorListener(new javax.xml.transform.ErrorListener() {
                        @Override
                        public void warning(TransformerException e) {
                        }

                        @Override
                        public void error(TransformerException e) throws TransformerException {
                            throw e;
                        }

                        @Override
                        public void fatalError(TransformerException e) throws TransformerException {
                            throw e;
                        }
                    });
                    List<Templates> compiled = new ArrayList<>();
                    for (String r : INVOICE_RULES) {
                        try {
                            compiled.add(f.newTemplates(source(r)));
                        } catch (javax.xml.transform.TransformerConfigurationException e) {
                            throw new IllegalStateException(r + " cannot be compiled: " + e.getMessage(), e);
                        }
                    }
                    rules = List.copyOf(compiled);
                    invoiceRules = rules;
                }
            }
        }
        return rules;
    }

    /** A UUID form of the document id (DOC-<uuid>). */
    static String uuidOf(String documentId) {
        return documentId != null && documentId.startsWith("DOC-") ? documentId.substring(4)
                : java.util.UUID.nameUUIDFromBytes(String.valueOf(documentId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String cents(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static BigDecimal decimal(Object v) {
        return v == null || String.valueOf(v).isBlank() ? BigDecimal.ZERO : new BigDecimal(String.valueOf(v));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s.strip();
    }

    private static void putIfText(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isBlank()) {
            m.put(key, value.strip());
        }
    }

    /** Reads templates through the mapping files in force; a file's "modification" is its content hash. */
    private record MappingLoader(MappingFiles mappings) implements TemplateLoader {

        @Override
        public Object findTemplateSource(String name) {
            return mappings.exists(name) ? name : null;
        }

        @Override
        public long getLastModified(Object source) {
            return Arrays.hashCode(mappings.read((String) source));
        }

        @Override
        public Reader getReader(Object source, String encoding) {
            return new StringReader(new String(mappings.read((String) source), StandardCharsets.UTF_8));
        }

        @Override
        public void closeTemplateSource(Object source) {
        }
    }
}
