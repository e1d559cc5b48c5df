package io.orderhub.format.edi;

import java.time.Clock;
import java.time.ZonedDateTime;

import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.edi.EdiModel.Interchange;
import org.springframework.stereotype.Component;

/** EDIFACT ORDERS (D96A, D01B, D03B, EANCOM): one order per UNH..UNT, a CONTRL per interchange. */
@Component
public class EdifactOrdersFormat extends EdiOrderFormat {

    public static final String ID = "edifact-orders";

    public EdifactOrdersFormat(Clock clock) {
        super(clock);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int recognise(DocumentHead head) {
        return head.startsWith("UNA") || head.startsWith("UNB") ? 90 : 0;
    }

    @Override
    String standard() {
        return EdiParser.EDIFACT;
    }

    @Override
    String transactionType() {
        return "ORDERS";
    }

    @Override
    String defaultMapping() {
        return "edifact-orders/order.xsl";
    }

    @Override
    FormatResult.Acknowledgement acknowledge(Interchange interchange, ZonedDateTime now) {
        return EdifactAcknowledgement.write(interchange, now);
    }
}
