package io.orderhub.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each format's cancellation, as the golden cases hold it (real documents edited to cancel where the corpus has
 * one), sent for a channel with the number of an order the channel sent before: the order is CANCELLED and its
 * stock released, the receipt ACCEPTED, no second order made.
 */
class CancellationByFormatTest extends InventoryTestSupport {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "x12-850/aaronhuggins-node-x12-850-vics-xyz-retail-BEG01-cancel.edi | *SA*08292233294* | *SA*%s* | application/edi-x12",
            "edifact-orders/own-bgm-1225-cancellation.edi | *PO-EF-2* | *%s* | application/edifact",
            "cxml/officeluv-cxml-coupa-order_request-type-delete.xml | orderID=\"3309\" | orderID=\"%s\" | application/xml",
            "shopify/taxes-included-eur-cancelled.json | \"#DE-1042\" | \"%s\" | application/json",
            "woocommerce/prices-include-tax-eur-bacs-cancelled.json | \"1207\" | \"%s\" | application/json"
    })
    void aCancellationDocumentCancelsTheStoredOrder(String file, String number, String replacement, String contentType)
            throws IOException {
        String sku = product(3, 0);
        ObjectNode order = orderFor("DE", sku, 2);
        String externalId = order.get("externalId").asText();
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        String document = Files.readString(Path.of("mappings", "tests", file), StandardCharsets.ISO_8859_1);
        assertThat(document).as("the document's order number").contains(number);
        document = document.replace(number, replacement.formatted(externalId));

        Response r = post("/api/channels/webshop/orders", WEBSHOP_KEY, contentType,
                document.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().get("orderId").asText()).isEqualTo(orderId);
        assertThat(status(orderId)).isEqualTo("CANCELLED");
        assertThat(inventory(sku).get("available").asInt()).isEqualTo(3);
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class,
                r.header("X-Receipt-Id"))).isEqualTo("ACCEPTED");
        assertThat(jdbc.queryForObject("select count(*) from orders where channel = 'webshop' and external_id = ?",
                Integer.class, externalId)).isEqualTo(1);
    }
}
