package io.orderhub.outbound;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Matches a partner's functional acknowledgement to the documents the hub sent it (docs/b2b-outbound.md):
 * an X12 997 or 999 (AK1 group control → our GS06, AK2 set control → our ST02, AK5/IK5 A or E acknowledged,
 * R/M/W/X rejected with the AK3/AK4 or IK3/IK4 notes; a group without AK2 takes its AK9) or an EDIFACT
 * CONTRL (UCI 0020 → our UNB 0020, UCM 0062 → our UNH 0062; action 7 acknowledged, 4 rejected with the
 * UCS/UCD errors; a CONTRL without UCM takes its UCI). The partner is the acknowledgement's sender, as the
 * hub counts its control numbers (qualifier:id). A document moves from SENT to ACKNOWLEDGED or REJECTED once,
 * with its event ({@link DocumentEvents}); an acknowledgement naming no document of ours is reported unmatched.
 */
@Service
public class Acknowledgements {

    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);

    private final DocumentLedger ledger;
    private final DocumentEvents events;
    private final org.springframework.transaction.support.TransactionTemplate tx;

    public Acknowledgements(DocumentLedger ledger, DocumentEvents events,
                            org.springframework.transaction.support.TransactionTemplate tx) {
        this.ledger = ledger;
        this.events = events;
        this.tx = tx;
    }

    /** What an acknowledgement said about one of our documents (or a control number we do not know). */
    public record Outcome(String documentId, String standard, String groupControl, String setControl, String status,
                          String reason, boolean matched) {
    }

    /** One acknowledged unit as read: its control references, A/R verdict and notes. */
    record Verdict(String groupControl, String setControl, boolean accepted, String reason) {
    }

    public List<Outcome> apply(String channel, byte[] content) {
        if (UblApplicationResponses.isApplicationResponse(content)) {
            return applyUbl(channel, content);
        }
        String text = new String(content, StandardCharsets.UTF_8).stripLeading();
        List<String[]> segments = segments(text);
        if (segments.isEmpty()) {
            throw OrderHubException.field(Problem.INVALID, "body", "not an X12 997/999 or EDIFACT CONTRL interchange, nor a UBL ApplicationResponse");
        }
        boolean x12 = "ISA".equals(segments.get(0)[0]);
        String partner;
        List<Verdict> verdicts;
        if (x12) {
            String[] isa = segments.get(0);
            partner = at(isa, 5).trim() + ":" + at(isa, 6).trim();
            verdicts = x12Verdicts(segments);
        } else {
            String[] unb = segments.stream().filter(s -> s[0].equals("UNB")).findFirst().orElseThrow(() ->
                    OrderHubException.field(Problem.INVALID, "body", "an EDIFACT interchange needs a UNB segment"));
            String[] sender = at(unb, 2).split(":", -1);
            partner = (sender.length > 1 ? sender[1] : "") + ":" + sender[0];
            verdicts = contrlVerdicts(segments);
        }
        if (verdicts.isEmpty()) {
            throw OrderHubException.field(Problem.INVALID, "body", "the interchange holds no " + (x12 ? "997 or 999"
                    : "CONTRL") + " acknowledgement");
        }
        String standard = x12 ? EdiDocuments.X12 : EdiDocuments.EDIFACT;
        List<Outcome> out = new ArrayList<>();
        for (Verdict v : verdicts) {
            List<OutboundDocument> docs = ledger.byControls(channel, partner, standard, v.groupControl(), v.setControl());
            if (docs.isEmpty()) {
                out.add(new Outcome(null, standard, v.groupControl(), v.setControl(), null, v.reason(), false));
                continue;
            }
            for (OutboundDocument d : docs) {
                String status = v.accepted() ? OutboundDocument.ACKNOWLEDGED : OutboundDocument.REJECTED;
                // the status and its event (document.acknowledged / document.rejected) in one transaction, once
                boolean changed = Boolean.TRUE.equals(tx.execute(st -> {
                    boolean moved = ledger.acknowledge(d.documentId(), status, v.reason());
                    if (moved) {
                        events.acknowledged(d, status, v.reason());
                    }
                    return moved;
                }));
                OutboundDocument now = ledger.find(d.documentId()).orElse(d);
                if (changed) {
                    log.info("{} {} of order {} {} by the partner{}", d.type(), d.documentId(), d.orderId(),
                            status.toLowerCase(java.util.Locale.ROOT), v.reason() == null ? "" : ": " + v.reason());
                }
                out.add(new Outcome(d.documentId(), standard, v.groupControl(), v.setControl(), now.status(),
                        now.ackReason(), true));
            }
        }
        return out;
    }

    /**
     * A partner's UBL ApplicationResponse ({@link UblApplicationResponses}): each DocumentResponse names one of the
     * channel's UBL documents by its UBL ID (or our document id), narrowed by its DocumentTypeCode; RE rejects it with
     * the reason, AP/AB/IP/UQ/CA/PD acknowledge it. A reference naming none of our documents, or both the
     * DespatchAdvice and the Invoice of an order without a DocumentTypeCode to choose, or a response code we do not
     * know, is reported unmatched with the reason. Outcomes carry the reference as {@code groupControl}.
     */
    List<Outcome> applyUbl(String channel, byte[] content) {
        List<Outcome> out = new ArrayList<>();
        for (UblApplicationResponses.Verdict v : UblApplicationResponses.verdicts(content)) {
            if (!v.understood()) {
                out.add(new Outcome(null, UblDocuments.UBL, v.reference(), null, null, "response code " + v.code()
                        + " is not one of AP, AB, IP, UQ, CA, PD, RE", false));
                continue;
            }
            List<OutboundDocument> docs = ledger.byUblReference(channel, v.reference()).stream()
                    .filter(d -> v.type() == null || v.type().equals(d.type()))
                    .filter(d -> v.partner() == null || d.partner() == null || d.partner().equals(v.partner())
                            || d.partner().equals(channel))
                    .toList();
            if (docs.size() > 1 && v.type() == null) {
                out.add(new Outcome(null, UblDocuments.UBL, v.reference(), null, null, v.reference() + " names "
                        + docs.stream().map(OutboundDocument::type).distinct().toList()
                        + " of the order: cac:DocumentReference/cbc:DocumentTypeCode (351 despatch advice, 380 invoice)"
                        + " says which", false));
                continue;
            }
            if (docs.isEmpty()) {
                out.add(new Outcome(null, UblDocuments.UBL, v.reference(), null, null, v.reason(), false));
                continue;
            }
            for (OutboundDocument d : docs) {
                out.add(settle(d, v.accepted(), v.reason(), UblDocuments.UBL, v.reference(), null));
            }
        }
        return out;
    }

    private Outcome settle(OutboundDocument d, boolean accepted, String reason, String standard, String group, String set) {
        String status = accepted ? OutboundDocument.ACKNOWLEDGED : OutboundDocument.REJECTED;
        boolean changed = Boolean.TRUE.equals(tx.execute(st -> {
            boolean moved = ledger.acknowledge(d.documentId(), status, reason);
            if (moved) {
                events.acknowledged(d, status, reason);
            }
            return moved;
        }));
        OutboundDocument now = ledger.find(d.documentId()).orElse(d);
        if (changed) {
            log.info("{} {} of order {} {} by the partner{}", d.type(), d.documentId(), d.orderId(),
                    status.toLowerCase(java.util.Locale.ROOT), reason == null ? "" : ": " + reason);
        }
        return new Outcome(d.documentId(), standard, group, set, now.status(), now.ackReason(), true);
    }

    /**
     * The receipt format of a partner's functional acknowledgement: {@code x12-997} for an X12 interchange whose
     * transaction sets are all 997 or 999, {@code edifact-contrl} for an EDIFACT interchange whose messages are
     * all CONTRL, {@code ubl-application-response} for a UBL 2.1 ApplicationResponse; empty for anything else (an order, not EDI at all). Used by the e-mail and JMS intake to take
     * such a document here instead of as an order.
     */
    public static java.util.Optional<String> kind(byte[] content) {
        if (UblApplicationResponses.isApplicationResponse(content)) {
            return java.util.Optional.of(UblApplicationResponses.FORMAT);
        }
        String start = new String(content, StandardCharsets.UTF_8).stripLeading();
        if (!(start.startsWith("ISA") || start.startsWith("UNA") || start.startsWith("UNB"))) {
            return java.util.Optional.empty();
        }
        List<String[]> segments;
        try {
            segments = segments(start);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        boolean x12 = !segments.isEmpty() && "ISA".equals(segments.get(0)[0]);
        List<String> sets = segments.stream().filter(s -> s[0].equals(x12 ? "ST" : "UNH"))
                .map(s -> x12 ? at(s, 1) : at(s, 2).split(":", -1)[0]).toList();
        if (sets.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (x12 && sets.stream().allMatch(t -> t.equals("997") || t.equals("999"))) {
            return java.util.Optional.of("x12-997");
        }
        if (!x12 && sets.stream().allMatch("CONTRL"::equals)) {
            return java.util.Optional.of("edifact-contrl");
        }
        return java.util.Optional.empty();
    }

    static List<Verdict> x12Verdicts(List<String[]> segments) {
        List<Verdict> out = new ArrayList<>();
        String group = null;
        String set = null;
        List<String> notes = new ArrayList<>();
        boolean sawSet = false;
        for (String[] s : segments) {
            switch (s[0]) {
                case "AK1" -> {
                    group = at(s, 2);
                    sawSet = false;
                }
                case "AK2" -> {
                    set = at(s, 2);
                    notes.clear();
                    sawSet = true;
                }
                case "AK3", "IK3" -> notes.add("segment " + at(s, 1) + " at " + at(s, 2) + (at(s, 4).isEmpty() ? ""
                        : " (code " + at(s, 4) + ")"));
                case "AK4", "IK4" -> notes.add("element " + at(s, 1) + (at(s, 3).isEmpty() ? "" : " (code " + at(s, 3) + ")")
                        + (at(s, 4).isEmpty() ? "" : ": '" + at(s, 4) + "'"));
                case "AK5", "IK5" -> {
                    String code = at(s, 1);
                    List<String> reasons = new ArrayList<>();
                    for (int i = 2; i < s.length; i++) {
                        if (!s[i].isEmpty()) {
                            reasons.add(s[i]);
                        }
                    }
                    boolean accepted = code.equals("A") || code.equals("E");
                    String reason = code.equals("A") ? null : s[0] + " " + code
                            + (reasons.isEmpty() ? "" : " (codes " + String.join(", ", reasons) + ")")
                            + (notes.isEmpty() ? "" : ": " + String.join("; ", notes));
                    out.add(new Verdict(group, set, accepted, reason));
                }
                case "AK9" -> {
                    if (!sawSet && group != null) {
                        String code = at(s, 1);
                        out.add(new Verdict(group, null, code.equals("A") || code.equals("E"),
                                code.equals("A") ? null : "AK9 " + code));
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    static List<Verdict> contrlVerdicts(List<String[]> segments) {
        List<Verdict> out = new ArrayList<>();
        String interchange = null;
        String uciAction = null;
        String uciError = null;
        boolean sawMessage = false;
        List<String> notes = new ArrayList<>();
        Verdict pending = null;
        for (String[] s : segments) {
            switch (s[0]) {
                case "UCI" -> {
                    interchange = at(s, 1);
                    uciAction = at(s, 4);
                    uciError = at(s, 5);
                }
                case "UCM" -> {
                    if (pending != null) {
                        out.add(withNotes(pending, notes));
                    }
                    notes.clear();
                    sawMessage = true;
                    String action = at(s, 3);
                    String error = at(s, 4);
                    boolean accepted = action.equals("7") || action.equals("8");
                    pending = new Verdict(interchange, at(s, 1), accepted, accepted ? null : "UCM action " + action
                            + (error.isEmpty() ? "" : " (error " + error + ")"));
                }
                case "UCS" -> notes.add("segment " + at(s, 1) + (at(s, 2).isEmpty() ? "" : " (error " + at(s, 2) + ")"));
                case "UCD" -> notes.add("element " + at(s, 2) + " (error " + at(s, 1) + ")");
                default -> {
                }
            }
        }
        if (pending != null) {
            out.add(withNotes(pending, notes));
        }
        if (!sawMessage && interchange != null) {
            boolean accepted = "7".equals(uciAction) || "8".equals(uciAction);
            out.add(new Verdict(interchange, null, accepted, accepted ? null : "UCI action " + uciAction
                    + (uciError == null || uciError.isEmpty() ? "" : " (error " + uciError + ")")));
        }
        return out;
    }

    private static Verdict withNotes(Verdict v, List<String> notes) {
        if (v.accepted() || notes.isEmpty()) {
            return v;
        }
        return new Verdict(v.groupControl(), v.setControl(), false, v.reason() + ": " + String.join("; ", notes));
    }

    private static String at(String[] segment, int position) {
        return position < segment.length ? segment[position] : "";
    }

    /** The interchange's segments as tag + elements (composites joined with ':'), read with StAEDI. */
    static List<String[]> segments(String text) {
        List<String[]> out = new ArrayList<>();
        EDIInputFactory factory = EDIInputFactory.newFactory();
        factory.setProperty(EDIInputFactory.EDI_IGNORE_EXTRANEOUS_CHARACTERS, true);
        factory.setProperty(EDIInputFactory.EDI_VALIDATE_CONTROL_CODE_VALUES, false);
        try (EDIStreamReader r = factory.createEDIStreamReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8.name())) {
            List<String> current = null;
            StringBuilder composite = null;
            while (r.hasNext()) {
                EDIStreamEvent e = r.next();
                switch (e) {
                    case START_SEGMENT -> {
                        current = new ArrayList<>();
                        current.add(r.getText());
                    }
                    case END_SEGMENT -> out.add(current.toArray(String[]::new));
                    case START_COMPOSITE -> composite = new StringBuilder();
                    case END_COMPOSITE -> {
                        pad(current, r.getLocation().getElementPosition());
                        current.add(composite.toString());
                        composite = null;
                    }
                    case ELEMENT_DATA -> {
                        if (composite != null) {
                            if (r.getLocation().getComponentPosition() > 1) {
                                composite.append(':');
                            }
                            composite.append(r.getText());
                        } else {
                            pad(current, r.getLocation().getElementPosition());
                            current.add(r.getText());
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (Exception e) {
            throw OrderHubException.field(Problem.INVALID, "body", "the acknowledgement cannot be read: " + e.getMessage());
        }
        return out;
    }

    private static void pad(List<String> segment, int position) {
        while (segment.size() < position) {
            segment.add("");
        }
    }

    /** Counts of an answer: matched and unmatched outcomes. */
    public static Map<String, Object> summary(List<Outcome> outcomes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("matched", outcomes.stream().filter(Outcome::matched).count());
        m.put("unmatched", outcomes.stream().filter(o -> !o.matched()).count());
        m.put("documents", outcomes);
        return m;
    }
}
