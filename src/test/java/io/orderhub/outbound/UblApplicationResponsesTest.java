package io.orderhub.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.orderhub.common.OrderHubException;
import org.junit.jupiter.api.Test;

/** Reading a partner's UBL ApplicationResponse (Peppol MLR, Invoice Response): references, verdicts, reasons. */
class UblApplicationResponsesTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A Peppol Message Level Response rejecting an invoice, with a line-level error (after the BIS MLR 3 example). */
    static final String MLR_REJECTED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
                xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:mlr:3</cbc:CustomizationID>
              <cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:mlr:3</cbc:ProfileID>
              <cbc:ID>MLR-1</cbc:ID>
              <cbc:IssueDate>2026-12-07</cbc:IssueDate>
              <cac:SenderParty><cbc:EndpointID schemeID="0088">4012345000009</cbc:EndpointID></cac:SenderParty>
              <cac:ReceiverParty><cbc:EndpointID schemeID="0088">4000000000001</cbc:EndpointID></cac:ReceiverParty>
              <cac:DocumentResponse>
                <cac:Response>
                  <cbc:ResponseCode>RE</cbc:ResponseCode>
                  <cbc:Description>Rejected due to validation errors</cbc:Description>
                </cac:Response>
                <cac:DocumentReference>
                  <cbc:ID>ORD-000000042</cbc:ID>
                  <cbc:DocumentTypeCode>380</cbc:DocumentTypeCode>
                </cac:DocumentReference>
                <cac:LineResponse>
                  <cac:LineReference><cbc:LineID>/Invoice/cbc:BuyerReference</cbc:LineID></cac:LineReference>
                  <cac:Response>
                    <cbc:ResponseCode listID="UNCL4343OpSubset">RE</cbc:ResponseCode>
                    <cbc:Description>Buyer reference is missing</cbc:Description>
                    <cac:Status><cbc:StatusReasonCode listID="OPStatusReason">BV</cbc:StatusReasonCode></cac:Status>
                  </cac:Response>
                </cac:LineResponse>
              </cac:DocumentResponse>
            </ApplicationResponse>
            """;

    @Test
    void aRejectingMessageLevelResponseNamesTheDocumentAndEveryReason() {
        assertThat(UblApplicationResponses.isApplicationResponse(bytes(MLR_REJECTED))).isTrue();
        assertThat(Acknowledgements.kind(bytes(MLR_REJECTED))).contains("ubl-application-response");
        List<UblApplicationResponses.Verdict> v = UblApplicationResponses.verdicts(bytes(MLR_REJECTED));
        assertThat(v).containsExactly(new UblApplicationResponses.Verdict("ORD-000000042", "invoice", "0088:4012345000009",
                "RE", true, false, "ApplicationResponse RE: Rejected due to validation errors;"
                + " line /Invoice/cbc:BuyerReference (RE): Buyer reference is missing, BV"));
    }

    @Test
    void acceptingCodesAcknowledgeAndAnInvoiceResponseNamesTheInvoice() {
        String ap = UblPartnerDocumentsFlowTest.applicationResponse(UblPartnerDocumentsFlowTest.MLR, "ORD-1-7", "231", "AP", "");
        assertThat(UblApplicationResponses.verdicts(bytes(ap))).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("order-response");
            assertThat(x.accepted()).isTrue();
            assertThat(x.reason()).isNull();
        });
        String paid = UblPartnerDocumentsFlowTest.applicationResponse(UblPartnerDocumentsFlowTest.INVOICE_RESPONSE, "ORD-1",
                null, "PD", "<cbc:Description>Paid 2026-12-07</cbc:Description>");
        assertThat(UblApplicationResponses.verdicts(bytes(paid))).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("invoice");
            assertThat(x.accepted()).isTrue();
            assertThat(x.reason()).isEqualTo("ApplicationResponse PD: Paid 2026-12-07");
        });
        String unknown = UblPartnerDocumentsFlowTest.applicationResponse(UblPartnerDocumentsFlowTest.MLR, "ORD-1", "351", "ZZ", "");
        assertThat(UblApplicationResponses.verdicts(bytes(unknown))).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("ship-notice");
            assertThat(x.understood()).isFalse();
        });
    }

    @Test
    void otherDocumentsAreNotApplicationResponsesAndBrokenOnesGetAClearError() {
        assertThat(UblApplicationResponses.isApplicationResponse(bytes("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>")))
                .isFalse();
        assertThat(UblApplicationResponses.isApplicationResponse(bytes("ISA*00*..."))).isFalse();
        // a DTD (entity expansion) is refused, never read
        String withDtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]>"
                + "<ApplicationResponse xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2\"/>";
        assertThat(UblApplicationResponses.isApplicationResponse(bytes(withDtd))).isFalse();
        String noReference = MLR_REJECTED.replace("<cbc:ID>ORD-000000042</cbc:ID>", "");
        assertThatThrownBy(() -> UblApplicationResponses.verdicts(bytes(noReference))).isInstanceOf(OrderHubException.class)
                .hasMessageContaining("cac:DocumentReference/cbc:ID is missing");
        String noCode = MLR_REJECTED.replace("<cbc:ResponseCode>RE</cbc:ResponseCode>", "");
        assertThatThrownBy(() -> UblApplicationResponses.verdicts(bytes(noCode))).isInstanceOf(OrderHubException.class)
                .hasMessageContaining("cbc:ResponseCode is missing");
    }
}
