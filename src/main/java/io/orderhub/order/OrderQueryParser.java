package io.orderhub.order;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.orderhub.common.ApiProperties;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.springframework.stereotype.Component;

/** Reads the order list's query parameters, reporting every bad one at once (400). */
@Component
public class OrderQueryParser {

    public static final List<String> PARAMETERS = List.of("status", "channel", "externalId", "trackingNumber", "from", "to",
            "page", "size", "customerEmail");

    private final int defaultSize;
    private final int maxSize;

    public OrderQueryParser(ApiProperties api) {
        this.defaultSize = api.defaultPageSize();
        this.maxSize = api.maxPageSize();
    }

    public OrderQuery parse(Map<String, String> params) {
        List<FieldError> errors = new ArrayList<>();
        OrderStatus status = null;
        String s = blankToNull(params.get("status"));
        if (s != null) {
            try {
                status = OrderStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("status", "must be one of " + List.of(OrderStatus.values())));
            }
        }
        Instant from = instant("from", params.get("from"), errors);
        Instant to = instant("to", params.get("to"), errors);
        int page = integer("page", params.get("page"), 0, 0, Integer.MAX_VALUE / maxSize, errors);
        int size = integer("size", params.get("size"), defaultSize, 1, maxSize, errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(FieldError.of("to", "must be after from"));
        }
        String channel = blankToNull(params.get("channel"));
        // ids are stored trimmed and NFC-normalised (TextRules): a filter finds them the same way
        String externalId = blankToNull(params.get("externalId"));
        externalId = externalId == null ? null : java.text.Normalizer.normalize(externalId.strip(), java.text.Normalizer.Form.NFC);
        if (channel != null && channel.length() > 64) {
            errors.add(FieldError.of("channel", "is longer than 64 characters"));
        }
        if (externalId != null && externalId.length() > 200) {
            errors.add(FieldError.of("externalId", "is longer than 200 characters"));
        }
        String trackingNumber = blankToNull(params.get("trackingNumber"));
        if (trackingNumber != null && trackingNumber.length() > 100) {
            errors.add(FieldError.of("trackingNumber", "is longer than 100 characters"));
        }
        String customerEmail = blankToNull(params.get("customerEmail"));
        if (customerEmail != null && customerEmail.length() > 320) {
            errors.add(FieldError.of("customerEmail", "is longer than 320 characters"));
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.MALFORMED, "invalid query parameters", errors);
        }
        return new OrderQuery(status, channel, externalId, trackingNumber, from, to, page, size, customerEmail);
    }

    /** An ISO instant, an ISO date-time with offset, or a date (meaning its start in UTC). */
    private static Instant instant(String name, String value, List<FieldError> errors) {
        value = blankToNull(value);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(name, "must be an ISO-8601 date (2026-11-22) or date-time with offset"));
            return null;
        }
    }

    private static int integer(String name, String value, int dflt, int min, int max, List<FieldError> errors) {
        if (value == null) {
            return dflt;
        }
        // given blank (page=) is an error, as every other value that is not a number: the contract says integer
        if (value.isBlank()) {
            errors.add(FieldError.of(name, "is empty; give a whole number from " + min + " to " + max + " or leave it out"));
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                errors.add(FieldError.of(name, "must be between " + min + " and " + max));
                return dflt;
            }
            return n;
        } catch (NumberFormatException e) {
            errors.add(FieldError.of(name, "must be a whole number"));
            return dflt;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
