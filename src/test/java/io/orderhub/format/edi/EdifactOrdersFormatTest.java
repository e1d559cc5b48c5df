package io.orderhub.format.edi;

import static io.orderhub.format.edi.EdiTestSupport.GOOD_MESSAGE;
import static io.orderhub.format.edi.EdiTestSupport.UNB;
import static io.orderhub.format.edi.EdiTestSupport.message;
import static io.orderhub.format.edi.EdiTestSupport.readEdifact;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import io.orderhub.common.FieldError;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import org.junit.jupiter.api.Test;

class EdifactOrdersFormatTest {

    @Test
    void recognisesUnaAndUnb() {
        EdifactOrdersFormat format = new EdifactOrdersFormat(EdiTestSupport.CLOCK);
        assertThat(format.recognise(DocumentHead.of("UNA:+.? 'UNB".getBytes(StandardCharsets.UTF_8), null))).isEqualTo(90);
        assertThat(format.recognise(DocumentHead.of("  UNB+UNOA:1".getBytes(StandardCharsets.UTF_8), null))).isEqualTo(90);
        assertThat(format.recognise(DocumentHead.of("ISA*00".getBytes(StandardCharsets.UTF_8), null))).isZero();
    }

    @Test
    void aUnocInterchangeWrittenInUtf8IsDecodedAsDeclaredWithAWarningInTheContrl() {
        String document = UNB + message("1", GOOD_MESSAGE.replace("Shop AG", "Müller GmbH"), null, null) + "UNZ+1+REF1'\n";
        FormatResult utf8 = new EdifactOrdersFormat(EdiTestSupport.CLOCK).read(document.getBytes(StandardCharsets.UTF_8),
                EdiTestSupport.CONTEXT);
        assertThat(utf8.orders()).singleElement().satisfies(o -> {
            assertThat(o.errors()).isEmpty();
            // decoded as declared (UNOC = ISO-8859-1): the two UTF-8 bytes of ü are two characters
            assertThat(o.order().at("/customer/name").asText()).isEqualTo("MÃ¼ller GmbH");
        });
        assertThat(utf8.acknowledgement().body()).contains("UCI+REF1+SENDER:14+HUB:14+7+21+UNB+1:1'");

        FormatResult latin1 = readEdifact(document);
        assertThat(latin1.orders().get(0).order().at("/customer/name").asText()).isEqualTo("Müller GmbH");
        assertThat(latin1.acknowledgement().body()).contains("UCI+REF1+SENDER:14+HUB:14+7'");
        assertThat(EdiParser.utf8Warning("UNB+UNOC:3+A+B'".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
                .as("plain ASCII is the same in both").isEmpty();
        assertThat(EdiParser.utf8Warning(document.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
                .hasValueSatisfying(w -> assertThat(w.message()).contains("declares UNOC").contains("valid UTF-8"));
    }

    @Test
    void mapsAMessageWithExactAmounts() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE, null, null) + "UNZ+1+REF1'\n");
        assertThat(result.documentErrors()).isEmpty();
        assertThat(result.orders()).singleElement().satisfies(o -> {
            assertThat(o.errors()).isEmpty();
            assertThat(o.documentId()).isEqualTo("PO-9");
            assertThat(o.order().at("/lines/0/lineTotal").decimalValue()).isEqualByComparingTo(new BigDecimal("2.30"));
            assertThat(o.order().at("/lines/0/lineTotal").isBigDecimal()).isTrue();
            assertThat(o.order().at("/shipTo/country").asText()).isEqualTo("AT");
        });
    }

    @Test
    void untReferenceNotMatchingUnhRejectsThatMessageOnly() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE, null, "7") + message("2", GOOD_MESSAGE, null, null)
                + "UNZ+2+REF1'\n");
        // UNA 1, UNB 2, UNH 3, 9 body segments, UNT 13
        assertThat(result.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 13 (UNT) element 2", "control number '7' does not match the header's '1'"));
        assertThat(result.orders().get(1).errors()).isEmpty();
        assertThat(result.orders().get(1).position()).isEqualTo(2);
    }

    @Test
    void wrongUntCountNamesSegmentAndCounts() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE, 30, null) + "UNZ+1+REF1'\n");
        assertThat(result.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 13 (UNT) element 1", "says 30 segments, the message has 11"));
    }

    @Test
    void duplicateMessageReferenceIsRejected() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE, null, null) + message("1", GOOD_MESSAGE, null, null)
                + "UNZ+2+REF1'\n");
        assertThat(result.orders().get(0).errors()).isEmpty();
        assertThat(result.orders().get(1).errors()).containsExactly(FieldError.of("segment 14 (UNH) element 1",
                "control number '1' is already used by message 1 of this interchange"));
    }

    @Test
    void decimalCommaAndNonNumbersAreHandledPrecisely() {
        FormatResult comma = readEdifact(UNB + message("1", GOOD_MESSAGE.replace("PRI+AAA:1.15", "PRI+AAA:1,15"), null, null)
                + "UNZ+1+REF1'\n");
        assertThat(comma.orders().get(0).order().at("/lines/0/unitPrice").decimalValue())
                .isEqualByComparingTo(new BigDecimal("1.15"));
        FormatResult bad = readEdifact(UNB + message("1", GOOD_MESSAGE.replace("QTY+21:2", "QTY+21:two"), null, null)
                + "UNZ+1+REF1'\n");
        assertThat(bad.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 9 (QTY) element 1 component 2", "'two' is not a number"));
    }

    @Test
    void cntHashTotalNotMatchingIsAnError() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE.replace("CNT+2:1", "CNT+2:1\nCNT+1:5"), null, null)
                + "UNZ+1+REF1'\n");
        assertThat(result.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 13 (CNT) element 1 component 2", "says the quantities add up to 5, they add up to 2"));
    }

    @Test
    void unzCountNotMatchingIsAWarningOnly() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE, null, null) + "UNZ+3+REF1'\n");
        assertThat(result.orders().get(0).errors()).isEmpty();
        assertThat(result.acknowledgement().body()).contains("UCI+REF1+SENDER:14+HUB:14+7+29+UNZ+1'");
    }

    @Test
    void notAnInterchangeIsRefused() {
        FormatResult result = readEdifact("UNB+this is not edifact");
        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("EDIFACT interchange"));
    }

    @Test
    void unknownSegmentIsAnErrorNamingPositionAndTag() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE + "XYZ+1\n", null, null) + "UNZ+1+REF1'\n");
        assertThat(result.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 13 (XYZ)", "is not a segment of an ORDERS message"));
    }

    @Test
    void loc7WithQty11SplitsTheMessageIntoOneOrderPerPlaceAndContrlStillAnswersTheMessage() {
        String split = """
                BGM+220+PO-S+9
                DTM+137:20240301:102
                CUX+2:EUR:9
                NAD+BY+++Shop AG+Ring 1+Wien++1010+AT
                NAD+DP+9000000000011::9++Lager Wien+Ring 1+Wien++1010+AT
                NAD+DP+9000000000028::9++Filiale Graz+Hauptplatz 2+Graz++8010+AT
                LIN+1++4000862141404:EN
                QTY+21:5
                PRI+AAA:2
                LOC+7+9000000000011::9
                QTY+11:2
                LOC+7+9000000000028::9
                QTY+11:3
                LIN+2++4000862141405:EN
                QTY+21:1
                PRI+AAA:4
                UNS+S
                MOA+86:14
                CNT+2:2
                """;
        FormatResult result = readEdifact(UNB + message("1", split, null, null) + message("2", GOOD_MESSAGE, null, null)
                + "UNZ+2+REF1'\n");

        assertThat(result.orders()).hasSize(3);
        MappedOrder wien = result.orders().get(0);
        MappedOrder graz = result.orders().get(1);
        assertThat(wien.errors()).isEmpty();
        assertThat(graz.errors()).isEmpty();
        assertThat(wien.order().path("externalId").asText()).isEqualTo("PO-S-1");
        assertThat(wien.order().at("/shipTo/city").asText()).isEqualTo("Wien");
        assertThat(wien.order().path("lines").findValuesAsText("sku")).containsExactly("4000862141404", "4000862141405");
        assertThat(wien.order().at("/lines/0/quantity").decimalValue()).isEqualByComparingTo("2");
        assertThat(wien.order().at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("8");
        assertThat(graz.order().path("externalId").asText()).isEqualTo("PO-S-2");
        assertThat(graz.order().at("/shipTo/name").asText()).isEqualTo("Filiale Graz");
        assertThat(graz.order().at("/lines/0/quantity").decimalValue()).isEqualByComparingTo("3");
        assertThat(graz.order().at("/lines/0/lineTotal").decimalValue()).isEqualByComparingTo("6");
        assertThat(graz.order().at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("6");
        assertThat(wien.documentId()).isEqualTo("PO-S");
        assertThat(graz.position()).isEqualTo(1);
        assertThat(result.orders().get(2).position()).isEqualTo(2);
        assertThat(result.acknowledgement().body()).contains("UCM+1+ORDERS:D:96A:UN+7'", "UCM+2+ORDERS:D:96A:UN+7'");
    }

    @Test
    void otherMessageTypesAreRejectedAsSuch() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE, null, null).replace("ORDERS:", "ORDRSP:")
                + "UNZ+1+REF1'\n");
        assertThat(result.orders().get(0).errors()).containsExactly(FieldError.of("segment 3 (UNH) element 2",
                "'ORDRSP' is not a ORDERS; this format reads only ORDERS"));
        assertThat(result.acknowledgement().body()).contains("UCM+1+ORDRSP:D:96A:UN+4+14+UNH+2'");
    }

    @Test
    void groupTrailerReferenceMismatchIsAWarning() {
        FormatResult result = readEdifact(UNB + "UNG+ORDERS+S+R+240301:1200+G1+UN+D:96A'\n"
                + message("1", GOOD_MESSAGE, null, null) + "UNE+1+G9'\nUNZ+1+REF1'\n");
        assertThat(result.orders().get(0).errors()).isEmpty();
        assertThat(result.acknowledgement().body()).contains("UCI+REF1+SENDER:14+HUB:14+7+28+UNE+2'");
    }
}
