package io.orderhub.format.edi;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orderhub.format.edi.EdiModel.Code;
import io.orderhub.format.edi.EdiModel.Group;
import io.orderhub.format.edi.EdiModel.Interchange;
import io.orderhub.format.edi.EdiModel.Issue;
import io.orderhub.format.edi.EdiModel.Segment;
import io.orderhub.format.edi.EdiModel.Transaction;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamConstants;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import io.xlate.edi.stream.EDIStreamValidationError;
import io.xlate.edi.stream.Location;

/**
 * Reads an X12 or EDIFACT interchange with StAEDI into an {@link Interchange}. StAEDI checks the
 * envelopes with its control schemas (counts and control numbers of SE/GE/IEA and UNT/UNE/UNZ);
 * this class files each problem where it belongs:
 * <ul>
 * <li>inside a transaction set / message (ST..SE, UNH..UNT, its trailer included): that transaction is
 * rejected, the others are not;</li>
 * <li>in a group or interchange header/trailer (GE/IEA counts and control numbers, an unpadded ISA field,
 * a missing UNZ): a warning, reported in the acknowledgement; the transactions were checked on their own;</li>
 * <li>a document StAEDI cannot read at all (not an interchange, a syntax error that stops the parser):
 * the interchange is refused.</li>
 * </ul>
 * An interchange that simply ends early (no IEA/UNZ) keeps the transactions it completed; a transaction
 * cut off before its SE/UNT is rejected.
 */
final class EdiParser {

    static final String X12 = "X12";
    static final String EDIFACT = "EDIFACT";

    private static final EDIInputFactory FACTORY = factory();
    private static final java.util.regex.Pattern X12_TAG = java.util.regex.Pattern.compile("[A-Z][A-Z0-9]{1,2}");
    private static final java.util.regex.Pattern EDIFACT_TAG = java.util.regex.Pattern.compile("[A-Z]{3}");

    private EdiParser() {
    }

    private static EDIInputFactory factory() {
        EDIInputFactory factory = EDIInputFactory.newFactory();
        // partner ids and version codes outside StAEDI's code lists are everyday EDI, not errors
        factory.setProperty(EDIInputFactory.EDI_VALIDATE_CONTROL_CODE_VALUES, false);
        // newlines and indentation between segments
        factory.setProperty(EDIInputFactory.EDI_IGNORE_EXTRANEOUS_CHARACTERS, true);
        return factory;
    }

    static Interchange parse(byte[] document, String standard) {
        Interchange interchange = new Interchange(standard);
        int start = 0;
        if (document.length >= 3 && (document[0] & 0xff) == 0xEF && (document[1] & 0xff) == 0xBB
                && (document[2] & 0xff) == 0xBF) {
            start = 3;
        }
        byte[] body = java.util.Arrays.copyOfRange(document, start, document.length);
        String text;
        if (X12.equals(standard)) {
            text = X12Header.repair(decodeX12(body).stripLeading(), interchange.warnings, interchange.errors);
            if (!interchange.errors.isEmpty()) {
                return interchange;
            }
        } else {
            Charset declared = edifactCharset(body);
            text = new String(body, declared).stripLeading();
            utf8Warning(body, declared).ifPresent(interchange.warnings::add);
        }
        new Reading(interchange).run(text);
        return interchange;
    }

