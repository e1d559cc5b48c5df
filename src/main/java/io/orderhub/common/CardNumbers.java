package io.orderhub.common;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds payment card numbers (PANs) in text so that they are refused and never stored. A run of
 * 15 to 19 digits (single spaces or dashes allowed between groups) counts when it has a card
 * scheme's prefix and length and passes the Luhn check. Shorter runs are left alone on purpose:
 * EAN-13 and GTIN-14 product codes in EDI documents pass Luhn one time in ten. Digits inside a UUID
 * ({@code 8-4-4-4-12} hex groups, the hub's event and message ids) are an identifier, never a card number: a UUID
 * whose groups happen to be digits would otherwise be cut in half in the log.
 */
public final class CardNumbers {

    public static final String REDACTED = "[card number removed]";

    private static final Pattern CANDIDATE = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){14,18}(?![0-9])");

    private static final Pattern UUID = Pattern.compile(
            "(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])");

    private CardNumbers() {
    }

    public static boolean contains(String text) {
        if (text == null || text.length() < 15) {
            return false;
        }
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            if (isCardNumber(digits(m.group())) && !inUuid(text, m.start(), m.end())) {
                return true;
            }
        }
        return false;
    }

    /** The text with every card number replaced by {@link #REDACTED}. */
    public static String redact(String text) {
        if (text == null || text.length() < 15) {
            return text;
        }
        Matcher m = CANDIDATE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        boolean found = false;
        while (m.find()) {
            if (isCardNumber(digits(m.group())) && !inUuid(text, m.start(), m.end())) {
                m.appendReplacement(out, Matcher.quoteReplacement(REDACTED));
                found = true;
            }
        }
        if (!found) {
            return text;
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The bytes with every card number replaced; other bytes stay exactly as they were (the text is
     * read as ISO-8859-1, which maps each byte to one character and back).
     */
    public static byte[] redact(byte[] document) {
        String text = new String(document, StandardCharsets.ISO_8859_1);
        String redacted = redact(text);
        return redacted == text ? document : redacted.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** True when [start, end) lies inside a UUID of the text (looked for only around the match: 36 characters). */
    private static boolean inUuid(String text, int start, int end) {
        Matcher u = UUID.matcher(text);
        u.region(Math.max(0, end - 36), Math.min(text.length(), start + 36));
        u.useTransparentBounds(true);
        u.useAnchoringBounds(false);
        while (u.find()) {
            if (u.start() <= start && end <= u.end()) {
                return true;
            }
        }
        return false;
    }

    static boolean isCardNumber(String digits) {
        int len = digits.length();
        return hasSchemePrefix(digits, len) && luhn(digits);
    }

    private static boolean hasSchemePrefix(String d, int len) {
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        if (d.charAt(0) == '4') {
            return len == 16 || len == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return len == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15; // American Express
        }
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || p2 == 62) {
            return len >= 16; // Discover, UnionPay
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 16; // JCB
        }
        if (p2 == 36 || p2 == 38 || p2 == 39 || (p3 >= 300 && p3 <= 305)) {
            return len >= 16; // Diners Club (14-digit legacy numbers collide with GTIN-14)
        }
        if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759 || p4 == 6761
                || p4 == 6762 || p4 == 6763) {
            return len >= 16; // Maestro
        }
        return false;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int n = digits.charAt(i) - '0';
            if (dbl) {
                n *= 2;
                if (n > 9) {
                    n -= 9;
                }
            }
            sum += n;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    private static String digits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
