package io.orderhub.channel;

import java.util.List;
import java.util.Locale;

/**
 * A sales channel as configured in {@code mappings/channels.yaml}: which formats and transports it
 * may use, which sender addresses are its own, whether it allows backorders, its payment gateway,
 * and its API keys (by id; the secrets are configuration).
 */
public record Channel(
        String id,
        String name,
        List<String> formats,
        List<String> transports,
        List<String> senders,
        boolean backorders,
        String paymentGateway,
        List<String> apiKeys,
        String locale,
        java.util.Map<String, String> mappings) {

    public static final String ANY = "*";

    public Channel {
        formats = formats == null ? List.of(ANY) : List.copyOf(formats);
        transports = transports == null ? List.of(ANY) : List.copyOf(transports);
        senders = senders == null ? List.of() : List.copyOf(senders);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        mappings = mappings == null ? java.util.Map.of() : java.util.Map.copyOf(mappings);
        locale = locale == null ? "en" : locale;
    }

    public boolean allowsFormat(String format) {
        return formats.contains(ANY) || formats.contains(format);
    }

    public boolean allowsTransport(String via) {
        return transports.contains(ANY) || transports.contains(via);
    }

    /** True when the address matches one of the sender patterns ({@code *@domain} or an exact address). */
    public boolean isSender(String address) {
        if (address == null) {
            return false;
        }
        String a = address.trim().toLowerCase(Locale.ROOT);
        for (String pattern : senders) {
            String p = pattern.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("*@") ? a.endsWith(p.substring(1)) : a.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
