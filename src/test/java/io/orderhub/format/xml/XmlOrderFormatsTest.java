package io.orderhub.format.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.common.FieldError;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;

/** Recognition, exact numbers, error positions and card safety of the UBL and cXML formats. */
class XmlOrderFormatsTest {

    static final String UBL_NS = "xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\""
            + " xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\""
            + " xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\"";

    final MappingFiles files = new MappingFiles("mappings");
    final XsltOrderMapper mapper = new XsltOrderMapper(new ObjectMapper());
    final UblOrderFormat ubl = new UblOrderFormat(mapper);
    final CxmlOrderRequestFormat cxml = new CxmlOrderRequestFormat(mapper);
    final MappingContext context = new MappingContext(null, files);

    static DocumentHead head(String text) {
        return DocumentHead.of(text.getBytes(UTF_8), null);
    }

    static byte[] testCase(String path) throws IOException {
        return Files.readAllBytes(Path.of("mappings/tests", path));
    }

    // ------------------------------------------------------------------ recognition

    @Test
    void recognisesUblOrderByRootAndNamespace() {
        assertThat(ubl.recognise(head("<?xml version=\"1.0\"?>\n<!-- c -->\n<Order " + UBL_NS + "><cbc:ID>1</cbc:ID></Order>"))).isEqualTo(90);
        assertThat(ubl.recognise(head("<ubl:Order xmlns:ubl=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>"))).isEqualTo(90);
        assertThat(ubl.recognise(head("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>"))).isZero();
        assertThat(ubl.recognise(head("<Order><ID>1</ID></Order>"))).isZero();
        assertThat(ubl.recognise(head("{\"externalId\": \"x\"}"))).isZero();
        assertThat(cxml.recognise(head("<Order " + UBL_NS + "/>"))).isZero();
    }

    @Test
    void recognisesAnOrderBehindAnInternalSubsetSoItCanBeRefusedByTheRightFormat() {
        String xxe = "<!DOCTYPE Order [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Order " + UBL_NS + ">&x;</Order>";
        assertThat(ubl.recognise(head(xxe))).isEqualTo(90);
    }

    @Test
    void recognisesCxmlOrderRequest() throws IOException {
        for (String file : List.of("friendsofcxml-cxml-php-handling-order_request.xml", "officeluv-cxml-coupa-purchase_order_request_200.xml")) {
            assertThat(cxml.recognise(DocumentHead.of(testCase("cxml/" + file), "application/xml"))).as(file).isEqualTo(90);
        }
        String longHeader = "<cXML><Header>" + " ".repeat(3000) + "</Header><Request><OrderRequest/></Request></cXML>";
        assertThat(cxml.recognise(head(longHeader))).as("OrderRequest beyond the first 2 KB").isEqualTo(90);
        assertThat(cxml.recognise(head("<cXML><Request><PunchOutSetupRequest/></Request></cXML>"))).isEqualTo(40);
        String longComment = "<?xml version=\"1.0\"?>\n<!--" + "x".repeat(5000) + "-->\n<Order " + UBL_NS + "/>";
        assertThat(ubl.recognise(head(longComment))).as("root after a long comment").isEqualTo(90);
        assertThat(ubl.recognise(head("<Order xmlns=\"urn:example:not-ubl\"><x>" + UBL_NS + "</x></Order>")))
                .as("the namespace must be the root's, not text somewhere").isZero();
        assertThat(ubl.recognise(head(longHeader))).isZero();
    }

    // ------------------------------------------------------------------ numbers

