package io.orderhub.notify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Locale;

/**
 * Formatting helpers the templates call as {@code fmt.money(amount, currency)}, {@code fmt.date(text)}
 * and {@code fmt.quantity(q)}: amounts with the currency's decimals and the locale's separators, times
 * in the configured zone.
 */
public final class MailFormats {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Locale locale;
    private final ZoneId zone;
    /** Made once per mail's formats (a mail is rendered by one thread), not per amount. */
    private NumberFormat numbers;

    public MailFormats(String locale, ZoneId zone) {
        this.locale = Locale.forLanguageTag(locale);
        this.zone = zone;
    }

    /** 1234.5 EUR → "1,234.50 EUR" (en); unknown currencies keep two decimals. */
    public String money(Object amount, String currency) {
        BigDecimal value = decimal(amount);
        if (value == null) {
            return "";
        }
        int digits = 2;
        try {
            if (currency != null) {
                digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
            }
        } catch (IllegalArgumentException e) {
            // not ISO 4217: two decimals
        }
        if (numbers == null) {
            numbers = NumberFormat.getNumberInstance(locale);
        }
        NumberFormat f = numbers;
        f.setMinimumFractionDigits(digits);
        f.setMaximumFractionDigits(Math.max(digits, value.stripTrailingZeros().scale()));
        return f.format(value.setScale(Math.max(digits, Math.max(0, value.stripTrailingZeros().scale())), RoundingMode.HALF_UP))
                + (currency == null ? "" : " " + currency);
    }

    /** A quantity without trailing zeros: 2, 1.5. */
    public String quantity(Object q) {
        BigDecimal value = decimal(q);
        return value == null ? "" : value.stripTrailingZeros().toPlainString();
    }

    /** An ISO-8601 date-time (instant or with offset) as "yyyy-MM-dd HH:mm zone"; other text as it is. */
    public String date(Object text) {
        if (text == null) {
            return "";
        }
        String s = text.toString();
        try {
            Instant instant = s.endsWith("Z") ? Instant.parse(s) : OffsetDateTime.parse(s).toInstant();
            return DATE_TIME.format(instant.atZone(zone)) + " " + zone.getId();
        } catch (DateTimeParseException e) {
            return s;
        }
    }

    private static BigDecimal decimal(Object amount) {
        if (amount == null) {
            return null;
        }
        if (amount instanceof BigDecimal b) {
            return b;
        }
        try {
            return new BigDecimal(amount.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
