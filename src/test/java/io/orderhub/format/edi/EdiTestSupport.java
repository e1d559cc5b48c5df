package io.orderhub.format.edi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.orderhub.format.FormatResult;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;

/** Builds small interchanges for the EDI format tests. */
final class EdiTestSupport {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    static final MappingContext CONTEXT = new MappingContext(null, new MappingFiles("mappings"));

    private EdiTestSupport() {
    }

    static final String ISA = "ISA*00*          *00*          *ZZ*BUYER          *ZZ*ORDERHUB       "
            + "*240115*0930*U*00401*000000101*0*P*>~\n";

    /** An 850 set body (without ST/SE); the SE count is computed unless {@code seCount} is given. */
    static String set(String control, String body, Integer seCount, String seControl) {
        String[] lines = body.strip().split("\n");
        int count = seCount != null ? seCount : lines.length + 2;
        StringBuilder out = new StringBuilder("ST*850*").append(control).append("~\n");
        for (String line : lines) {
            out.append(line.strip()).append("~\n");
        }
        return out.append("SE*").append(count).append('*').append(seControl == null ? control : seControl).append("~\n")
                .toString();
    }

    static final String GOOD_BODY = """
            BEG*00*SA*PO-1**20240115
            N1*ST*Jo Smith
            N3*9 Elm Road
            N4*Portland*OR*97201
            PO1*1*3*EA*0.1**VN*SKU-1
            CTT*1
            """;

    static String x12(String sets, int setCount, String groupControl, String trailerControl) {
        return ISA + "GS*PO*BUYER*ORDERHUB*20240115*0930*101*X*004010~\n" + sets + "GE*" + setCount + "*"
                + groupControl + "~\nIEA*1*" + trailerControl + "~\n";
    }

    static FormatResult readX12(String document) {
        return new X12OrderFormat(CLOCK).read(document.getBytes(StandardCharsets.UTF_8), CONTEXT);
    }

    static final String UNB = "UNA:+.? '\nUNB+UNOC:3+SENDER:14+HUB:14+240301:1200+REF1'\n";

    static String message(String reference, String body, Integer untCount, String untReference) {
        String[] lines = body.strip().split("\n");
        int count = untCount != null ? untCount : lines.length + 2;
        StringBuilder out = new StringBuilder("UNH+").append(reference).append("+ORDERS:D:96A:UN'\n");
        for (String line : lines) {
            out.append(line.strip()).append("'\n");
        }
        return out.append("UNT+").append(count).append('+').append(untReference == null ? reference : untReference)
                .append("'\n").toString();
    }

    static final String GOOD_MESSAGE = """
            BGM+220+PO-9+9
            DTM+137:20240301:102
            CUX+2:EUR:9
            NAD+BY+++Shop AG+Ring 1+Wien++1010+AT
            LIN+1++4000862141404:EN
            QTY+21:2
            PRI+AAA:1.15
            UNS+S
            CNT+2:1
            """;

    static FormatResult readEdifact(String document) {
        return new EdifactOrdersFormat(CLOCK).read(document.getBytes(StandardCharsets.ISO_8859_1), CONTEXT);
    }
}
