package io.orderhub.common;

import java.text.Normalizer;

/**
 * What an item number (our SKU, a partner's article number, a GTIN) may be: the numbers partners really
 * write, such as {@code 98891 75}, {@code AB.12/7-x} or {@code Ø-Ring 4,5}. At most {@link #MAX_LENGTH}
 * characters, not blank, no leading or trailing white space, no control characters, no invisible or
 * bidirectional formatting characters (Unicode category Cf: they make two different numbers look the
 * same), no line separators; NFC-normalised (a composed and a decomposed "é" are the same number).
 */
public final class ItemNumbers {

    public static final int MAX_LENGTH = 100;
    public static final String RULE = "must be 1-" + MAX_LENGTH + " characters, without control or invisible characters"
            + " and without leading or trailing spaces";

    private ItemNumbers() {
    }

    public static boolean valid(String number) {
        if (number == null || number.isEmpty() || number.length() > MAX_LENGTH || number.isBlank()
                || Character.isWhitespace(number.charAt(0)) || Character.isWhitespace(number.charAt(number.length() - 1))
                || !Normalizer.isNormalized(number, Normalizer.Form.NFC)) {
            return false;
        }
        return number.codePoints().allMatch(c -> c == ' ' || !(Character.isISOControl(c) || Character.isWhitespace(c)
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR || Character.getType(c) == Character.SURROGATE
                || Character.getType(c) == Character.PRIVATE_USE || Character.getType(c) == Character.UNASSIGNED));
    }
}
