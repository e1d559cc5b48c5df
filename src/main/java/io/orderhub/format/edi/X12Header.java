package io.orderhub.format.edi;

import java.util.List;

import io.orderhub.format.edi.EdiModel.Code;
import io.orderhub.format.edi.EdiModel.Issue;

/**
 * The X12 ISA header is fixed-width (106 characters) and StAEDI reads it by position. Real partners
 * send it slightly wrong; these repairs make it readable again, each recorded as a warning:
 * <ul>
 * <li>a field shorter than its width (e.g. ISA08 "TEST2" unpadded) is padded with spaces;</li>
 * <li>non-breaking spaces (U+00A0, from editors) in ISA fields are read as spaces;</li>
 * <li>a missing ISA16 (component separator: the ISA ends {@code *T*~}) is supplied with a character
 * the document does not use, so no element is split into components.</li>
 * </ul>
 * A field longer than its width or an ISA with the wrong number of elements refuses the interchange.
 */
final class X12Header {

    private static final int[] WIDTHS = {2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1};
    private static final String SPARE_SEPARATORS = ">^|\\!`";

    private X12Header() {
    }

    static String repair(String text, List<Issue> warnings, List<Issue> errors) {
        if (!text.startsWith("ISA") || text.length() < 4) {
            return text;
        }
        char separator = text.charAt(3);
        int gs = text.indexOf("GS" + separator);
        if (gs < 0) {
            return text; // StAEDI reports what is wrong
        }
        String raw = text.substring(0, gs);
        String trimmed = raw.stripTrailing();
        String space = raw.substring(trimmed.length());
        String[] fields = trimmed.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        String[] values = new String[16];
        String terminator;
        if (fields.length == 17 && fields[16].length() == 1 && endsGroupHeader(text, gs, fields[16].charAt(0))) {
            // "*T*~": the last separator is followed by the terminator, ISA16 itself is missing
            String terminatorChar = fields[16];
            fields = java.util.Arrays.copyOf(fields, 16);
            fields[15] = fields[15] + terminatorChar;
        }
        if (fields.length == 17) {
            String lastField = fields[16];
            for (int i = 0; i < 15; i++) {
                values[i] = fields[i + 1];
            }
            if (lastField.length() >= 2) {
                values[15] = lastField.substring(0, 1);
                terminator = lastField.substring(1);
            } else if (lastField.length() == 1 && !space.isEmpty()) {
                values[15] = lastField;
                terminator = space.substring(0, 1);
                space = space.substring(1);
            } else {
                return text;
            }
        } else if (fields.length == 16 && fields[15].length() >= 2) {
            for (int i = 0; i < 14; i++) {
                values[i] = fields[i + 1];
            }
            values[14] = fields[15].substring(0, 1);
            terminator = fields[15].substring(1);
            values[15] = spare(text, separator, terminator);
            warnings.add(new Issue(1, "ISA", 16, 0, Code.REPAIRED, "the component separator is missing (the ISA ends after"
                    + " ISA15); read as '" + values[15] + "', which the interchange does not use"));
        } else {
            errors.add(new Issue(1, "ISA", 0, 0, Code.TOO_MANY, "has " + (fields.length - 1)
                    + " elements; an ISA has 16"));
            return text;
        }
        StringBuilder header = new StringBuilder("ISA");
        for (int i = 0; i < 16; i++) {
            String value = values[i];
            if (value.indexOf('\u00a0') >= 0) {
                value = value.replace('\u00a0', ' ');
                warnings.add(new Issue(1, "ISA", i + 1, 0, Code.REPAIRED, "holds non-breaking spaces; read as spaces"));
            }
            if (value.length() > WIDTHS[i]) {
                errors.add(new Issue(1, "ISA", i + 1, 0, Code.TOO_LONG, "is " + value.length()
                        + " characters long; the ISA field is " + WIDTHS[i]));
            } else if (value.length() < WIDTHS[i]) {
                warnings.add(new Issue(1, "ISA", i + 1, 0, Code.TOO_SHORT, "is " + value.length()
                        + " characters long, not " + WIDTHS[i] + "; padded with spaces"));
                value = value + " ".repeat(WIDTHS[i] - value.length());
            }
            header.append(separator).append(value);
        }
        return header.append(terminator).append(space).append(text.substring(gs)).toString();
    }

    /** Whether the GS segment (on its own line) ends with this character: then it is the terminator. */
    private static boolean endsGroupHeader(String text, int gs, char c) {
        int end = text.indexOf('\n', gs);
        String line = (end < 0 ? text.substring(gs) : text.substring(gs, end)).strip();
        return !line.isEmpty() && line.charAt(line.length() - 1) == c;
    }

    private static String spare(String text, char separator, String terminator) {
        for (char c : SPARE_SEPARATORS.toCharArray()) {
            if (text.indexOf(c) < 0 && c != separator && !terminator.contains(String.valueOf(c))) {
                return String.valueOf(c);
            }
        }
        return ">";
    }
}
