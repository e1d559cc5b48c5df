package io.orderhub.format.edi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.orderhub.format.DocumentHead;
import org.junit.jupiter.api.Test;

/** An 860 or ORDCHG interchange goes to its change format, an 850 or ORDERS one still to the order format. */
class ChangeFormatRecognitionTest {

    private static final String ISA = "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*ORDERHUB       *240116*1015*U*00401*000000201*0*P*>~\n";

    private static DocumentHead head(String text) {
        return DocumentHead.of(text.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    @Test
    void x12ChangeSetsAreRecognisedBeforeTheOrderFormat() {
        X12ChangeFormat change = new X12ChangeFormat(EdiTestSupport.CLOCK);
        X12OrderFormat order = new X12OrderFormat(EdiTestSupport.CLOCK);
        DocumentHead changeDoc = head(ISA + "GS*PC*A*B*20240116*1015*1*X*004010~\nST*860*0001~\nBCH*04*SA*PO1~");
        DocumentHead orderDoc = head(ISA + "GS*PO*A*B*20240116*1015*1*X*004010~\nST*850*0001~\nBEG*00*SA*PO1~");
        assertThat(change.recognise(changeDoc)).isGreaterThan(order.recognise(changeDoc));
        assertThat(change.recognise(orderDoc)).isZero();
        assertThat(order.recognise(orderDoc)).isEqualTo(90);
        // another element separator, declared by ISA itself
        assertThat(change.recognise(head(ISA.replace('*', '|') + "GS|PC|A|B|20240116|1015|1|X|004010~ST|860|0001~")))
                .isEqualTo(95);
    }

    @Test
    void edifactOrderChangesAreRecognisedBeforeTheOrderFormat() {
        EdifactOrdchgFormat change = new EdifactOrdchgFormat(EdiTestSupport.CLOCK);
        EdifactOrdersFormat order = new EdifactOrdersFormat(EdiTestSupport.CLOCK);
        DocumentHead changeDoc = head("UNA:+.? 'UNB+UNOC:3+A+B+240302:1200+1'UNH+1+ORDCHG:D:96A:UN:EAN008'BGM+230+PO1+4'");
        DocumentHead orderDoc = head("UNB+UNOC:3+A+B+240302:1200+1'UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO1+9'");
        assertThat(change.recognise(changeDoc)).isGreaterThan(order.recognise(changeDoc));
        assertThat(change.recognise(orderDoc)).isZero();
        assertThat(order.recognise(orderDoc)).isEqualTo(90);
    }
}
