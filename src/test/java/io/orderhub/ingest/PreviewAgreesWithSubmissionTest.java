package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.OrderHubException;
import io.orderhub.format.FormatRegistry;
import io.orderhub.inventory.CatalogueRepository;
import io.orderhub.inventory.InventoryProperties;
import io.orderhub.inventory.KnownSkuCheck;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrderValidator;
import io.orderhub.order.OrderService;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 18 item 6: the preview runs every check a submission runs (catalogue, channel rules, the existing
 * order of the same external id) and says what the submission would do; it never says "valid" for a
 * document the submission then refuses.
 */
class PreviewAgreesWithSubmissionTest extends HubTestSupport {

    @Autowired
    ReceiptStore receipts;
    @Autowired
    ChannelRegistry channels;
    @Autowired
    CanonicalOrderValidator validator;
    @Autowired
    OrderService orders;
    @Autowired
    FormatRegistry formats;
    @Autowired
    MappingFiles mappings;
    @Autowired
    CatalogueRepository catalogue;
    @Autowired
    io.orderhub.order.OrderAmendments amendments;

    @Test
    void previewSaysCreateThenDuplicateOfTheStoredOrder() throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        byte[] edi = Files.readString(Path.of("mappings/tests/x12-850/own-3010-party-ids.edi"), StandardCharsets.ISO_8859_1)
                .replace("PO-3010-", "PO-" + suffix + "-").getBytes(StandardCharsets.ISO_8859_1);

        JsonNode before = post("/api/mappings/preview?channel=b2b", OPS_KEY, "application/edi-x12", edi).body();
        assertThat(before.get("orders").findValuesAsText("outcome")).containsExactly("CREATE", "CREATE", "REJECT");
        assertThat(before.at("/orders/2/errors/0/field").asText()).isEqualTo("segment 26 (BEG) element 5");

        Response submitted = post("/api/channels/b2b/orders", B2B_KEY, "application/edi-x12", edi);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(207);
        assertThat(submitted.body().get("results").findValuesAsText("status")).containsExactly("CREATED", "CREATED", "REJECTED");

        JsonNode after = post("/api/mappings/preview?channel=b2b", OPS_KEY, "application/edi-x12", edi).body();
        assertThat(after.get("orders").findValuesAsText("outcome")).containsExactly("DUPLICATE", "DUPLICATE", "REJECT");
        assertThat(after.at("/orders/0/existingOrderId").asText()).isEqualTo(submitted.body().at("/results/0/orderId").asText());
        assertThat(after.at("/orders/1/existingOrderId").asText()).isEqualTo(submitted.body().at("/results/1/orderId").asText());

        JsonNode noChannel = post("/api/mappings/preview", OPS_KEY, "application/edi-x12", edi).body();
        assertThat(noChannel.at("/orders/0/outcome").asText()).isEqualTo("VALID_WITHOUT_CHANNEL");
    }

    @Test
    void manyLinesWithoutAPriceAreOneProblemCountingThem() {
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 146; i++) {
            lines.append("LIN+").append(i).append("++ART-").append(i).append(":SA'\nQTY+21:1'\n");
        }
        String body = "BGM+220+PO-NOPRICE-" + UUID.randomUUID().toString().substring(0, 6) + "+9'\nDTM+137:20260112:102'\n"
                + "CUX+2:EUR:9'\nNAD+BY+++Shop AG+Ring 1+Wien++1010+AT'\n" + lines + "UNS+S'\n";
        int count = body.split("\n").length + 2;
        String edifact = "UNA:+.? '\nUNB+UNOC:3+SENDER:14+HUB:14+260112:1200+R1'\nUNH+1+ORDERS:D:96A:UN:EAN008'\n"
                + body + "UNT+" + count + "+1'\nUNZ+1+R1'\n";

        Response r = post("/api/channels/b2b/orders", B2B_KEY, "application/edifact", edifact.getBytes(StandardCharsets.UTF_8));

        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.body().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("/lines/*/unitPrice", "/lines/*/lineTotal");
        assertThat(r.body().get("errors").findValuesAsText("message"))
                .anySatisfy(m -> assertThat(m).startsWith("is required — on 146 lines: /lines/0/unitPrice, /lines/1/unitPrice"));
    }

    @Test
    void anUnknownSkuIsReportedByThePreviewExactlyAsTheSubmissionRefusesIt() throws IOException {
        // the hub as configured with orderhub.inventory.unknown-sku=reject (the production default)
        OrderIntake intake = new OrderIntake(receipts, channels, validator, orders, json, formats, mappings,
                List.of(new KnownSkuCheck(catalogue, new InventoryProperties(InventoryProperties.UnknownSku.REJECT,
                        null, null, null))), amendments, List.of());
        String po = "PO-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] edifact = Files.readString(Path.of("mappings/tests/edifact-orders/own-buyer-gln-only.edi"),
                StandardCharsets.ISO_8859_1).replace("PO-GLN-1", po).getBytes(StandardCharsets.ISO_8859_1);

        Preview preview = intake.preview(null, "b2b", "application/edifact", edifact);

        Preview.PreviewOrder order = preview.orders().get(0);
        assertThat(order.valid()).isFalse();
        assertThat(order.outcome()).isEqualTo(Preview.Outcome.REJECT);
        assertThat(order.errors()).anySatisfy(e -> {
            assertThat(e.field()).isEqualTo("/lines/0/sku");
            assertThat(e.message()).contains("unknown SKU '98891 75'");
        });

        String receiptId = receipts.store(new InboundDocument("b2b", "rest", "application/edifact", edifact, false));
        OrderHubException refused = catchThrowableOfType(OrderHubException.class,
                () -> intake.submitDocument(receiptId, "b2b", null, "application/edifact", edifact, null, "rest"));
        assertThat(refused.errors()).containsExactlyElementsOf(order.errors());
        assertThat(receipts.find(receiptId).orElseThrow().status()).isEqualTo(ReceiptStatus.REJECTED);
    }
}
