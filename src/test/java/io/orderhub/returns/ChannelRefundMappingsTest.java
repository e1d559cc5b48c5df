package io.orderhub.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.sync.outbound.camel.MappingFailedException;
import io.orderhub.sync.outbound.camel.MappingJsonataComponent;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases of the channel refund and return mappings: every {@code mappings/refunds/tests/<format>-<case>.json}
 * (a channel's refund as its API or webhook sends it) must map with {@code mappings/refunds/<format>.jsonata}, and
 * every {@code mappings/returns/tests/<format>-<case>.json} (a Shopify returns/* webhook's body) with
 * {@code mappings/returns/<format>.jsonata}, to exactly {@code <case>.expected.json}, amounts as exact decimals.
 */
class ChannelRefundMappingsTest {

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(SerializationFeature.INDENT_OUTPUT).setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    static final MappingJsonataComponent MAPPINGS = new MappingJsonataComponent(
            new MappingFiles(Path.of("mappings").toAbsolutePath(), Clock.systemUTC()), JSON);

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        return Stream.concat(inputs("refunds").stream(), inputs("returns").stream()).map(input -> DynamicTest.dynamicTest(
                input.getParent().getParent().getFileName() + "/" + input.getFileName(), () -> {
            String format = input.getFileName().toString().split("-")[0];
            String kind = input.getParent().getParent().getFileName().toString();
            JsonNode actual = MAPPINGS.apply(kind + "/" + format + ".jsonata", JSON.readTree(input.toFile()));
            Path expected = input.resolveSibling(input.getFileName().toString().replace(".json", ".expected.json"));
            String text = JSON.writeValueAsString(actual);
            assertThat(Files.exists(expected)).as(expected + " is missing; the mapping produced:\n" + text).isTrue();
            // compared as read from text, so 1 is 1 whether the mapping made an int or a decimal
            assertThat(JSON.readTree(text)).as(text).isEqualTo(JSON.readTree(expected.toFile()));
        }));
    }

    @Test
    void aShopifyReturnWithoutIdIsReportedAtItsField() throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(Path.of("mappings/returns/tests/shopify-returns-request.json")
                .toFile());
        request.remove("id");
        request.remove("admin_graphql_api_id");
        assertThatThrownBy(() -> MAPPINGS.apply("returns/shopify.jsonata", request))
                .isInstanceOf(MappingFailedException.class).hasMessageContaining("/id");
        ObjectNode wrapped = JSON.createObjectNode();
        ((ObjectNode) request.get("return_line_items").get(0)).put("quantity", "one");
        request.put("id", 5);
        wrapped.set("return", request);
        assertThatThrownBy(() -> MAPPINGS.apply("returns/shopify.jsonata", wrapped))
                .isInstanceOf(MappingFailedException.class).hasMessageContaining("/return/return_line_items/0/quantity");
    }

    @Test
    void everyChannelFormatHasCases() throws IOException {
        assertThat(inputs("returns")).anyMatch(p -> p.getFileName().toString().startsWith("shopify-returns-request"));
        assertThat(inputs("refunds")).anyMatch(p -> p.getFileName().toString().startsWith("shopify-"))
                .anyMatch(p -> p.getFileName().toString().startsWith("woocommerce-"));
    }

    @Test
    void aRefundWithoutIdOrOrderIsReportedAtItsField() throws IOException {
        ObjectNode shopify = (ObjectNode) JSON.readTree(Path.of("mappings/refunds/tests/shopify-refunds-create-return.json")
                .toFile());
        shopify.remove("id");
        assertThatThrownBy(() -> MAPPINGS.apply("refunds/shopify.jsonata", shopify))
                .isInstanceOf(MappingFailedException.class).hasMessageContaining("/id");
        ObjectNode woo = (ObjectNode) JSON.readTree(Path.of("mappings/refunds/tests/woocommerce-refund.json").toFile());
        woo.remove("_links");
        assertThatThrownBy(() -> MAPPINGS.apply("refunds/woocommerce.jsonata", woo))
                .isInstanceOf(MappingFailedException.class).hasMessageContaining("/_links/up");
        woo.put("amount", "ten");
        woo.put("parent_id", 723);
        assertThatThrownBy(() -> MAPPINGS.apply("refunds/woocommerce.jsonata", woo))
                .isInstanceOf(MappingFailedException.class).hasMessageContaining("/amount");
    }

    private static List<Path> inputs(String kind) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("mappings", kind, "tests"))) {
            return files.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".expected.json")).sorted()
                    .toList();
        }
    }
}