    @Test
    void amountsAreExactDecimalsNeverDoubles() {
        String xml = "<Order " + UBL_NS + "><cbc:ID>N-1</cbc:ID><cbc:IssueDate>2026-01-15</cbc:IssueDate>"
                + "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"
                + "<cac:Delivery><cac:DeliveryAddress><cbc:StreetName>A</cbc:StreetName><cbc:CityName>B</cbc:CityName>"
                + "<cbc:PostalZone>1</cbc:PostalZone><cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>"
                + "</cac:DeliveryAddress></cac:Delivery>"
                + line(1, "0.1", "1") + line(2, "0.2", "1") + line(3, "99999999999.9999", "0.0001")
                + "</Order>";
        MappedOrder order = single(ubl.read(xml.getBytes(UTF_8), context));
        JsonNode lines = order.order().get("lines");
        assertThat(lines.get(2).get("unitPrice").isBigDecimal()).isTrue();
        assertThat(lines.get(2).get("unitPrice").decimalValue()).isEqualByComparingTo("99999999999.9999");
        assertThat(lines.get(2).get("quantity").decimalValue()).isEqualByComparingTo("0.0001");
        // no AnticipatedMonetaryTotal: subtotal is summed in xs:decimal, 0.1 + 0.2 + 9999999.99999999 exactly
        assertThat(order.order().at("/totals/subtotal").decimalValue())
                .isEqualByComparingTo(new BigDecimal("0.1").add(new BigDecimal("0.2")).add(new BigDecimal("9999999.99999999")));
        assertThat(order.order().at("/orderDate").asText()).isEqualTo("2026-01-15T00:00:00Z");
    }

    @Test
    void orderDateTakesTheOffsetOfTheTimeElseOfTheDateElseUtc() {
        assertThat(orderDate("<cbc:IssueDate>2026-01-15</cbc:IssueDate><cbc:IssueTime>08:30:00-05:00</cbc:IssueTime>"))
                .isEqualTo("2026-01-15T08:30:00-05:00");
        assertThat(orderDate("<cbc:IssueDate>2026-01-15+02:00</cbc:IssueDate>")).isEqualTo("2026-01-15T00:00:00+02:00");
        assertThat(orderDate("<cbc:IssueDate>2026-01-15</cbc:IssueDate><cbc:IssueTime>23:59:59.5</cbc:IssueTime>"))
                .isEqualTo("2026-01-15T23:59:59.5Z");
    }

    private String orderDate(String issue) {
        String xml = "<Order " + UBL_NS + "><cbc:ID>D-1</cbc:ID>" + issue + line(1, "1", "1") + "</Order>";
        return ubl.read(xml.getBytes(UTF_8), context).orders().get(0).order().get("orderDate").asText();
    }

    private static String line(int id, String price, String quantity) {
        return "<cac:OrderLine><cac:LineItem><cbc:ID>" + id + "</cbc:ID><cbc:Quantity>" + quantity + "</cbc:Quantity>"
                + "<cac:Price><cbc:PriceAmount currencyID=\"EUR\">" + price + "</cbc:PriceAmount></cac:Price>"
                + "<cac:Item><cac:SellersItemIdentification><cbc:ID>S" + id + "</cbc:ID></cac:SellersItemIdentification></cac:Item>"
                + "</cac:LineItem></cac:OrderLine>";
    }

    // ------------------------------------------------------------------ errors name their XPath

    @Test
    void ublErrorsNameTheXPathOfTheBadValue() throws IOException {
        MappedOrder order = single(ubl.read(testCase("ubl/bad-quantity-and-currency.xml"), context));
        assertThat(order.documentId()).isEqualTo("PO-2026-0044");
        assertThat(order.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "/Order/cac:OrderLine[2]/cac:LineItem/cbc:Quantity",
                "/Order/cac:OrderLine[1]/cac:LineItem/cac:Price/cbc:PriceAmount/@currencyID");
    }

    @Test
    void ublWithUnreadableIssueDateAndCardAccountIsRejected() {
        String xml = "<Order " + UBL_NS + "><cbc:ID>C-1</cbc:ID><cbc:IssueDate>20.01.2026</cbc:IssueDate>"
                + "<cac:PaymentMeans><cbc:PaymentMeansCode>54</cbc:PaymentMeansCode><cac:CardAccount>"
                + "<cbc:PrimaryAccountNumberID>4111111111111111</cbc:PrimaryAccountNumberID><cbc:NetworkID>VISA</cbc:NetworkID>"
                + "</cac:CardAccount></cac:PaymentMeans>" + line(1, "1", "1") + "</Order>";
        FormatResult result = ubl.read(xml.getBytes(UTF_8), context);
        MappedOrder order = single(result);
        assertThat(order.errors()).extracting(FieldError::field).contains(
                "/Order/cbc:IssueDate", "/Order/cac:PaymentMeans/cac:CardAccount", "/Order");
        assertThat(result.toString()).doesNotContain("4111111111111111");
        assertThat(order.order().toString()).doesNotContain("4111111111111111");
    }

