package io.orderhub.api;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;

/**
 * Reads the filters of the operations endpoints, from query parameters or from a JSON body, and
 * collects every problem before answering: an age is an ISO-8601 duration ({@code PT2H}, {@code P3D})
 * counted back from now, or a point in time (date-time with offset, or a date meaning its start in UTC).
 */
final class OpsFilters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final List<FieldError> errors = new ArrayList<>();
    private final String prefix;

    private OpsFilters(Clock clock, String prefix) {
        this.clock = clock;
        this.prefix = prefix;
    }

    /** For query parameters: problems name the parameter. */
    static OpsFilters query(Clock clock) {
        return new OpsFilters(clock, "");
    }

    /** For a JSON body: problems name the JSON pointer. */
    static OpsFilters body(Clock clock) {
        return new OpsFilters(clock, "/");
    }

    /** The body as a JSON object with only the allowed fields (an empty body is an empty object). */
    JsonNode object(byte[] body, Set<String> allowed) {
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is not valid JSON");
        }
        if (node == null || node.isMissingNode()) {
            node = JSON.createObjectNode();
        }
        if (!node.isObject()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(FieldError.of("/" + name, "is not a filter here; use " + allowed));
            }
        }
        return node;
    }

    /** A text field of a JSON body (null when absent or blank). */
    String text(JsonNode body, String name, int maxLength) {
        JsonNode v = body.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(FieldError.of(prefix + name, "must be a string"));
            return null;
        }
        return text(name, v.asText(), maxLength);
    }

    /** A text value (null when absent or blank). */
    String text(String name, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > maxLength) {
            errors.add(FieldError.of(prefix + name, "is longer than " + maxLength + " characters"));
            return null;
        }
        return value.trim();
    }

    /** An upper-cased value that must be one of {@code allowed}. */
    String oneOf(String name, String value, Set<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            errors.add(FieldError.of(prefix + name, "must be one of " + allowed + ", not '" + value + "'"));
            return null;
        }
        return v;
    }

    /** A duration back from now, or a point in time. */
    Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            if (v.startsWith("P") || v.startsWith("p")) {
                Duration age = Duration.parse(v.toUpperCase(Locale.ROOT));
                if (age.isNegative()) {
                    errors.add(FieldError.of(prefix + name, "must not be a negative duration"));
                    return null;
                }
                return clock.instant().minus(age);
            }
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(prefix + name, "must be an ISO-8601 duration (PT2H, P3D), a date (2026-01-31) or a date-time"
                    + " with offset (2026-01-31T10:00:00Z), not '" + v + "'"));
            return null;
        }
    }

    Instant instant(JsonNode body, String name) {
        JsonNode v = body.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(FieldError.of(prefix + name, "must be a string"));
            return null;
        }
        return instant(name, v.asText());
    }

    /** A whole number from 1 to max, or the default. */
    int limit(String name, String value, int defaultValue, int max) {
        if (value == null) {
            return defaultValue;
        }
        // a parameter given blank (limit=) is an error like any other value that is not a number: the API contract
        // says integer, and the console leaves out the fields it has no value for
        if (value.isBlank()) {
            errors.add(FieldError.of(prefix + name, "is empty; give a whole number from 1 to " + max + " or leave it out"));
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(FieldError.of(prefix + name, "must be a whole number from 1 to " + max));
        return defaultValue;
    }

    int limit(JsonNode body, String name, int defaultValue, int max) {
        JsonNode v = body.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            errors.add(FieldError.of(prefix + name, "must be a whole number from 1 to " + max));
            return defaultValue;
        }
        return limit(name, v.asText(), defaultValue, max);
    }

    /** A list of strings (ids), null when absent. */
    List<String> strings(JsonNode body, String name, int max) {
        JsonNode v = body.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.size() > max) {
            errors.add(FieldError.of(prefix + name, "must be a list of at most " + max + " ids"));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!(item.isTextual() || item.isIntegralNumber()) || item.asText().isBlank() || item.asText().length() > 64) {
                errors.add(FieldError.of(prefix + name + "/" + i, "must be an id"));
            } else {
                out.add(item.asText().trim());
            }
        }
        return out;
    }

    void problem(String name, String message) {
        errors.add(FieldError.of(prefix + name, message));
    }

    /** Throws every problem found, as 400 for query parameters and 422 for a body. */
    void check() {
        if (!errors.isEmpty()) {
            Problem problem = prefix.isEmpty() ? Problem.MALFORMED : Problem.INVALID;
            throw new OrderHubException(problem, errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " problems in the filter", errors);
        }
    }
}
