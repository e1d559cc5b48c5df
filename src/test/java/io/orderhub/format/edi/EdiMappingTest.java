package io.orderhub.format.edi;

import static io.orderhub.format.edi.EdiTestSupport.CLOCK;
import static io.orderhub.format.edi.EdiTestSupport.GOOD_MESSAGE;
import static io.orderhub.format.edi.EdiTestSupport.UNB;
import static io.orderhub.format.edi.EdiTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.orderhub.channel.Channel;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import net.sf.saxon.s9api.XdmAtomicValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdiMappingTest {

    @TempDir
    Path dir;

    @Test
    void floatingPointResultsAreRefused() {
        assertThatThrownBy(() -> EdiMapping.json(new XdmAtomicValue(1.5d), "order/totals/tax"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("order/totals/tax");
        assertThat(EdiMapping.json(new XdmAtomicValue(new java.math.BigDecimal("19.990")), "x").decimalValue())
                .isEqualByComparingTo("19.99");
    }

    @Test
    void aChannelVariantOfTheMappingIsUsedAndAnEditIsPickedUp() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("edifact-orders"));
        String shared = Files.readString(Path.of("mappings", "edifact-orders", "order.xsl"));
        Path variant = folder.resolve("order-eur.xsl");
        Files.writeString(variant, shared.replace("name=\"default-currency\" as=\"xs:string\" select=\"''\"",
                "name=\"default-currency\" as=\"xs:string\" select=\"'EUR'\""));
        Channel channel = new Channel("eu-shop", "EU shop", null, null, null, false, null, null, null,
                Map.of(EdifactOrdersFormat.ID, "edifact-orders/order-eur.xsl"));
        MappingContext context = new MappingContext(channel, new MappingFiles(dir.toString()));
        byte[] noCux = (UNB + message("1", GOOD_MESSAGE.replace("CUX+2:EUR:9\n", ""), null, null) + "UNZ+1+REF1'\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        EdifactOrdersFormat format = new EdifactOrdersFormat(CLOCK);

        FormatResult first = format.read(noCux, context);
        assertThat(first.orders().get(0).order().path("currency").asText()).isEqualTo("EUR");

        Files.writeString(variant, Files.readString(variant).replace("select=\"'EUR'\"", "select=\"'CHF'\""));
        Files.setLastModifiedTime(variant, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(format.read(noCux, context).orders().get(0).order().path("currency").asText()).isEqualTo("CHF"));
    }
}
