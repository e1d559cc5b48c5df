package io.orderhub.order;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.orderhub.common.ApiProperties;
import io.orderhub.common.FieldError;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.common.CardNumbers;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Checks a canonical order document and reports every problem at once, each with a JSON pointer:
 * first the shape against {@code mappings/canonical-order.schema.json}, then the rules a schema
 * cannot state (ISO codes, dates, line and order sums, duplicate line numbers, card numbers,
 * fields that only the hub may set). The sums and amounts are checked by {@link OrderAmounts}.
 */
@Component
public class CanonicalOrderValidator {

    public static final String SCHEMA_FILE = "canonical-order.schema.json";

    /** Fields the hub assigns; a document that sets them is refused (no mass assignment). */
    static final List<String> HUB_ASSIGNED = List.of("orderId", "status", "receivedAt", "source");

    /** Sums may differ by rounding of at most one cent. */
    static final BigDecimal TOLERANCE = new BigDecimal("0.01");

    /** A unit price is per ordered unit; dividing a price per hundred or thousand down needs more decimals. */
    static final int MAX_UNIT_PRICE_DECIMALS = 6;

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /** Digits an amount or quantity may have before the decimal point (the database's numeric(19,4)). */
    static final int MAX_INTEGER_DIGITS = 15;

    /** Digits any number may have after the decimal point (amounts: at most 4, checked with the sums). */
    static final int MAX_FRACTION_DIGITS = 40;

    /** Currencies a payment can be in: those of a country, which leaves out funds, metals, XXX and XTS. */
    private static final Set<String> CURRENCIES = countryCurrencies();

    private final MappingFiles mappings;
    private final ObjectMapper json;
    private final int maxLines;
    private final Clock clock;
    private final LocalDate earliestOrderDate;
    private final Period latestOrderDateAhead;

    public CanonicalOrderValidator(MappingFiles mappings, ObjectMapper json, int maxLines) {
        this(mappings, json, maxLines, Clock.systemUTC(), LocalDate.of(2000, 1, 1), Period.ofYears(1));
    }

    @Autowired
    public CanonicalOrderValidator(MappingFiles mappings, ObjectMapper json,
                                   ApiProperties api, Clock clock, ValidationProperties validation) {
        this(mappings, json, api.maxLines(), clock, validation.orderDate().earliest(), validation.orderDate().maxAhead());
    }

    public CanonicalOrderValidator(MappingFiles mappings, ObjectMapper json, int maxLines, Clock clock,
                                   LocalDate earliestOrderDate, Period latestOrderDateAhead) {
        this.mappings = mappings;
        this.json = json;
        this.maxLines = maxLines;
        this.clock = clock;
        this.earliestOrderDate = earliestOrderDate;
        this.latestOrderDateAhead = latestOrderDateAhead;
    }

    public List<FieldError> validate(JsonNode document) {
        return validate(document, mappings);
    }

    /**
     * The order as the hub keeps it: identifiers (externalId, channel, customer externalId, SKUs) trimmed and
     * NFC-normalised, names and addresses NFC-normalised, amounts with at least their currency's decimals
     * ({@link MoneyForm}) (a copy; {@link #validate} checks this form). Submissions and previews both take it.
     */
    public JsonNode normalize(JsonNode document) {
        return MoneyForm.inCurrencyForm(TextRules.normalize(document));
    }

    /** The most lines one order may have. */
    public int maxLines() {
        return maxLines;
    }

    /** Validates against the schema of the given mapping files (a candidate view during hot reload). */
    public List<FieldError> validate(JsonNode document, MappingFiles files) {
        List<FieldError> errors = new ArrayList<>();
        if (document == null || !document.isObject()) {
            errors.add(FieldError.of("", "must be a JSON object holding one order"));
            return errors;
        }
        document = TextRules.normalize(document);
        ObjectNode input = document.deepCopy();
        for (String field : HUB_ASSIGNED) {
            if (input.has(field)) {
                errors.add(FieldError.of("/" + field, "is assigned by the hub and must not be sent"));
                input.remove(field);
            }
        }
        cardNumbers(document, "", errors);
        JsonNode lines = document.path("lines");
        if (lines.isArray() && lines.size() > maxLines) {
            errors.add(FieldError.of("/lines", "has " + lines.size() + " lines; at most " + maxLines + " are accepted"));
            return sorted(errors);
        }
        int before = errors.size();
        numbers(document, "", errors);
        if (errors.size() > before) {
            // no sums or schema bounds with numbers that big: they alone are reported
            return sorted(errors);
        }
        TextRules.check(document, errors);
        schemaErrors(input, files, errors);
        rules(document, errors);
        return sorted(errors);
    }

