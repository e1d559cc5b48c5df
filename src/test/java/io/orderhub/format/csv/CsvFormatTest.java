package io.orderhub.format.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.orderhub.channel.Channel;
import io.orderhub.common.FieldError;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFormatTest {

    static final String HEADER = "order_number,order_date,currency,customer_name,customer_email,ship_name,ship_line1,"
            + "ship_city,ship_postal_code,ship_country,sku,quantity,unit_price\n";

    private final MappingFiles mappings = new MappingFiles("mappings");
    private final CsvFormat csv = new CsvFormat(mappings);
    private final MappingContext context = new MappingContext(null, mappings);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Channel channelWith(String csvMapping) {
        return new Channel("shop", "Shop", null, null, null, false, null, null, null, Map.of("csv", csvMapping));
    }

    @Test
    void recognisesCsvByMediaTypeOrByItsHeaderRow() {
        assertThat(csv.recognise(DocumentHead.of(bytes("a;b\n1;2\n"), "text/csv; charset=utf-8"))).isEqualTo(80);
        assertThat(csv.recognise(DocumentHead.of(bytes(HEADER), null))).isEqualTo(60);
        assertThat(csv.recognise(DocumentHead.of(bytes("\"order_number\",\"sku\"\n"), ""))).isEqualTo(60);
        assertThat(csv.recognise(DocumentHead.of(bytes("name,sku\nA,1\n"), null))).isZero();
        assertThat(csv.recognise(DocumentHead.of(bytes("{\"order_number\": 1, \"sku\": 2}"), null))).isZero();
    }

    @Test
    void aRowWithoutOrderNumberAndARowOfTheWrongWidthAreNamedByLine() {
        FormatResult result = csv.read(bytes(HEADER
                + "P-1,2026-01-05,EUR,Ann,ann@example.com,Ann,Main St 1,Dublin,D01,IE,A-1,1,2.00\n"
                + ",2026-01-05,EUR,Ann,ann@example.com,Ann,Main St 1,Dublin,D01,IE,A-2,1,2.00\n"
                + "P-1,2026-01-05,EUR,Ann,ann@example.com,Ann,Main St 1,Dublin,D01,IE,A-3,1\n"), context);

        assertThat(result.documentErrors()).containsExactly(
                FieldError.of("line 3, column order_number", "is empty; every row needs its order number"));
        assertThat(result.orders()).singleElement().satisfies(o -> assertThat(o.errors())
                .containsExactly(FieldError.of("line 4", "has 12 fields but the header has 13")));
    }

    @Test
    void quotedValuesOverSeveralLinesKeepLineNumbersRight() {
        FormatResult result = csv.read(bytes("order_number,order_date,currency,customer_name,customer_email,ship_name,"
                + "ship_line1,ship_city,ship_postal_code,ship_country,sku,quantity,unit_price,notes\n"
                + "P-1,2026-01-05,EUR,Ann,ann@example.com,Ann,Main St 1,Dublin,D01,IE,A-1,1,2.00,\"two\nlines\"\n"
                + "P-2,2026-01-05,EUR,Bo,bo@example.com,Bo,Main St 2,Cork,T12,IE,A-1,x,2.00,\n"), context);

        MappedOrder first = result.orders().get(0);
        assertThat(first.order().path("notes").asText()).isEqualTo("two\nlines");
        assertThat(result.orders().get(1).errors())
                .containsExactly(FieldError.of("line 4, column quantity", "must be a decimal number, not 'x'"));
    }

    @Test
    void brokenCsvIsRefusedAsAWhole() {
        FormatResult result = csv.read(bytes(HEADER + "P-1,\"2026-01-05,EUR\n"), context);

        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("is not valid CSV"));
    }

    @Test
    void textThatIsNotUtf8IsRefused() {
        byte[] latin1 = (HEADER + "P-1,2026-01-05,EUR,Jürgen").getBytes(StandardCharsets.ISO_8859_1);

        assertThat(csv.read(latin1, context).documentErrors()).containsExactly(FieldError.of("body", "is not UTF-8 text"));
    }

    @Test
    void amountsStayExact() {
        FormatResult result = csv.read(bytes(HEADER
                + "P-1,2026-01-05,EUR,Ann,ann@example.com,Ann,Main St 1,Dublin,D01,IE,A-1,3,0.10\n"), context);

        var order = result.orders().get(0).order();
        assertThat(order.at("/lines/0/lineTotal").decimalValue()).isEqualTo(new BigDecimal("0.30"));
        assertThat(order.at("/totals/grandTotal").decimalValue()).isEqualTo(new BigDecimal("0.30"));
        assertThat(order.at("/orderDate").asText()).isEqualTo("2026-01-05T00:00:00Z");
    }

    @Test
    void aBrokenColumnMappingIsReportedWithItsFileName(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("csv"));
        Files.writeString(dir.resolve("csv/broken.yaml"), "delimiter: ';;'\norderKey: no\n");
        var broken = new MappingContext(channelWith("csv/broken.yaml"), new MappingFiles(dir.toString()));

        FormatResult result = csv.read(bytes(HEADER), broken);

        assertThat(result.documentErrors()).containsExactly(
                FieldError.of("mapping csv/broken.yaml", "delimiter must be one character, not ';;'"));
    }

    /** The corpus file other/shopify-transporter-orders-template.csv with the channel variant csv/shopify-transporter.yaml. */
    @Test
    void shopifyTransporterTemplateWithItsChannelVariant() throws IOException {
        byte[] template = Files.readAllBytes(Path.of("mappings/tests/csv/shopify-transporter-orders-template.csv"));
        var variant = new MappingContext(channelWith("csv/shopify-transporter.yaml"), mappings);

        FormatResult result = csv.read(template, variant);

        assertThat(result.documentErrors()).isEmpty();
        assertThat(result.orders()).hasSize(2);
        MappedOrder first = result.orders().get(0);
        assertThat(first.documentId()).isEqualTo("#MA-1097");
        assertThat(first.position()).isEqualTo(1);
        // the misspelt billing country and the row shifted one column to the left are named precisely
        assertThat(first.errors()).containsExactly(
                FieldError.of("line 2, column Billing Country",
                        "is not an ISO 3166-1 country code or English country name: 'Canaada'"),
                FieldError.of("line 3, column Lineitem quantity", "must be a decimal number, not 'Mini Handle Shovel'"),
                FieldError.of("line 3, column Tax 1 Price", "must be a decimal number, not 'HST'"));
        assertThat(first.order().path("orderDate").asText()).isEqualTo("2018-01-04T15:51:23-08:00");
        assertThat(first.order().at("/shipTo/country").asText()).isEqualTo("CA");
        assertThat(first.order().at("/totals/discount").decimalValue()).isEqualByComparingTo("10");
        assertThat(first.order().path("shippingMethod").asText()).isEqualTo("United Parcel Service - 2nd Day Air");
        assertThat(first.order().at("/lines/0/sku").asText()).isEqualTo("a-123");
        assertThat(first.order().at("/lines/0/lineTotal").decimalValue()).isEqualByComparingTo("20");
        assertThat(first.order().at("/payment/method").asText()).isEqualTo("prepaid");

        MappedOrder second = result.orders().get(1);
        assertThat(second.documentId()).isEqualTo("#MA-1098");
        assertThat(second.position()).isEqualTo(2);
        assertThat(second.errors()).isEmpty();
        // cancelled and refunded, without a shipping address: the validator rejects it for the missing ship-to
        assertThat(second.order().has("shipTo")).isFalse();
        assertThat(second.order().at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("30");
    }
}
