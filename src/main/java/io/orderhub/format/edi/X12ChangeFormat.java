package io.orderhub.format.edi;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.edi.EdiModel.Interchange;
import org.springframework.stereotype.Component;

/**
 * X12 860 purchase order changes (4010, 5010): one change per ST..SE, acting on the order of the same PO number
 * (BCH03), a 997 per functional group. Recognised before x12-850 when the interchange's first transaction set
 * is an 860.
 */
@Component
public class X12ChangeFormat extends EdiOrderFormat {

    public static final String ID = "x12-860";

    public X12ChangeFormat(Clock clock) {
        super(clock);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int recognise(DocumentHead head) {
        return head.startsWith("ISA") && "860".equals(firstSetType(head.text())) ? 95 : 0;
    }

    /** The type of the first ST in an X12 interchange's start (ISA04's character is the element separator), or null. */
    static String firstSetType(String text) {
        if (text.length() < 4) {
            return null;
        }
        String separator = Pattern.quote(String.valueOf(text.charAt(3)));
        Matcher st = Pattern.compile("(?:^|[^A-Za-z0-9])\\s*ST" + separator + "(\\w{3})").matcher(text);
        return st.find() ? st.group(1) : null;
    }

    @Override
    String standard() {
        return EdiParser.X12;
    }

    @Override
    String transactionType() {
        return "860";
    }

    @Override
    String defaultMapping() {
        return "x12-860/order.xsl";
    }

    @Override
    FormatResult.Acknowledgement acknowledge(Interchange interchange, ZonedDateTime now) {
        return X12Acknowledgement.write(interchange, now, "860");
    }
}