    private static String decodeX12(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * An interchange that declares a single-byte character set (UNOA..UNOF) but whose non-ASCII bytes are
     * valid UTF-8 was almost certainly written in UTF-8 by mistake: it is still decoded as declared (the
     * declaration is the contract), and a warning names the UNB syntax identifier so the partner can fix it
     * (it travels in the CONTRL's UCI; the interchange stays accepted).
     */
    static java.util.Optional<Issue> utf8Warning(byte[] body, Charset declared) {
        if (declared.equals(StandardCharsets.UTF_8)) {
            return java.util.Optional.empty();
        }
        boolean nonAscii = false;
        for (byte b : body) {
            if (b < 0) {
                nonAscii = true;
                break;
            }
        }
        if (!nonAscii) {
            return java.util.Optional.empty();
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            return java.util.Optional.empty();
        }
        String head = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
        int unb = head.indexOf("UNB");
        String syntax = unb >= 0 && head.length() >= unb + 8 ? head.substring(unb + 4, unb + 8) : "?";
        int position = head.startsWith("UNA") ? 2 : 1;
        return java.util.Optional.of(new Issue(position, "UNB", 1, 1, Code.INVALID_CHARACTER, "declares " + syntax
                + " (" + declared.name() + ") but its non-ASCII bytes are valid UTF-8: decoded as declared, so such"
                + " characters may be read wrongly; the partner should declare UNOW/UNOY or send " + declared.name()));
    }

    /** The character set named by the UNB syntax identifier (UNOA..UNOY), ISO-8859-1 when unknown. */
    static Charset edifactCharset(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
        int unb = head.indexOf("UNB");
        if (unb < 0 || head.length() < unb + 8) {
            return StandardCharsets.ISO_8859_1;
        }
        String syntax = head.substring(unb + 4, unb + 8);
        return switch (syntax) {
            case "UNOD" -> Charset.forName("ISO-8859-2");
            case "UNOE" -> Charset.forName("ISO-8859-5");
            case "UNOF" -> Charset.forName("ISO-8859-7");
            case "UNOW", "UNOY" -> StandardCharsets.UTF_8;
            default -> StandardCharsets.ISO_8859_1;
        };
    }

    /** One pass over the StAEDI events. */
    private static final class Reading {
        private final Interchange interchange;
        private final boolean x12;
        private Group group;
        private Transaction transaction;
        private String tag;
        private int position;
        private List<List<String>> elements;
        private Segment last;
        private int transactions;
        private boolean trailer;

        Reading(Interchange interchange) {
            this.interchange = interchange;
            this.x12 = X12.equals(interchange.standard);
        }

        void run(String text) {
            try (EDIStreamReader reader = FACTORY.createEDIStreamReader(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "UTF-8")) {
                while (reader.hasNext()) {
                    EDIStreamEvent event = reader.next();
                    switch (event) {
                        case START_SEGMENT -> startSegment(reader);
                        case ELEMENT_DATA -> element(reader);
                        case END_SEGMENT -> endSegment();
                        case START_INTERCHANGE -> decimalMark(reader.getDelimiters());
                        case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> error(reader);
                        default -> {
                        }
                    }
                }
            } catch (Exception e) {
                stopped(e);
                return;
            }
            if (interchange.header == null) {
                interchange.errors.add(new Issue(1, "", 0, 0, Code.MANDATORY_MISSING,
                        "is not an " + interchange.standard + " interchange"));
            } else if (!trailer) {
                missingTrailer();
            }
        }

        private void decimalMark(Map<String, Character> delimiters) {
            Character mark = delimiters.get(EDIStreamConstants.Delimiters.DECIMAL);
            if (mark != null) {
                interchange.decimalMark = mark;
            }
        }

        private void startSegment(EDIStreamReader reader) {
            tag = reader.getText();
            position = reader.getLocation().getSegmentPosition();
            elements = new ArrayList<>();
            if ("ST".equals(tag) || "UNH".equals(tag)) {
                if (group == null) {
                    group = new Group(null);
                    interchange.groups.add(group);
                }
                transaction = new Transaction(++transactions, group);
                group.transactions.add(transaction);
            }
        }

        private void element(EDIStreamReader reader) {
            Location at = reader.getLocation();
            if (at.getElementOccurrence() > 1) {
                return; // repetitions: the mappings use the first occurrence
            }
            int element = at.getElementPosition();
            int component = Math.max(1, at.getComponentPosition());
            while (elements.size() < element) {
                elements.add(new ArrayList<>());
            }
            List<String> components = elements.get(element - 1);
            while (components.size() < component - 1) {
                components.add("");
            }
            components.add(reader.getText());
        }

        private void endSegment() {
            Segment segment = new Segment(position, tag, List.copyOf(elements.stream().map(List::copyOf).toList()));
            last = segment;
            switch (tag) {
                case "ISA", "UNB" -> interchange.header = segment;
                case "GS", "UNG" -> {
                    group = new Group(segment);
                    interchange.groups.add(group);
                }
                case "ST", "UNH" -> startTransaction(segment);
                case "SE", "UNT" -> {
                    if (transaction != null) {
                        transaction.segments.add(segment);
                        transaction.complete = true;
                        transaction = null;
                    }
                }
                case "GE", "UNE" -> group = null;
                case "IEA", "UNZ" -> trailer = true;
                default -> {
                    if (!(x12 ? X12_TAG : EDIFACT_TAG).matcher(tag).matches()) {
                        Issue issue = new Issue(position, tag, 0, 0, Code.UNKNOWN_SEGMENT, "'" + tag
                                + "' is not a segment tag");
                        (transaction != null ? transaction.issues : interchange.warnings).add(issue);
                    }
                    if (transaction != null) {
                        transaction.segments.add(segment);
                    } else if (!"UNA".equals(tag)) {
                        interchange.warnings.add(new Issue(position, tag, 0, 0, Code.UNEXPECTED_SEGMENT,
                                "is outside any " + (x12 ? "transaction set" : "message") + " and was ignored"));
                    }
                }
            }
        }

        private void startTransaction(Segment segment) {
            Transaction t = transaction;
            t.segments.add(segment);
            if (x12 && t.group.header == null) {
                t.issues.add(new Issue(segment.position(), segment.tag(), 0, 0, Code.UNEXPECTED_SEGMENT,
                        "the transaction set is not inside a GS functional group"));
            }
            if (x12) {
                t.type = segment.value(1);
                t.control = segment.value(2);
                t.version = segment.value(3).isEmpty() ? t.group.value(8) : segment.value(3);
            } else {
                t.type = segment.value(2, 1);
                t.control = segment.value(1);
                t.version = segment.value(2, 2) + ":" + segment.value(2, 3) + ":" + segment.value(2, 4)
                        + (segment.value(2, 5).isEmpty() ? "" : ":" + segment.value(2, 5));
            }
            for (Transaction other : t.group.transactions) {
                if (other != t && other.control.equals(t.control)) {
                    t.issues.add(new Issue(segment.position(), segment.tag(), x12 ? 2 : 1, 0,
                            Code.DUPLICATE_CONTROL_NUMBER, "control number '" + t.control + "' is already used by "
                                    + (x12 ? "transaction set " : "message ") + other.number + " of this "
                                    + (x12 ? "group" : "interchange")));
                    break;
                }
            }
        }

        private void error(EDIStreamReader reader) {
            Location at = reader.getLocation();
            EDIStreamValidationError type = reader.getErrorType();
            String atTag = at.getSegmentTag() == null ? tag : at.getSegmentTag();
            int element = Math.max(0, at.getElementPosition());
            int component = Math.max(0, at.getComponentPosition());
            String value = reader.getText() == null ? "" : reader.getText();
            Issue issue = new Issue(at.getSegmentPosition(), atTag, element, component, code(type),
                    message(type, atTag, value));
            if (transaction != null) {
                transaction.issues.add(issue);
            } else if (group != null && ("GE".equals(atTag) || "UNE".equals(atTag))) {
                group.issues.add(issue);
                interchange.warnings.add(issue);
            } else {
                interchange.warnings.add(issue);
            }
        }

        private String message(EDIStreamValidationError type, String atTag, String value) {
            String unit = x12 ? "transaction set" : "message";
            return switch (type) {
                case CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT -> switch (atTag) {
                    case "SE", "UNT" -> "says " + value + " segments, the " + unit + " has "
                            + (transaction == null ? "?" : transaction.segments.size() + 1);
                    case "GE" -> "says " + value + " transaction sets, the group has "
                            + (group == null ? "?" : group.transactions.size());
                    case "UNE" -> "says " + value + " messages, the group has "
                            + (group == null ? "?" : group.transactions.size());
                    case "IEA" -> "says " + value + " groups, the interchange has " + interchange.groups.size();
                    default -> "says " + value + " messages, the interchange has " + transactions;
                };
                case CONTROL_REFERENCE_MISMATCH -> "control number '" + value + "' does not match the header's '"
                        + switch (atTag) {
                            case "SE", "UNT" -> transaction == null ? "" : transaction.control;
                            case "GE" -> group == null ? "" : group.value(6);
                            case "UNE" -> group == null ? "" : group.value(5);
                            case "IEA" -> interchange.value(13, 1);
                            default -> interchange.value(5, 1);
                        } + "'";
                case UNRECOGNIZED_SEGMENT_ID -> "is not a known segment";
                case UNEXPECTED_SEGMENT, SEGMENT_NOT_IN_PROPER_SEQUENCE, SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET ->
                        "is not expected here";
                case MANDATORY_SEGMENT_MISSING -> "a mandatory segment is missing before it";
                case REQUIRED_DATA_ELEMENT_MISSING, CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING -> "is required";
                case DATA_ELEMENT_TOO_SHORT -> "'" + value + "' is too short";
                case DATA_ELEMENT_TOO_LONG -> "'" + value + "' is too long";
                case INVALID_CHARACTER_DATA -> "has invalid characters";
                case INVALID_CODE_VALUE -> "'" + value + "' is not a valid code";
                case INVALID_DATE -> "'" + value + "' is not a valid date";
                case INVALID_TIME -> "'" + value + "' is not a valid time";
                case TOO_MANY_DATA_ELEMENTS -> "has too many elements";
                case TOO_MANY_COMPONENTS -> "has too many components";
                case TOO_MANY_REPETITIONS, SEGMENT_EXCEEDS_MAXIMUM_USE, LOOP_OCCURS_OVER_MAXIMUM_TIMES ->
                        "occurs too many times";
                default -> type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            };
        }

        private static Code code(EDIStreamValidationError type) {
            return switch (type) {
                case CONTROL_COUNT_DOES_NOT_MATCH_ACTUAL_COUNT -> Code.SEGMENT_COUNT;
                case CONTROL_REFERENCE_MISMATCH -> Code.CONTROL_NUMBER_MISMATCH;
                case UNRECOGNIZED_SEGMENT_ID -> Code.UNKNOWN_SEGMENT;
                case UNEXPECTED_SEGMENT, SEGMENT_NOT_IN_PROPER_SEQUENCE, SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET ->
                        Code.UNEXPECTED_SEGMENT;
                case MANDATORY_SEGMENT_MISSING, REQUIRED_DATA_ELEMENT_MISSING, CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING ->
                        Code.MANDATORY_MISSING;
                case DATA_ELEMENT_TOO_SHORT -> Code.TOO_SHORT;
                case DATA_ELEMENT_TOO_LONG -> Code.TOO_LONG;
                case INVALID_CHARACTER_DATA -> Code.INVALID_CHARACTER;
                case INVALID_CODE_VALUE, IMPLEMENTATION_INVALID_CODE_VALUE -> Code.INVALID_CODE;
                case INVALID_DATE -> Code.INVALID_DATE;
                case INVALID_TIME -> Code.INVALID_TIME;
                case TOO_MANY_DATA_ELEMENTS, TOO_MANY_COMPONENTS, TOO_MANY_REPETITIONS, SEGMENT_EXCEEDS_MAXIMUM_USE,
                        LOOP_OCCURS_OVER_MAXIMUM_TIMES -> Code.TOO_MANY;
                default -> Code.OTHER;
            };
        }

        /** StAEDI gave up: an early end keeps what was complete, anything else refuses the interchange. */
        private void stopped(Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            boolean ended = reason.contains("end of stream");
            int at = last == null ? 1 : last.position();
            String atTag = last == null ? "" : last.tag();
            if (interchange.header == null) {
                interchange.errors.add(new Issue(at, atTag, 0, 0, Code.OTHER, "is not a readable "
                        + interchange.standard + " interchange: " + shorten(reason)));
                return;
            }
            if (!ended) {
                interchange.errors.add(new Issue(at + 1, "", 0, 0, Code.OTHER, "cannot be read (it follows segment "
                        + at + ", " + atTag + "), so the interchange is refused: " + shorten(reason)));
                return;
            }
            if (transaction != null && !transaction.complete) {
                transaction.issues.add(new Issue(at, atTag, 0, 0, Code.TRAILER_MISSING, "the interchange ends here, inside "
                        + (x12 ? "transaction set " : "message ") + transaction.number + " (control number '"
                        + transaction.control + "'): its " + (x12 ? "SE" : "UNT") + " trailer is missing"));
            }
            missingTrailer();
        }

        private void missingTrailer() {
            int at = last == null ? 1 : last.position();
            String atTag = last == null ? "" : last.tag();
            String missing = x12 ? (group != null ? "GE and IEA" : "IEA") : (group != null && group.header != null
                    ? "UNE and UNZ" : "UNZ");
            interchange.warnings.add(new Issue(at, atTag, 0, 0, Code.TRAILER_MISSING,
                    "the interchange ends after this segment without its " + missing + " trailer; the "
                            + (x12 ? "transaction sets" : "messages") + " completed before were read"));
        }

        private static String shorten(String reason) {
            // StAEDI messages may end with a quote of the input: keep them short
            return reason.length() > 160 ? reason.substring(0, 160) + "..." : reason;
        }
    }
}
