package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Raw documents on {@code POST /api/channels/{channel}/orders}: format recognition, several orders per
 * document (207), EDI acknowledgements on the receipt, preview without storing, and replay of a
 * rejected document after a (verified) mapping change.
 */
class ChannelDocumentsApiTest extends HubTestSupport {

    @Test
    void anX12InterchangeWithTwoSetsAnswers207AndTheReceiptCarriesThe997() throws IOException {
        byte[] edi = unique(Files.readAllBytes(Path.of("mappings/tests/x12-850/own-4010-two-sets.edi")));
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/edi-x12", edi);

        assertThat(r.status()).as(r.toString()).isEqualTo(207);
        JsonNode body = r.body();
        assertThat(body.get("format").asText()).isEqualTo("x12-850");
        assertThat(body.get("results")).hasSize(2);
        assertThat(body.get("results").findValuesAsText("status")).containsOnly("CREATED");
        assertThat(body.at("/results/0/position").asInt()).isEqualTo(1);
        assertThat(body.at("/results/1/position").asInt()).isEqualTo(2);
        assertThat(body.at("/acknowledgement/type").asText()).isEqualTo("997");

        JsonNode receipt = get("/api/receipts/" + r.header("X-Receipt-Id"), B2B_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("orderIds")).hasSize(2);
        assertThat(receipt.at("/acknowledgement/body").asText()).startsWith("ISA").contains("AK1*PO");

        String orderId = body.at("/results/1/orderId").asText();
        JsonNode order = get("/api/orders/" + orderId, B2B_KEY).body();
        assertThat(order.at("/source/format").asText()).isEqualTo("x12-850");
        assertThat(order.at("/source/position").asInt()).isEqualTo(2);
        assertThat(order.at("/source/documentId").asText()).isEqualTo(order.get("externalId").asText());

        Response again = post("/api/channels/b2b/orders", B2B_KEY, "application/edi-x12", edi);
        assertThat(again.status()).isEqualTo(207);
        assertThat(again.body().get("results").findValuesAsText("status")).containsOnly("DUPLICATE");
        assertThat(get("/api/receipts/" + again.header("X-Receipt-Id"), B2B_KEY).body().get("status").asText())
                .isEqualTo("DUPLICATE");
    }

    @Test
    void aUblOrderIsRecognisedAndCreated() throws IOException {
        byte[] ubl = Files.readAllBytes(Path.of("mappings/tests/ubl/phax-ph-ubl-oasis-UBL-Order-2.0-Example-International.xml"));
        String xml = new String(ubl, StandardCharsets.UTF_8).replaceFirst("<cbc:ID>([^<]*)</cbc:ID>",
                "<cbc:ID>$1-" + UUID.randomUUID().toString().replace('-', 'x') + "</cbc:ID>");
        // UBL orders are invoiced: channel b2b allows invoice, the webshop does not (paymentMethods, issue 25)
        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/xml", xml.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.body().at("/source/format").asText()).isEqualTo("ubl");
        assertThat(r.body().get("currency").asText()).isEqualTo("USD");
    }

