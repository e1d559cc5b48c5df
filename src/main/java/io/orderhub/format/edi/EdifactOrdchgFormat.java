package io.orderhub.format.edi;

import java.time.Clock;
import java.time.ZonedDateTime;

import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.edi.EdiModel.Interchange;
import org.springframework.stereotype.Component;

/**
 * EDIFACT ORDCHG (order change, D96A and later, EANCOM): one change per UNH..UNT, acting on the order of the same
 * document number (BGM 1004), a CONTRL per interchange. Recognised before edifact-orders when the interchange's
 * first message is an ORDCHG.
 */
@Component
public class EdifactOrdchgFormat extends EdiOrderFormat {

    public static final String ID = "edifact-ordchg";

    public EdifactOrdchgFormat(Clock clock) {
        super(clock);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int recognise(DocumentHead head) {
        if (!head.startsWith("UNA") && !head.startsWith("UNB")) {
            return 0;
        }
        int unh = head.text().indexOf("UNH");
        // UNH, its separator, the message reference (up to 14 characters), a separator, then the message type
        return unh >= 0 && head.text().substring(unh, Math.min(head.text().length(), unh + 24)).contains("ORDCHG") ? 95 : 0;
    }

    @Override
    String standard() {
        return EdiParser.EDIFACT;
    }

    @Override
    String transactionType() {
        return "ORDCHG";
    }

    @Override
    String defaultMapping() {
        return "edifact-ordchg/order.xsl";
    }

    @Override
    FormatResult.Acknowledgement acknowledge(Interchange interchange, ZonedDateTime now) {
        return EdifactAcknowledgement.write(interchange, now, "ORDCHG");
    }
}
