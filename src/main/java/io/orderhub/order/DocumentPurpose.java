package io.orderhub.order;

import java.util.Locale;
import java.util.Optional;

/**
 * What an inbound document asks the hub to do with the order it names (canonical field {@code purpose}):
 * make a new order (ORIGINAL, the default), replace the stored order's content (REPLACE: X12 BEG01 04/05,
 * EDIFACT BGM 1225 4/5, cXML type="update", an 860/ORDCHG change), cancel it (CANCEL: BEG01 01, 1225 1,
 * cXML type="delete", a shop's cancelled/voided/refunded state), nothing (DUPLICATE: a copy or a resend),
 * or change some of its lines (CHANGE: X12 860 and EDIFACT ORDCHG, whose lines each carry an action, see
 * {@link LineChange}). The mappings translate each standard's code list into these; {@link OrderAmendments}
 * acts on them.
 */
public enum DocumentPurpose {
    ORIGINAL, REPLACE, CANCEL, DUPLICATE, CHANGE;

    /** The purpose named by a canonical {@code purpose} value; empty for an unknown one. Null or blank is ORIGINAL. */
    public static Optional<DocumentPurpose> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of(ORIGINAL);
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