    @Test
    void aDocumentThatFailsValidationIs422WithEveryProblem() throws IOException {
        byte[] shopify = Files.readAllBytes(Path.of("mappings/tests/shopify/shopify-python-api-order-1001.json"));
        Response r = post("/api/channels/webshop/orders", WEBSHOP_KEY, "application/json", shopify);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("errors").findValuesAsText("field")).contains("/totals/subtotal");
        JsonNode receipt = get("/api/receipts/" + r.header("X-Receipt-Id"), OPS_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("format").asText()).isEqualTo("shopify");
    }

    @Test
    void aFormatTheChannelDoesNotAllowIs422AndKeptAsRejected() throws IOException {
        byte[] ubl = Files.readAllBytes(Path.of("mappings/tests/ubl/jpy-order.xml"));
        Response r = post("/api/channels/marketplace/orders", "test-marketplace-secret", "application/xml", ubl);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().at("/errors/0/field").asText()).isEqualTo("format");
        assertThat(r.body().at("/errors/0/message").asText()).contains("may not send the ubl format");
        JsonNode receipt = get("/api/receipts/" + r.header("X-Receipt-Id"), OPS_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("channel").asText()).isEqualTo("marketplace");
    }

    @Test
    void contentOfNoKnownFormatIs415NamingTheFormats() {
        Response r = post("/api/channels/webshop/orders", WEBSHOP_KEY, "application/octet-stream",
                "just some words".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.body().at("/errors/0/message").asText()).contains("x12-850").contains("ubl");
    }

    @Test
    void previewMapsAndValidatesWithoutStoringAnything() throws IOException {
        byte[] cxml = Files.readAllBytes(Path.of("mappings/tests/cxml/friendsofcxml-cxml-php-samples-OrderRequest.xml"));
        int receipts = count("receipts");
        int orders = count("orders");

        Response r = post("/api/mappings/preview?channel=b2b", OPS_KEY, "text/xml", cxml);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("format").asText()).isEqualTo("cxml");
        assertThat(r.body().at("/orders/0/valid").asBoolean()).isTrue();
        assertThat(r.body().at("/orders/0/order/externalId").asText()).isEqualTo("DO1234");
        assertThat(count("receipts")).isEqualTo(receipts);
        assertThat(count("orders")).isEqualTo(orders);
        assertThat(post("/api/mappings/preview", WEBSHOP_KEY, "text/xml", cxml).status()).isEqualTo(403);
    }

    @Test
    void aRejectedDocumentIsReplayedAfterTheChannelGetsItsOwnMapping() throws Exception {
        String po = "PO-" + UUID.randomUUID().toString().substring(0, 8);
        String csv = String.join("\n",
                "order_number;order_date;currency;customer_name;customer_email;ship_name;ship_line1;ship_city;ship_postal_code;ship_country;sku;quantity;unit_price",
                po + ";2026-03-01;EUR;Kunde GmbH;einkauf@kunde.example;Kunde GmbH;Hauptstr. 1;Bonn;53111;DE;PAPER-A4;2;4.50") + "\n";
        Response first = post("/api/channels/b2b/orders", B2B_KEY, "text/csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(first.status()).as(first.toString()).isEqualTo(422);
        String receiptId = first.header("X-Receipt-Id");

        // an integration engineer gives b2b a semicolon variant of the CSV mapping; the hub verifies and loads it
        Path variant = MAPPINGS.resolve("csv/b2b-semicolon.yaml");
        Files.writeString(variant, Files.readString(MAPPINGS.resolve("csv/default.yaml"))
                .replace("delimiter: \",\"", "delimiter: \";\""));
        Path channels = MAPPINGS.resolve("channels.yaml");
        String original = Files.readString(channels);
        try {
            replayAfterTheMappingFix(channels, receiptId, po);
        } finally {
            // the other tests of this hub read b2b's CSV with the default mapping: the channels file as it was
            Files.writeString(channels, original);
            Files.setLastModifiedTime(channels, FileTime.from(Instant.now().plusSeconds(4)));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    post("/api/mappings/preview?channel=b2b", OPS_KEY, "text/csv", "order_number,order_date\n"
                            .getBytes(StandardCharsets.UTF_8)).body().toString()).doesNotContain("b2b-semicolon"));
            Files.deleteIfExists(variant);
        }
    }

    private void replayAfterTheMappingFix(Path channels, String receiptId, String po) throws Exception {
        Files.writeString(channels, Files.readString(channels).replace("""
                    apiKeys: [demo-b2b]
                """, """
                    apiKeys: [demo-b2b]
                    mappings: {csv: csv/b2b-semicolon.yaml}
                """));
        Files.setLastModifiedTime(channels, FileTime.from(Instant.now().plusSeconds(2)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = get("/api/mappings", OPS_KEY).body();
            assertThat(status.get("refusedChanges")).isEmpty();
            assertThat(new String(Files.readAllBytes(channels))).contains("b2b-semicolon");
            assertThat(replayable(receiptId)).isTrue();
        });

        Response replay = post("/api/receipts/" + receiptId + "/replay", OPS_KEY, null, new byte[0]);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
        assertThat(replay.body().get("externalId").asText()).isEqualTo(po);
        assertThat(replay.header("X-Receipt-Id")).isEqualTo(receiptId);
        JsonNode receipt = get("/api/receipts/" + receiptId, OPS_KEY).body();
        assertThat(receipt.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("attempts").asInt()).isEqualTo(2);

        Response again = post("/api/receipts/" + receiptId + "/replay", OPS_KEY, null, new byte[0]);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("orderId")).isEqualTo(replay.body().get("orderId"));
        assertThat(post("/api/receipts/" + receiptId + "/replay", B2B_KEY, null, new byte[0]).status()).isEqualTo(403);
    }

    @Test
    void receiptContentIsTheStoredDocument() {
        byte[] doc = order().toString().getBytes(StandardCharsets.UTF_8);
        Response r = post("/api/orders", WEBSHOP_KEY, "application/json", doc);
        Response content = get("/api/receipts/" + r.header("X-Receipt-Id") + "/content", WEBSHOP_KEY);
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.bytes()).isEqualTo(doc);
        assertThat(content.header("Content-Type")).startsWith("application/json");
    }

    /** The preview shows whether the channel's mapping now reads the stored document. */
    private boolean replayable(String receiptId) {
        byte[] stored = get("/api/receipts/" + receiptId + "/content", OPS_KEY).bytes();
        JsonNode preview = post("/api/mappings/preview?channel=b2b", OPS_KEY, "text/csv", stored).body();
        return preview.path("orders").path(0).path("valid").asBoolean();
    }

    /** Makes the interchange's PO numbers unique to this run. */
    private static byte[] unique(byte[] edi) {
        String suffix = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        return new String(edi, StandardCharsets.ISO_8859_1).replaceAll("BEG\\*00\\*([A-Z]{2})\\*([^*~]+)", "BEG*00*$1*$2" + suffix)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private int count(String table) {
        Integer n = jdbc.queryForObject("select count(*) from " + table, Integer.class);
        return n == null ? 0 : n;
    }
}
