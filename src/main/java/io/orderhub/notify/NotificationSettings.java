package io.orderhub.notify;

import java.time.ZoneId;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orderhub.notify.*}: on/off, the hub's sender address (channels may name their own), the time
 * zone mail shows times in, tracking links by carrier ({@code {trackingNumber}} and {@code {carrier}}
 * are filled in), and where rejection notices of REST/JMS documents are queued (and how many wait, at most, while the
 * broker blocks). Defaults in {@code application.yaml}.
 */
@ConfigurationProperties("orderhub.notify")
public record NotificationSettings(boolean enabled, String from, String replyTo, ZoneId timeZone,
                                   Map<String, String> trackingLinks, String defaultTrackingLink,
                                   String rejectionsQueue, int rejectionsBacklog) {

    public NotificationSettings {
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
        trackingLinks = trackingLinks == null ? Map.of() : Map.copyOf(trackingLinks);
    }

    /** The public tracking page of a parcel, or null when the carrier has none configured. */
    public String trackingLink(String carrier, String trackingNumber) {
        if (trackingNumber == null || trackingNumber.isBlank()) {
            return null;
        }
        String template = carrier == null ? null : trackingLinks.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(carrier)).map(Map.Entry::getValue).findFirst().orElse(null);
        if (template == null || template.isBlank()) {
            template = defaultTrackingLink;
        }
        if (template == null || template.isBlank()) {
            return null;
        }
        return template.replace("{trackingNumber}", java.net.URLEncoder.encode(trackingNumber, java.nio.charset.StandardCharsets.UTF_8))
                .replace("{carrier}", carrier == null ? "" : java.net.URLEncoder.encode(carrier, java.nio.charset.StandardCharsets.UTF_8));
    }
}
