package io.orderhub.format.edi;

import java.util.ArrayList;
import java.util.List;

import io.orderhub.common.FieldError;

/**
 * A parsed interchange in a generic, standard-neutral form: envelope values, groups, transaction sets
 * (X12 ST..SE) or messages (EDIFACT UNH..UNT) with their segments, and every problem found, each with
 * the position of its segment in the interchange (1-based, as StAEDI counts: UNA and ISA included).
 */
final class EdiModel {

    private EdiModel() {
    }

    /** One segment: tag, position in the interchange, elements (1-based list of components, first occurrence). */
    record Segment(int position, String tag, List<List<String>> elements) {

        String value(int element, int component) {
            if (element < 1 || element > elements.size()) {
                return "";
            }
            List<String> components = elements.get(element - 1);
            return component < 1 || component > components.size() ? "" : components.get(component - 1);
        }

        String value(int element) {
            return value(element, 1);
        }
    }

    /** A syntax or envelope problem: where (segment position and tag, element and component, 0 = none) and what. */
    record Issue(int segment, String tag, int element, int component, Code code, String message) {

        String field() {
            StringBuilder where = new StringBuilder("segment ").append(segment);
            if (tag != null && !tag.isEmpty()) {
                where.append(" (").append(tag).append(')');
            }
            if (element > 0) {
                where.append(" element ").append(element);
                if (component > 0) {
                    where.append(" component ").append(component);
                }
            }
            return where.toString();
        }

        FieldError toError() {
            return FieldError.of(field(), message);
        }
    }

    /** What kind of problem, standard-neutral; the acknowledgement writers translate it to X12 / EDIFACT codes. */
    enum Code {
        SEGMENT_COUNT, CONTROL_NUMBER_MISMATCH, DUPLICATE_CONTROL_NUMBER, TRAILER_MISSING, UNKNOWN_SEGMENT,
        UNEXPECTED_SEGMENT, MANDATORY_MISSING, TOO_MANY, TOO_SHORT, TOO_LONG, INVALID_CHARACTER, INVALID_CODE,
        INVALID_DATE, INVALID_TIME, REPAIRED, OTHER
    }

    /** One transaction set / message. {@code number} is its rank in the interchange (1-based). */
    static final class Transaction {
        final int number;
        final Group group;
        final List<Segment> segments = new ArrayList<>();
        final List<Issue> issues = new ArrayList<>();
        String type = "";
        String control = "";
        String version = "";
        boolean complete;

        Transaction(int number, Group group) {
            this.number = number;
            this.group = group;
        }

        boolean accepted() {
            return issues.isEmpty();
        }

        List<FieldError> errors() {
            return issues.stream().map(Issue::toError).toList();
        }
    }

    /** A functional group (X12 GS..GE, EDIFACT UNG..UNE); an implicit one when the interchange has none. */
    static final class Group {
        final Segment header;
        final List<Transaction> transactions = new ArrayList<>();
        final List<Issue> issues = new ArrayList<>();

        Group(Segment header) {
            this.header = header;
        }

        String value(int element) {
            return header == null ? "" : header.value(element);
        }
    }

    /** The whole interchange; {@code errors} refuse it as a whole, {@code warnings} are reported only. */
    static final class Interchange {
        final String standard;
        Segment header;
        char decimalMark = '.';
        final List<Group> groups = new ArrayList<>();
        final List<Issue> errors = new ArrayList<>();
        final List<Issue> warnings = new ArrayList<>();

        Interchange(String standard) {
            this.standard = standard;
        }

        List<Transaction> transactions() {
            return groups.stream().flatMap(g -> g.transactions.stream()).toList();
        }

        String value(int element, int component) {
            return header == null ? "" : header.value(element, component);
        }
    }
}