    /** Every number within {@link #MAX_INTEGER_DIGITS} digits before and {@link #MAX_FRACTION_DIGITS} after the point. */
    private static void numbers(JsonNode node, String pointer, List<FieldError> errors) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                numbers(e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                numbers(node.get(i), pointer + "/" + i, errors);
            }
        } else if (node.isNumber()) {
            if (node.isFloatingPointNumber() && !node.isBigDecimal()) {
                if (!Double.isFinite(node.doubleValue())) {
                    errors.add(FieldError.of(pointer, "is not a finite number"));
                    return;
                }
            }
            BigDecimal value = node.decimalValue();
            long integerDigits = value.signum() == 0 ? 0 : (long) value.precision() - value.scale();
            if (integerDigits > MAX_INTEGER_DIGITS) {
                errors.add(FieldError.of(pointer, "is too large: a number with " + integerDigits
                        + " digits before the decimal point; at most " + MAX_INTEGER_DIGITS + " are accepted"));
            } else if (value.scale() > MAX_FRACTION_DIGITS && value.stripTrailingZeros().scale() > MAX_FRACTION_DIGITS) {
                errors.add(FieldError.of(pointer, "has more than " + MAX_FRACTION_DIGITS + " digits after the decimal point"));
            }
        }
    }

    private void schemaErrors(JsonNode input, MappingFiles files, List<FieldError> errors) {
        for (ValidationMessage m : schema(files).validate(input)) {
            String location = m.getInstanceLocation().toString();
            String property = m.getProperty();
            switch (m.getType()) {
                case "required" -> errors.add(FieldError.of(location + "/" + property, "is required"));
                case "additionalProperties" ->
                        errors.add(FieldError.of(location + "/" + property, "is not a field of the canonical order"));
                case "type" -> errors.add(FieldError.of(location,
                        "must be " + article(String.valueOf(m.getArguments()[1])) + ", not " + m.getArguments()[0]));
                default -> errors.add(FieldError.of(location, stripLocation(m.getMessage(), location)));
            }
        }
    }

    private void rules(JsonNode order, List<FieldError> errors) {
        JsonNode date = order.path("orderDate");
        if (date.isTextual()) {
            try {
                orderDateRange(OffsetDateTime.parse(date.asText()), errors);
            } catch (DateTimeParseException e) {
                errors.add(FieldError.of("/orderDate",
                        "must be an ISO-8601 date-time with offset, e.g. 2026-11-22T10:15:00+01:00"));
            }
        }
        JsonNode currency = order.path("currency");
        if (currency.isTextual() && currency.asText().matches("[A-Z]{3}") && !CURRENCIES.contains(currency.asText())) {
            errors.add(FieldError.of("/currency", isCurrency(currency.asText())
                    ? "is not a currency orders can be paid in (ISO 4217 fund, precious metal, test and no-currency "
                    + "codes such as XXX and XTS are refused)"
                    : "is not an ISO 4217 currency code"));
        }
        for (String party : List.of("shipTo", "billTo")) {
            JsonNode country = order.path(party).path("country");
            if (country.isTextual() && country.asText().matches("[A-Z]{2}") && !COUNTRIES.contains(country.asText())) {
                errors.add(FieldError.of("/" + party + "/country", "is not an ISO 3166-1 alpha-2 country code"));
            }
        }
        JsonNode payment = order.path("payment");
        if ("card".equals(payment.path("method").asText()) && !payment.hasNonNull("token")) {
            errors.add(FieldError.of("/payment/token", "is required for card payments (a gateway token such as pm_card_visa)"));
        }
        BigDecimal lineSum = OrderAmounts.lines(order.path("lines"), errors);
        OrderAmounts.totals(order, lineSum, errors);
    }


    private static void cardNumbers(JsonNode node, String pointer, List<FieldError> errors) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                if (CardNumbers.contains(e.getKey())) {
                    errors.add(FieldError.of(pointer, "holds a payment card number in a field name; send a gateway token instead"));
                }
                cardNumbers(e.getValue(), child, errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                cardNumbers(node.get(i), pointer + "/" + i, errors);
            }
        } else if ((node.isTextual() || node.isNumber()) && CardNumbers.contains(node.asText())) {
            errors.add(FieldError.of(pointer, "holds a payment card number; card numbers are never accepted, send a gateway token instead"));
        }
    }

    private JsonSchema schema(MappingFiles files) {
        return files.cached(SCHEMA_FILE, bytes -> {
            try {
                JsonNode schemaNode = json.readTree(bytes);
                SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                        .pathType(PathType.JSON_POINTER)
                        .build();
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode, config);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(SCHEMA_FILE + " is not valid JSON: " + e.getMessage(), e);
            }
        });
    }

    private static BigDecimal decimal(JsonNode node) {
        return node.isNumber() ? node.decimalValue() : null;
    }

    /** The order date between the configured earliest date and the configured time ahead of now. */
    private void orderDateRange(OffsetDateTime date, List<FieldError> errors) {
        Instant at = date.toInstant();
        Instant earliest = earliestOrderDate.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant latest = OffsetDateTime.now(clock).plus(latestOrderDateAhead).toInstant();
        if (at.isBefore(earliest)) {
            errors.add(FieldError.of("/orderDate", "is before " + earliestOrderDate + ", the earliest order date accepted"));
        } else if (at.isAfter(latest)) {
            errors.add(FieldError.of("/orderDate", "is more than " + latestOrderDateAhead + " ahead of now ("
                    + latest.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "), the latest order date accepted"));
        }
    }

    private static Set<String> countryCurrencies() {
        Set<String> codes = new java.util.TreeSet<>();
        for (String country : Locale.getISOCountries()) {
            try {
                Currency c = Currency.getInstance(new Locale("", country));
                if (c != null && !c.getCurrencyCode().startsWith("XXX")) {
                    codes.add(c.getCurrencyCode());
                }
            } catch (IllegalArgumentException e) {
                // a country without a currency of its own (Antarctica)
            }
        }
        return Set.copyOf(codes);
    }

    private static boolean isCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String article(String type) {
        return switch (type) {
            case "object", "array", "integer" -> "an " + type;
            default -> "a " + type;
        };
    }

    private static String stripLocation(String message, String location) {
        String prefix = location + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static List<FieldError> sorted(List<FieldError> errors) {
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return errors;
    }
}
