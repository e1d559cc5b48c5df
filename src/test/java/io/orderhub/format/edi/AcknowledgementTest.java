package io.orderhub.format.edi;

import static io.orderhub.format.edi.EdiTestSupport.GOOD_BODY;
import static io.orderhub.format.edi.EdiTestSupport.GOOD_MESSAGE;
import static io.orderhub.format.edi.EdiTestSupport.UNB;
import static io.orderhub.format.edi.EdiTestSupport.message;
import static io.orderhub.format.edi.EdiTestSupport.readEdifact;
import static io.orderhub.format.edi.EdiTestSupport.readX12;
import static io.orderhub.format.edi.EdiTestSupport.set;
import static io.orderhub.format.edi.EdiTestSupport.x12;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.orderhub.format.FormatResult;
import io.orderhub.format.edi.EdiModel.Interchange;
import org.junit.jupiter.api.Test;

/** The 997 and CONTRL answers: exact content, and each is itself a well-formed interchange. */
class AcknowledgementTest {

    @Test
    void x12AcceptedInterchangeGetsAnAccepting997() {
        FormatResult result = readX12(x12(set("0001", GOOD_BODY, null, null), 1, "101", "000000101"));
        FormatResult.Acknowledgement ack = result.acknowledgement();
        assertThat(ack.type()).isEqualTo("997");
        assertThat(ack.contentType()).isEqualTo("application/edi-x12");
        assertThat(ack.body()).isEqualTo("""
                ISA*00*          *00*          *ZZ*ORDERHUB       *ZZ*BUYER          *260102*0304*U*00401*000000101*0*P*>~
                GS*FA*ORDERHUB*BUYER*20260102*0304*101*X*004010~
                ST*997*0001~
                AK1*PO*101~
                AK2*850*0001~
                AK5*A~
                AK9*A*1*1*1~
                SE*6*0001~
                GE*1*101~
                IEA*1*000000101~
                """);
        assertWellFormed(ack.body(), EdiParser.X12);
    }

    @Test
    void x12RejectedSetGetsAk3Ak4AndRejecting997() {
        // SE count wrong in set 1; set 2's ST02 and SE02 are 2 characters, the minimum is 4
        FormatResult result = readX12(x12(set("0001", GOOD_BODY, 99, null)
                + set("01", GOOD_BODY, null, null),
                2, "101", "000000101"));
        String body = result.acknowledgement().body();
        assertThat(body).contains("AK2*850*0001~\nAK5*R*4~");
        assertThat(body).contains("AK2*850*01~\nAK3*ST*1**8~\nAK4*2**4~\nAK3*SE*8**8~\nAK4*2**4~\nAK5*R*5~");
        assertThat(body).contains("AK9*R*2*2*0~");
        assertWellFormed(body, EdiParser.X12);
    }

    @Test
    void edifactAcceptedInterchangeGetsAcceptingContrl() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE, null, null) + "UNZ+1+REF1'\n");
        FormatResult.Acknowledgement ack = result.acknowledgement();
        assertThat(ack.type()).isEqualTo("CONTRL");
        assertThat(ack.contentType()).isEqualTo("application/edifact");
        assertThat(ack.body()).isEqualTo("""
                UNA:+.? '
                UNB+UNOC:3+HUB:14+SENDER:14+260102:0304+REF1'
                UNH+1+CONTRL:D:3:UN'
                UCI+REF1+SENDER:14+HUB:14+7'
                UCM+1+ORDERS:D:96A:UN+7'
                UNT+4+1'
                UNZ+1+REF1'
                """);
        assertWellFormed(ack.body(), EdiParser.EDIFACT);
    }

    @Test
    void edifactRejectedMessageAndMissingUnzAreReported() {
        FormatResult result = readEdifact(UNB + message("1", GOOD_MESSAGE, 30, null) + message("2", GOOD_MESSAGE, null, null));
        String body = result.acknowledgement().body();
        assertThat(body).contains("UCI+REF1+SENDER:14+HUB:14+7+13+UNZ'");
        assertThat(body).contains("UCM+1+ORDERS:D:96A:UN+4+29+UNT+1'");
        assertThat(body).contains("UCM+2+ORDERS:D:96A:UN+7'");
        assertThat(result.orders().get(1).errors()).isEmpty();
        assertWellFormed(body, EdiParser.EDIFACT);
    }

    @Test
    void edifactRefusedInterchangeGetsRejectingUci() {
        FormatResult result = readEdifact(UNB + "UNH+1+ORDERS:D:96A:UN'\nBGM+220+PO'\nUNT+3+1'\nGARBAGE WITHOUT TERMINATOR");
        assertThat(result.documentErrors()).isNotEmpty();
        assertThat(result.acknowledgement().body()).contains("UCI+REF1+SENDER:14+HUB:14+4+");
    }

    private static void assertWellFormed(String body, String standard) {
        Interchange parsed = EdiParser.parse(body.getBytes(StandardCharsets.UTF_8), standard);
        assertThat(parsed.errors).isEmpty();
        assertThat(parsed.warnings).isEmpty();
        assertThat(parsed.transactions()).allSatisfy(t -> assertThat(t.issues).isEmpty());
    }
}
