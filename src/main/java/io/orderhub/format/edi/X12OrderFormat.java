package io.orderhub.format.edi;

import java.time.Clock;
import java.time.ZonedDateTime;

import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.edi.EdiModel.Interchange;
import org.springframework.stereotype.Component;

/** X12 850 purchase orders (4010, 5010): one order per ST..SE, a 997 per functional group. */
@Component
public class X12OrderFormat extends EdiOrderFormat {

    public static final String ID = "x12-850";

    public X12OrderFormat(Clock clock) {
        super(clock);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int recognise(DocumentHead head) {
        return head.startsWith("ISA") ? 90 : 0;
    }

    @Override
    String standard() {
        return EdiParser.X12;
    }

    @Override
    String transactionType() {
        return "850";
    }

    @Override
    String defaultMapping() {
        return "x12-850/order.xsl";
    }

    @Override
    FormatResult.Acknowledgement acknowledge(Interchange interchange, ZonedDateTime now) {
        return X12Acknowledgement.write(interchange, now);
    }
}
