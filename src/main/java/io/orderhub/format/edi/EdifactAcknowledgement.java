package io.orderhub.format.edi;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.orderhub.format.FormatResult.Acknowledgement;
import io.orderhub.format.edi.EdiModel.Code;
import io.orderhub.format.edi.EdiModel.Interchange;
import io.orderhub.format.edi.EdiModel.Issue;
import io.orderhub.format.edi.EdiModel.Segment;
import io.orderhub.format.edi.EdiModel.Transaction;

/**
 * The EDIFACT CONTRL answer to an interchange: UCI with action 7 (acknowledged) or 4 (rejected) and,
 * for an interchange-level problem (missing UNZ, UNZ count or reference not matching, an unreadable
 * interchange), its syntax error code and segment tag; then one UCM per message, 7 or 4, with a UCS per
 * faulty segment (position in the message) and a UCD per faulty element. Syntax only: business errors
 * found by the mapping or the validator are not in it. The answer reuses the received control reference.
 */
final class EdifactAcknowledgement {

    private EdifactAcknowledgement() {
    }

    static Acknowledgement write(Interchange interchange, ZonedDateTime now) {
        return write(interchange, now, "ORDERS");
    }

    /** As {@link #write(Interchange, ZonedDateTime)} for a format that reads messages of type {@code supported}. */
    static Acknowledgement write(Interchange interchange, ZonedDateTime now, String supported) {
        if (interchange.header == null) {
            return null;
        }
        String reference = interchange.value(5, 1);
        String sender = composite(interchange.header, 2);
        String recipient = composite(interchange.header, 3);
        List<String> message = new ArrayList<>();
        message.add("UNH+1+CONTRL:D:3:UN");
        StringBuilder uci = new StringBuilder("UCI+").append(escape(reference)).append('+').append(sender).append('+')
                .append(recipient).append('+').append(interchange.errors.isEmpty() ? "7" : "4");
        List<Issue> envelope = new ArrayList<>(interchange.errors);
        envelope.addAll(interchange.warnings);
        // one error fits in UCI: the one that matters most (a missing or contradicting trailer)
        envelope.sort(java.util.Comparator.comparingInt(i -> switch (i.code()) {
            case TRAILER_MISSING, SEGMENT_COUNT, CONTROL_NUMBER_MISMATCH -> 0;
            default -> 1;
        }));
        if (!envelope.isEmpty()) {
            Issue first = envelope.get(0);
            String tag = first.code() == Code.TRAILER_MISSING ? "UNZ" : first.tag();
            uci.append('+').append(code(first.code())).append('+').append(escape(tag));
            if (first.element() > 0) {
                uci.append('+').append(first.element()).append(first.component() > 0 ? ":" + first.component() : "");
            }
        }
        message.add(uci.toString());
        if (interchange.errors.isEmpty()) {
            for (Transaction transaction : interchange.transactions()) {
                message.addAll(messageResponse(transaction, supported));
            }
        }
        message.add("UNT+" + (message.size() + 1) + "+1");
        List<String> all = new ArrayList<>();
        all.add("UNB+UNOC:3+" + recipient + "+" + sender + "+" + now.format(DateTimeFormatter.ofPattern("yyMMdd:HHmm"))
                + "+" + escape(reference));
        all.addAll(message);
        all.add("UNZ+1+" + escape(reference));
        return new Acknowledgement("CONTRL", "application/edifact", "UNA:+.? '\n" + String.join("'\n", all) + "'\n");
    }

    private static List<String> messageResponse(Transaction transaction, String supportedType) {
        List<String> out = new ArrayList<>();
        Segment unh = transaction.segments.isEmpty() ? null : transaction.segments.get(0);
        String identifier = unh == null ? escape(transaction.type) : composite(unh, 2);
        boolean supported = supportedType.equals(transaction.type);
        boolean accepted = transaction.accepted() && supported;
        StringBuilder ucm = new StringBuilder("UCM+").append(escape(transaction.control)).append('+')
                .append(identifier).append('+').append(accepted ? "7" : "4");
        List<String> details = new ArrayList<>();
        boolean coded = false;
        int first = unh == null ? 0 : unh.position();
        for (Issue issue : transaction.issues) {
            switch (issue.code()) {
                case SEGMENT_COUNT, CONTROL_NUMBER_MISMATCH, TRAILER_MISSING, DUPLICATE_CONTROL_NUMBER -> {
                    if (!coded) {
                        coded = true;
                        ucm.append('+').append(code(issue.code())).append('+').append(
                                issue.code() == Code.TRAILER_MISSING ? "UNT" : escape(issue.tag()));
                        if (issue.element() > 0) {
                            ucm.append('+').append(issue.element());
                        }
                    }
                }
                default -> {
                    details.add("UCS+" + (issue.segment() - first + 1) + (issue.element() > 0 ? "" : "+" + code(issue.code())));
                    if (issue.element() > 0) {
                        details.add("UCD+" + code(issue.code()) + "+" + issue.element()
                                + (issue.component() > 0 ? ":" + issue.component() : ""));
                    }
                }
            }
        }
        if (!supported && !coded) {
            ucm.append("+14+UNH+2"); // message type not supported in this position
        }
        out.add(ucm.toString());
        out.addAll(details);
        return out;
    }

    /** ISO 9735 syntax error codes (data element 0085). */
    private static String code(Code code) {
        return switch (code) {
            case SEGMENT_COUNT -> "29";
            case CONTROL_NUMBER_MISMATCH -> "28";
            case TRAILER_MISSING, MANDATORY_MISSING -> "13";
            case DUPLICATE_CONTROL_NUMBER -> "26";
            case UNKNOWN_SEGMENT, UNEXPECTED_SEGMENT -> "15";
            case TOO_MANY -> "16";
            case TOO_SHORT -> "40";
            case TOO_LONG -> "39";
            case INVALID_CHARACTER -> "21";
            case INVALID_CODE, INVALID_DATE, INVALID_TIME -> "12";
            default -> "18";
        };
    }

    private static String composite(Segment segment, int element) {
        if (segment.elements().size() < element) {
            return "";
        }
        List<String> parts = segment.elements().get(element - 1).stream().map(EdifactAcknowledgement::escape).toList();
        int end = parts.size();
        while (end > 1 && parts.get(end - 1).isEmpty()) {
            end--;
        }
        return String.join(":", parts.subList(0, end));
    }

    private static String escape(String value) {
        return value == null ? "" : value.replaceAll("([?+:'*])", "?$1");
    }
}
