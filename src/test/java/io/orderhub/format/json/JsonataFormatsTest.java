package io.orderhub.format.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.common.FieldError;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;

class JsonataFormatsTest {

    private final ObjectMapper json = TestJson.mapper();
    private final MappingContext context = new MappingContext(null, new MappingFiles("mappings"));
    private final ShopifyFormat shopify = new ShopifyFormat(json);
    private final WooCommerceFormat woo = new WooCommerceFormat(json);
    private final io.orderhub.format.CanonicalJsonFormat canonicalFormat = new io.orderhub.format.CanonicalJsonFormat(json);

    private static byte[] bytes(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recognisesShopifyAndWooCommerceByTheirMarkers() {
        DocumentHead shopifyHead = DocumentHead.of(bytes("{'order': {'id': 1, 'financial_status': 'paid', 'line_items': []}}"), null);
        DocumentHead wooHead = DocumentHead.of(bytes("{'data': {'id': 1, 'discount_total': '0.00', 'prices_include_tax': false}}"), null);
        DocumentHead canonical = DocumentHead.of(bytes("{'externalId': 'A-1', 'lines': []}"), null);

        assertThat(shopify.recognise(shopifyHead)).isEqualTo(80);
        assertThat(woo.recognise(shopifyHead)).isZero();
        assertThat(woo.recognise(wooHead)).isEqualTo(80);
        assertThat(shopify.recognise(wooHead)).isZero();
        assertThat(shopify.recognise(canonical)).isZero();
        assertThat(woo.recognise(canonical)).isZero();
        assertThat(shopify.recognise(DocumentHead.of(bytes("<Order financial_status='x'/>"), null))).isZero();
    }

    @Test
    void recognisesByTheKeysOfTheWholeDocumentNotItsFirstKilobytes() {
        String padding = "'aaa_note': '" + "x".repeat(5000) + "', ";
        DocumentHead sortedShopify = DocumentHead.of(bytes("{" + padding + "'financial_status': 'paid', 'line_items': "
                + "[{'sku': 'A', 'variant_id': 1}], 'order_number': 1001}"), null);
        DocumentHead wooList = DocumentHead.of(bytes("[{" + padding + "'discount_total': '0.00', 'line_items': "
                + "[{'product_id': 5}], 'prices_include_tax': false}, {'other': 1}]"), null);
        DocumentHead canonicalLate = DocumentHead.of(bytes("{" + padding + "'externalId': 'A-1', 'lines': []}"), null);
        DocumentHead shopifyInLinesOnly = DocumentHead.of(bytes("{'externalId': 'A-1', 'lines': "
                + "[{'financial_status': 'x', 'order_number': 2}]}"), null);
        DocumentHead broken = DocumentHead.of(bytes("{'order': {" + padding + "'financial_status': 'paid', "
                + "'order_number': 7, 'line_items': [],}}"), null);

        assertThat(shopify.recognise(sortedShopify)).isEqualTo(80);
        assertThat(woo.recognise(sortedShopify)).isZero();
        assertThat(woo.recognise(wooList)).isEqualTo(80);
        assertThat(shopify.recognise(wooList)).isZero();
        assertThat(shopify.recognise(canonicalLate)).isZero();
        assertThat(canonicalFormat.recognise(canonicalLate)).isEqualTo(50);
        assertThat(canonicalFormat.recognise(sortedShopify)).isEqualTo(5);
        assertThat(shopify.recognise(shopifyInLinesOnly)).as("keys of a line are not the order's").isZero();
        assertThat(shopify.recognise(broken)).as("keys before a syntax error still count").isEqualTo(80);
    }

    @Test
    void invalidJsonIsRefusedWithLineAndColumn() {
        FormatResult result = shopify.read(bytes("{'order': {\n  'line_items': [],\n}}"), context);

        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("body");
            assertThat(e.message()).contains("is not valid JSON at line 3, column 1");
        });
    }

    @Test
    void lineItemsThatAreNotAnArrayAreReportedAtTheirSourcePointer() {
        FormatResult result = shopify.read(bytes("{'order': {'name': '#1', 'financial_status': 'paid', 'line_items': {'sku': 'A'}}}"), context);

        assertThat(result.documentErrors()).isEmpty();
        assertThat(result.orders()).singleElement().satisfies(o -> assertThat(o.errors())
                .containsExactly(FieldError.of("/order/line_items", "must be an array of line items")));
    }

    @Test
    void amountsThatAreNotNumbersAreReportedAtTheirSourcePointer() {
        FormatResult result = woo.read(bytes("{'data': {'number': '7', 'discount_total': 'none', 'total': '1.00', 'line_items': ["
                + "{'sku': 'A', 'quantity': 1, 'subtotal': '1.00', 'total_tax': '0'},"
                + "{'sku': 'B', 'quantity': 'two', 'subtotal': [1], 'total_tax': '0'}]}}"), context);

        assertThat(result.orders()).singleElement().satisfies(o -> assertThat(o.errors()).containsExactlyInAnyOrder(
                FieldError.of("/data/discount_total", "must be a decimal number, not 'none'"),
                FieldError.of("/data/line_items/1/quantity", "must be a decimal number, not 'two'"),
                FieldError.of("/data/line_items/1/subtotal", "must be a decimal number, not an array")));
    }

    @Test
    void ordersThatAreNotAListRefuseTheDocument() {
        FormatResult result = shopify.read(bytes("{'orders': {'name': '#1'}}"), context);

        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).containsExactly(FieldError.of("/orders", "must be an array of orders"));
    }

    @Test
    void moneyStaysExactDecimal() {
        FormatResult result = shopify.read(bytes("{'name': '#9', 'financial_status': 'paid', 'total_price': '0.30',"
                + "'line_items': [{'sku': 'A', 'quantity': 3, 'price': '0.10'}],"
                + "'shipping_lines': [{'price': '0.10'}, {'price': '0.20'}]}"), context);

        var order = result.orders().get(0).order();
        assertThat(order.at("/lines/0/lineTotal").decimalValue()).isEqualTo(new BigDecimal("0.30"));
        assertThat(order.at("/totals/shipping").decimalValue()).isEqualTo(new BigDecimal("0.30"));
        assertThat(order.at("/totals/subtotal").decimalValue()).isEqualTo(new BigDecimal("0.30"));
        assertThat(order.at("/payment/reference").asText()).isEqualTo("#9");
    }

    @Test
    void aChannelCanNameItsOwnMappingVariant() {
        Channel channel = new Channel("shop", "Shop", null, null, null, false, null, null, null,
                Map.of("shopify", "shopify/missing.jsonata"));
        var variantContext = new MappingContext(channel, new MappingFiles("mappings"));

        // a variant that does not exist is a configuration error for the operator, not a document problem
        assertThatThrownBy(() -> shopify.read(bytes("{'name': '#1'}"), variantContext))
                .hasMessageContaining("shopify/missing.jsonata");
    }

    @Test
    void aDocumentWithoutOrderDataGivesAnOrderTheValidatorRejects() {
        FormatResult result = woo.read(bytes("{'data': {'id': 5}}"), context);

        assertThat(result.documentErrors()).isEmpty();
        assertThat(result.orders()).singleElement().satisfies(o -> {
            assertThat(o.documentId()).isEqualTo("5");
            assertThat(o.order().path("lines").size()).isZero();
        });
    }

    @Test
    void oneCompiledMappingServesConcurrentDocuments() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                results.add(pool.submit(() -> shopify.read(bytes("{'name': '#" + n + "', 'financial_status': 'paid',"
                        + "'line_items': [{'sku': 'S" + n + "', 'quantity': " + (n + 1) + ", 'price': '0.01'}]}"), context)
                        .orders().get(0).order().at("/lines/0/lineTotal").decimalValue().toPlainString()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(new BigDecimal(i + 1).movePointLeft(2).toPlainString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRunawayMappingIsStoppedAndReported(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("shopify"));
        java.nio.file.Files.writeString(dir.resolve("shopify/loop.jsonata"), "($f := function($x) { $f($x + 1) + 1 }; $f(1))");
        Channel channel = new Channel("shop", "Shop", null, null, null, false, null, null, null,
                Map.of("shopify", "shopify/loop.jsonata"));

        FormatResult result = shopify.read(bytes("{'name': '#1'}"), new MappingContext(channel, new MappingFiles(dir.toString())));

        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("mapping shopify/loop.jsonata"));
    }

    @Test
    void aMappingThatDoesNotCompileIsReportedWithItsFileName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("shopify"));
        java.nio.file.Files.writeString(dir.resolve("shopify/broken.jsonata"), "{ 'a': ");
        Channel channel = new Channel("shop", "Shop", null, null, null, false, null, null, null,
                Map.of("shopify", "shopify/broken.jsonata"));

        FormatResult result = shopify.read(bytes("{'name': '#1'}"), new MappingContext(channel, new MappingFiles(dir.toString())));

        assertThat(result.documentErrors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("mapping shopify/broken.jsonata");
            assertThat(e.message()).startsWith("cannot be compiled at character");
        });
    }
}
