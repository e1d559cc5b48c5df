package io.orderhub.format.edi;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.orderhub.format.FormatResult.Acknowledgement;
import io.orderhub.format.edi.EdiModel.Code;
import io.orderhub.format.edi.EdiModel.Group;
import io.orderhub.format.edi.EdiModel.Interchange;
import io.orderhub.format.edi.EdiModel.Issue;
import io.orderhub.format.edi.EdiModel.Transaction;

/**
 * The X12 997 functional acknowledgement of an interchange: one 997 per functional group (AK1), one AK2
 * per transaction set with its segment (AK3) and element (AK4) errors and AK5 A or R, and AK9 A / E
 * (accepted, group trailer problems) / P / R. Interchange-level problems (ISA repairs, IEA02 not ISA13,
 * a missing IEA, an unreadable interchange) are reported in a TA1 before the functional group. The 997
 * is a syntax acknowledgement: business errors found by the mapping or the validator are not in it.
 * The answer's control numbers repeat the received ones (the hub keeps no counter of its own).
 */
final class X12Acknowledgement {

    private static final String TERMINATOR = "~\n";

    private X12Acknowledgement() {
    }

    static Acknowledgement write(Interchange interchange, ZonedDateTime now) {
        return write(interchange, now, "850");
    }

    /** As {@link #write(Interchange, ZonedDateTime)} for a format that reads transaction sets of {@code supported}. */
    static Acknowledgement write(Interchange interchange, ZonedDateTime now, String supported) {
        if (interchange.header == null) {
            return null; // nothing to address an answer to
        }
        String control = interchange.value(13, 1).trim();
        List<String> segments = new ArrayList<>();
        segments.add(String.join("*", "ISA", "00", pad("", 10), "00", pad("", 10),
                pad(interchange.value(7, 1), 2), pad(interchange.value(8, 1), 15),
                pad(interchange.value(5, 1), 2), pad(interchange.value(6, 1), 15),
                now.format(DateTimeFormatter.ofPattern("yyMMdd")), now.format(DateTimeFormatter.ofPattern("HHmm")),
                pad(interchange.value(11, 1), 1), pad(interchange.value(12, 1), 5), pad(control, 9), "0",
                pad(interchange.value(15, 1), 1), ">"));
        List<Issue> envelope = new ArrayList<>(interchange.errors);
        // group trailer problems are in the 997's AK9; everything else about the envelope goes to the TA1
        envelope.addAll(interchange.warnings.stream()
                .filter(w -> interchange.groups.stream().noneMatch(g -> g.issues.contains(w))).toList());
        envelope.sort(java.util.Comparator.comparingInt(i -> switch (i.code()) {
            case TRAILER_MISSING, SEGMENT_COUNT, CONTROL_NUMBER_MISMATCH -> 0;
            default -> 1;
        }));
        if (!envelope.isEmpty()) {
            segments.add(String.join("*", "TA1", control, interchange.value(9, 1), interchange.value(10, 1),
                    interchange.errors.isEmpty() ? "E" : "R", noteCode(envelope.get(0))));
        }
        List<Group> groups = interchange.groups.stream().filter(g -> g.header != null).toList();
        if (!interchange.errors.isEmpty() || groups.isEmpty()) {
            segments.add("IEA*0*" + pad(control, 9));
            return new Acknowledgement("997", "application/edi-x12", String.join(TERMINATOR, segments) + TERMINATOR);
        }
        String groupControl = groups.get(0).value(6);
        segments.add(String.join("*", "GS", "FA", groups.get(0).value(3), groups.get(0).value(2),
                now.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8),
                now.format(DateTimeFormatter.ofPattern("HHmm")), groupControl, "X", groups.get(0).value(8)));
        int number = 0;
        for (Group group : groups) {
            segments.addAll(functionalAck(group, String.format("%04d", ++number), supported));
        }
        segments.add("GE*" + number + "*" + groupControl);
        segments.add("IEA*1*" + pad(control, 9));
        return new Acknowledgement("997", "application/edi-x12", String.join(TERMINATOR, segments) + TERMINATOR);
    }

    private static List<String> functionalAck(Group group, String control, String supported) {
        List<String> set = new ArrayList<>();
        set.add("ST*997*" + control);
        set.add("AK1*" + group.value(1) + "*" + group.value(6));
        int accepted = 0;
        for (Transaction transaction : group.transactions) {
            set.add("AK2*" + transaction.type + "*" + transaction.control);
            int first = transaction.segments.isEmpty() ? 0 : transaction.segments.get(0).position();
            List<String> codes = new ArrayList<>();
            for (Issue issue : transaction.issues) {
                switch (issue.code()) {
                    case SEGMENT_COUNT -> codes.add("4");
                    case CONTROL_NUMBER_MISMATCH -> codes.add("3");
                    case TRAILER_MISSING -> codes.add("2");
                    case DUPLICATE_CONTROL_NUMBER -> codes.add("23");
                    default -> {
                        codes.add("5");
                        set.add(String.join("*", "AK3", issue.tag(), Integer.toString(issue.segment() - first + 1), "",
                                issue.element() > 0 ? "8" : segmentCode(issue.code())));
                        if (issue.element() > 0) {
                            set.add("AK4*" + issue.element() + (issue.component() > 0 ? ">" + issue.component() : "")
                                    + "**" + elementCode(issue.code()));
                        }
                    }
                }
            }
            if (!supported.equals(transaction.type)) {
                codes.add(0, "1");
            }
            List<String> distinct = codes.stream().distinct().limit(5).toList();
            if (distinct.isEmpty()) {
                accepted++;
                set.add("AK5*A");
            } else {
                set.add("AK5*R*" + String.join("*", distinct));
            }
        }
        List<String> groupCodes = group.issues.stream().map(i -> i.code() == Code.SEGMENT_COUNT ? "4"
                : i.code() == Code.CONTROL_NUMBER_MISMATCH ? "3" : "").filter(c -> !c.isEmpty()).distinct().toList();
        int received = group.transactions.size();
        String status = accepted == 0 && received > 0 ? "R" : accepted < received ? "P"
                : groupCodes.isEmpty() ? "A" : "E";
        set.add("AK9*" + status + "*" + received + "*" + received + "*" + accepted
                + (groupCodes.isEmpty() ? "" : "*" + String.join("*", groupCodes)));
        set.add("SE*" + (set.size() + 1) + "*" + control);
        return set;
    }

    private static String segmentCode(Code code) {
        return switch (code) {
            case UNKNOWN_SEGMENT -> "1";
            case UNEXPECTED_SEGMENT -> "2";
            case MANDATORY_MISSING -> "3";
            case TOO_MANY -> "5";
            default -> "8";
        };
    }

    private static String elementCode(Code code) {
        return switch (code) {
            case MANDATORY_MISSING -> "1";
            case TOO_MANY -> "3";
            case TOO_SHORT -> "4";
            case TOO_LONG -> "5";
            case INVALID_CHARACTER -> "6";
            case INVALID_DATE -> "8";
            case INVALID_TIME -> "9";
            default -> "7";
        };
    }

    private static String noteCode(Issue issue) {
        return switch (issue.code()) {
            case CONTROL_NUMBER_MISMATCH -> "001";
            case SEGMENT_COUNT -> "021";
            case TRAILER_MISSING -> "023";
            default -> "024";
        };
    }

    private static String pad(String value, int width) {
        String v = value == null ? "" : value;
        return v.length() >= width ? v.substring(0, width) : v + " ".repeat(width - v.length());
    }
}