    @Test
    void cxmlErrorsNameTheXPathOfTheBadValue() throws IOException {
        MappedOrder order = single(cxml.read(testCase("cxml/line-ship-to-differs.xml"), context));
        assertThat(order.errors()).extracting(FieldError::field).containsExactly(
                "/cXML/Request/OrderRequest/ItemOut[1]/@quantity",
                "/cXML/Request/OrderRequest/ItemOut[2]/ShipTo/Address");
    }

    @Test
    void cxmlUpdateAndDeleteRequestsCarryTheirPurpose() throws IOException {
        String request = new String(testCase("cxml/friendsofcxml-cxml-php-samples-OrderRequest.xml"), UTF_8);
        MappedOrder update = single(cxml.read(request.replace("type=\"new\"", "type=\"update\"").getBytes(UTF_8), context));
        assertThat(update.errors()).isEmpty();
        assertThat(update.order().path("purpose").asText()).isEqualTo("REPLACE");
        MappedOrder delete = single(cxml.read(request.replace("type=\"new\"", "type=\"delete\"").getBytes(UTF_8), context));
        assertThat(delete.order().path("purpose").asText()).isEqualTo("CANCEL");
        MappedOrder other = single(cxml.read(request.replace("type=\"new\"", "type=\"refresh\"").getBytes(UTF_8), context));
        assertThat(other.errors()).extracting(FieldError::field)
                .contains("/cXML/Request/OrderRequest/OrderRequestHeader/@type");
    }

    // ------------------------------------------------------------------ card numbers

    @Test
    void aPcardRefusesTheOrderAndItsNumberLeavesNoTrace() throws IOException {
        FormatResult result = cxml.read(testCase("cxml/pcard-payment.xml"), context);
        MappedOrder order = single(result);
        assertThat(order.errors()).extracting(FieldError::field)
                .containsExactly("/cXML/Request/OrderRequest/OrderRequestHeader/Payment/PCard");
        assertThat(order.order().toString()).doesNotContain("4111").doesNotContain("Max Muster").doesNotContain("2028-12");
        assertThat(result.toString()).doesNotContain("4111111111111111");
    }

    // ------------------------------------------------------------------ whole documents

    @Test
    void aDocumentOfTheOtherFormatIsRefusedAsAWhole() throws IOException {
        FormatResult asUbl = ubl.read(testCase("cxml/friendsofcxml-cxml-php-samples-OrderRequest.xml"), context);
        assertThat(asUbl.orders()).isEmpty();
        assertThat(asUbl.documentErrors()).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("/cXML"));
        FormatResult asCxml = cxml.read(testCase("ubl/jpy-order.xml"), context);
        assertThat(asCxml.documentErrors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("is not a cXML document"));
    }

    @Test
    void eachRequestOfACxmlDocumentIsAnOrderInItsPosition() throws IOException {
        FormatResult result = cxml.read(testCase("cxml/tax-shipping-terms-two-requests.xml"), context);
        assertThat(result.orders()).extracting(MappedOrder::documentId, MappedOrder::position)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("B-1001", 1), org.assertj.core.groups.Tuple.tuple("B-1002", 2));
    }

    @Test
    void aChannelCanNameItsOwnMappingVariant() throws IOException {
        Channel channel = new Channel("b2b", "B2B", List.of("*"), List.of("*"), List.of(), true, "stripe", List.of(), "en",
                Map.of("ubl", "ubl/order.xsl"));
        FormatResult result = ubl.read(testCase("ubl/jpy-order.xml"), new MappingContext(channel, files));
        assertThat(single(result).order().get("externalId").asText()).isEqualTo("JP-77801");
    }

    private static MappedOrder single(FormatResult result) {
        assertThat(result.documentErrors()).as("document errors").isEmpty();
        assertThat(result.orders()).hasSize(1);
        return result.orders().get(0);
    }
}
