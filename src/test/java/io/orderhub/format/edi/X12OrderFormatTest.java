package io.orderhub.format.edi;

import static io.orderhub.format.edi.EdiTestSupport.GOOD_BODY;
import static io.orderhub.format.edi.EdiTestSupport.ISA;
import static io.orderhub.format.edi.EdiTestSupport.readX12;
import static io.orderhub.format.edi.EdiTestSupport.set;
import static io.orderhub.format.edi.EdiTestSupport.x12;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import org.junit.jupiter.api.Test;

class X12OrderFormatTest {

    @Test
    void recognisesInterchangesStartingWithIsa() {
        X12OrderFormat format = new X12OrderFormat(EdiTestSupport.CLOCK);
        assertThat(format.recognise(DocumentHead.of(("\uFEFF" + ISA).getBytes(StandardCharsets.UTF_8), null))).isEqualTo(90);
        assertThat(format.recognise(DocumentHead.of("UNB+UNOC:3".getBytes(StandardCharsets.UTF_8), null))).isZero();
        assertThat(format.recognise(DocumentHead.of("{\"lines\":[]}".getBytes(StandardCharsets.UTF_8), null))).isZero();
    }

    @Test
    void amountsStayExactDecimals() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY, null, null), 1, "101", "000000101"));
        MappedOrder order = result.orders().get(0);
        assertThat(order.errors()).isEmpty();
        JsonNode line = order.order().path("lines").get(0);
        assertThat(line.path("lineTotal").isBigDecimal()).isTrue();
        assertThat(line.path("lineTotal").decimalValue()).isEqualByComparingTo(new BigDecimal("0.3"));
        assertThat(order.documentId()).isEqualTo("PO-1");
        assertThat(order.position()).isEqualTo(1);
    }

    @Test
    void lineLevelShipToSplitsTheSetIntoOneOrderPerAddressAndThe997StillAnswersTheSet() {
        String body = """
                BEG*00*SA*PO-7**20240115
                N1*ST*Jo Smith
                N3*9 Elm Road
                N4*Portland*OR*97201
                PO1*1*3*EA*2**VN*SKU-1
                PO1*2*1*EA*5**VN*SKU-2
                N1*ST*Store 4*92*S4
                N3*1 Pine St
                N4*Salem*OR*97301
                PO1*3*2*EA*1**VN*SKU-3
                N1*ST*Jo Smith
                N3*9 Elm Road
                N4*Portland*OR*97201
                PO1*4*4*EA*1**VN*SKU-4
                N1*ST*Store 4*92*S4
                N3*1 Pine St
                N4*Salem*OR*97301
                CTT*4
                AMT*TT*17
                """;
        FormatResult result = readX12(x12(set("0001", body, null, null) + set("0002", GOOD_BODY, null, null), 2, "101",
                "000000101"));

        assertThat(result.orders()).hasSize(3);
        MappedOrder first = result.orders().get(0);
        MappedOrder second = result.orders().get(1);
        assertThat(first.errors()).isEmpty();
        assertThat(second.errors()).isEmpty();
        // lines 1 and 3 go to the header ship-to (line 3's N1*ST is the same address), lines 2 and 4 to store S4
        assertThat(first.order().path("externalId").asText()).isEqualTo("PO-7-1");
        assertThat(first.order().path("lines").findValuesAsText("sku")).containsExactly("SKU-1", "SKU-3");
        assertThat(first.order().at("/shipTo/city").asText()).isEqualTo("Portland");
        assertThat(first.order().at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("8");
        assertThat(second.order().path("externalId").asText()).isEqualTo("PO-7-2");
        assertThat(second.order().path("lines").findValuesAsText("sku")).containsExactly("SKU-2", "SKU-4");
        assertThat(second.order().at("/lines/1/quantity").decimalValue()).isEqualByComparingTo("4");
        assertThat(second.order().at("/shipTo/name").asText()).isEqualTo("Store 4");
        assertThat(second.order().at("/totals/grandTotal").decimalValue()).isEqualByComparingTo("9");
        assertThat(second.order().at("/provenance/~1externalId").asText()).contains("delivery 2 of 2");
        assertThat(first.documentId()).isEqualTo("PO-7");
        assertThat(second.documentId()).isEqualTo("PO-7");
        assertThat(first.position()).isEqualTo(1);
        assertThat(second.position()).isEqualTo(1);
        assertThat(result.orders().get(2).position()).isEqualTo(2);
        assertThat(result.acknowledgement().body()).contains("AK2*850*0001~\nAK5*A~").contains("AK2*850*0002~\nAK5*A~")
                .contains("AK9*A*2*2*2~");
    }

    @Test
    void seControlNumberNotMatchingStRejectsThatSetOnly() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY, null, "0009") + set("0002", GOOD_BODY, null, null),
                2, "101", "000000101"));
        assertThat(result.documentErrors()).isEmpty();
        assertThat(result.orders()).hasSize(2);
        // ISA 1, GS 2, ST 3 .. SE is segment 3 + 6 body + 1 = 10
        assertThat(result.orders().get(0).errors()).containsExactly(FieldError.of("segment 10 (SE) element 2",
                "control number '0009' does not match the header's '0001'"));
        assertThat(result.orders().get(1).errors()).isEmpty();
        assertThat(result.acknowledgement().body()).contains("AK2*850*0001~\nAK5*R*3~")
                .contains("AK2*850*0002~\nAK5*A~").contains("AK9*P*2*2*1~");
    }

    @Test
    void wrongSeCountNamesSegmentAndBothCounts() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY, 5, null), 1, "101", "000000101"));
        assertThat(result.orders().get(0).errors()).containsExactly(FieldError.of("segment 10 (SE) element 1",
                "says 5 segments, the transaction set has 8"));
        assertThat(result.acknowledgement().body()).contains("AK5*R*4~").contains("AK9*R*1*1*0~");
    }

    @Test
    void groupAndInterchangeTrailerMismatchesAreWarningsInTheAcknowledgement() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY, null, null), 1, "999", "000000777"));
        assertThat(result.documentErrors()).isEmpty();
        assertThat(result.orders().get(0).errors()).isEmpty();
        assertThat(result.acknowledgement().body()).contains("TA1*000000101*240115*0930*E*001~").contains("AK9*E*1*1*1*3~");
    }

    @Test
    void notANumberNamesSegmentAndElement() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY.replace("PO1*1*3*", "PO1*1*three*"), null, null),
                1, "101", "000000101"));
        assertThat(result.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 8 (PO1) element 2", "'three' is not a number"));
    }

    @Test
    void badDateNamesSegmentAndElement() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY.replace("20240115", "20241315"), null, null),
                1, "101", "000000101"));
        assertThat(result.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 4 (BEG) element 5", "'20241315' is not a CCYYMMDD date"));
    }

    @Test
    void otherTransactionTypesAreRejectedAsSuch() {
        String invoice = set("0001", GOOD_BODY, null, null).replace("ST*850*", "ST*810*");
        FormatResult result = readX12(x12(invoice, 1, "101", "000000101"));
        assertThat(result.orders().get(0).errors()).containsExactly(FieldError.of("segment 3 (ST) element 1",
                "'810' is not a 850; this format reads only 850"));
        assertThat(result.acknowledgement().body()).contains("AK2*810*0001~\nAK5*R*1~");
    }

    @Test
    void isaFieldTooLongRefusesTheInterchange() {
        String document = x12(set("0001", GOOD_BODY, null, null), 1, "101", "000000101")
                .replace("*ZZ*BUYER          *", "*ZZ*BUYER-WITH-A-LONG-ID*");
        FormatResult result = readX12(document);
        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).containsExactly(FieldError.of("segment 1 (ISA) element 6",
                "is 20 characters long; the ISA field is 15"));
    }

    @Test
    void unreadableInterchangeIsRefusedWithItsPosition() {
        FormatResult result = readX12("ISA*00*garbage~\nGS*PO~\n");
        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).hasSize(1);
        assertThat(result.documentErrors().get(0).field()).startsWith("segment 1 (");
        assertThat(result.documentErrors().get(0).message()).contains("an ISA has 16");
    }

    @Test
    void shipToWithoutAddressIsAMappingErrorNamingTheN1() {
        String body = GOOD_BODY.replace("N1*ST*Jo Smith\nN3*9 Elm Road\nN4*Portland*OR*97201\n", "N1*ST*Store*92*S12\n");
        FormatResult result = readX12(x12(set("0001", body, null, null), 1, "101", "000000101"));
        assertThat(result.orders().get(0).errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("segment 5 (N1) element 2");
            assertThat(e.message()).contains("'S12'").contains("no location directory");
        });
    }

    @Test
    void cttCountNotMatchingTheLinesIsAnError() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY.replace("CTT*1", "CTT*4"), null, null),
                1, "101", "000000101"));
        assertThat(result.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 9 (CTT) element 1", "says 4 line items, the set has 1 PO1 segments"));
    }

    @Test
    void unknownSegmentsAreErrorsNamingPositionAndTag() {
        FormatResult unknown = readX12(x12(set("0001", GOOD_BODY + "ZZZ*1\n", null, null), 1, "101", "000000101"));
        assertThat(unknown.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 10 (ZZZ)", "is not a segment of an 850 purchase order"));
        FormatResult badTag = readX12(x12(set("0001", GOOD_BODY + "po1*1\n", null, null), 1, "101", "000000101"));
        assertThat(badTag.orders().get(0).errors()).containsExactly(
                FieldError.of("segment 10 (po1)", "'po1' is not a segment tag"));
        assertThat(badTag.acknowledgement().body()).contains("AK3*po1*8**1~\nAK5*R*5~");
    }

    @Test
    void aSegmentStAediCannotReadRefusesTheInterchangeNamingItsPosition() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY + "ZZZZ*1\n", null, null), 1, "101", "000000101"));
        assertThat(result.orders()).isEmpty();
        assertThat(result.documentErrors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("segment 10");
            assertThat(e.message()).startsWith("cannot be read (it follows segment 9, CTT)");
        });
        assertThat(result.acknowledgement().body()).contains("TA1*000000101*240115*0930*R*024~");
    }

    @Test
    void aSetOutsideAnyGroupIsRejected() {
        FormatResult result = readX12(ISA + set("0001", GOOD_BODY, null, null) + "IEA*1*000000101~\n");
        assertThat(result.orders().get(0).errors()).contains(
                FieldError.of("segment 2 (ST)", "the transaction set is not inside a GS functional group"));
    }

    @Test
    void missingGroupAndInterchangeTrailersKeepTheCompleteSetsAndAreReportedInTheTa1() {
        FormatResult result = readX12(ISA + "GS*PO*BUYER*ORDERHUB*20240115*0930*101*X*004010~\n"
                + set("0001", GOOD_BODY, null, null));
        assertThat(result.documentErrors()).isEmpty();
        assertThat(result.orders().get(0).errors()).isEmpty();
        assertThat(result.acknowledgement().body()).contains("TA1*000000101*240115*0930*E*023~").contains("AK5*A~");
    }
}
