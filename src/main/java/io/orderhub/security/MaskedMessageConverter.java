package io.orderhub.security;

import io.orderhub.common.CardNumbers;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log message with customer data masked: e-mail addresses keep their first letter and domain
 * ({@code e***@example.com}), international phone numbers their last two digits, and payment card
 * numbers are removed. Installed for %m/%msg/%message by logback-spring.xml, so it covers every log
 * line the hub and its libraries write.
 */
public class MaskedMessageConverter extends MessageConverter {

    private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
    private static final Pattern PHONE = Pattern.compile("\\+\\d[\\d ()./-]{5,}\\d(\\d)");

    @Override
    public String convert(ILoggingEvent event) {
        return mask(super.convert(event));
    }

    public static String mask(String message) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        String out = CardNumbers.redact(message);
        if (out.indexOf('@') >= 0) {
            out = EMAIL.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***@" + m.group(2)));
        }
        if (out.indexOf('+') >= 0) {
            out = PHONE.matcher(out).replaceAll(m -> Matcher.quoteReplacement("+***" + m.group(0).substring(m.group(0).length() - 2)));
        }
        return out;
    }
}
