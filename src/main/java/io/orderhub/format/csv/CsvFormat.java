package io.orderhub.format.csv;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.FieldError;
import io.orderhub.format.DocumentFormat;
import io.orderhub.format.DocumentHead;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.springframework.stereotype.Component;

/**
 * CSV orders: a header row, then one row per order line; rows with the same order number form one
 * order (several orders per file, in order of first appearance). Which column holds which canonical
 * field is the column mapping {@code mappings/csv/default.yaml}, or the channel's own variant. Every
 * problem names its place as {@code line <n>, column <header>}.
 */
@Component
public class CsvFormat implements DocumentFormat {

    public static final String ID = "csv";
    public static final String DEFAULT_MAPPING = "csv/default.yaml";

    static final Set<String> MEDIA_TYPES = Set.of("text/csv", "application/csv", "text/comma-separated-values");
    static final Set<String> LINE_FIELDS = Set.of("lineNo", "sku", "description", "quantity", "uom", "unitPrice",
            "lineTotal", "taxAmount", "buyerSku");
    static final Set<String> AMOUNTS = Set.of("quantity", "unitPrice", "lineTotal", "taxAmount", "totals.subtotal",
            "totals.discount", "totals.shipping", "totals.tax", "totals.grandTotal");
    static final Set<String> UPPER_CASE = Set.of("currency", "uom");
    static final Set<String> COUNTRIES = Set.of("shipTo.country", "billTo.country");

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final Map<String, String> COUNTRY_NAMES = countryNames();
    private static final int QUOTE_MAX = 40;

    private final MappingFiles mappings;

    public CsvFormat(MappingFiles mappings) {
        this.mappings = mappings;
    }

    @Override
    public String id() {
        return ID;
    }

    /** 80 for a CSV media type; 60 for a first line that is a header naming the default mapping's order-number column. */
    @Override
    public int recognise(DocumentHead head) {
        if (MEDIA_TYPES.contains(head.mediaType())) {
            return 80;
        }
        if (head.startsWith("{") || head.startsWith("[") || head.startsWith("<")) {
            return 0;
        }
        CsvMapping mapping;
        try {
            mapping = mappings.cached(DEFAULT_MAPPING, CsvMapping::parse);
        } catch (RuntimeException e) {
            return 0;
        }
        String first = head.text().lines().findFirst().orElse("");
        String[] cells = first.split(Pattern.quote(String.valueOf(mapping.delimiter())), -1);
        if (cells.length < 2) {
            return 0;
        }
        for (String cell : cells) {
            if (cell.trim().replace("\"", "").equals(mapping.orderKey())) {
                return 60;
            }
        }
        return 0;
    }

    @Override
    public String mappingFile(MappingContext context) {
        return context.mappingFile(ID, DEFAULT_MAPPING);
    }

    @Override
    public FormatResult read(byte[] document, MappingContext context) {
        String file = context.mappingFile(ID, DEFAULT_MAPPING);
        CsvMapping mapping;
        try {
            mapping = context.mappings().cached(file, CsvMapping::parse);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return FormatResult.rejected(List.of(FieldError.of("mapping " + file, e.getMessage())));
        }
        String text;
        try {
            text = utf8(document);
        } catch (CharacterCodingException e) {
            return FormatResult.rejected(List.of(FieldError.of("body", "is not UTF-8 text")));
        }
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setDelimiter(mapping.delimiter())
                .setHeader()
                .setSkipHeaderRecord(true)
                .setAllowMissingColumnNames(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
                .setIgnoreEmptyLines(true)
                .setTrim(true)
                .build();
        try (CSVParser parser = format.parse(new StringReader(text))) {
            List<FieldError> missing = new ArrayList<>();
            for (String column : mapping.columns()) {
                if (!parser.getHeaderMap().containsKey(column) && !mapping.optional().contains(column)) {
                    missing.add(FieldError.of("line 1, column " + column,
                            "is missing from the header row (the column mapping " + file + " reads it)"));
                }
            }
            if (!missing.isEmpty()) {
                return FormatResult.rejected(missing);
            }
            return orders(parser, mapping);
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            return FormatResult.rejected(List.of(FieldError.of("body", "is not valid CSV: " + e.getMessage())));
        }
    }

    private FormatResult orders(CSVParser parser, CsvMapping mapping) {
        int headerSize = parser.getHeaderNames().size();
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        List<FieldError> documentErrors = new ArrayList<>();
        long lineAfter = parser.getCurrentLineNumber();
        for (Iterator<CSVRecord> it = parser.iterator(); it.hasNext(); ) {
            CSVRecord record = it.next();
            long line = lineAfter + 1;
            lineAfter = parser.getCurrentLineNumber();
            Row row = new Row(line, record);
            String key = row.get(mapping.orderKey());
            if (key.isEmpty()) {
                documentErrors.add(FieldError.of(row.at(mapping.orderKey()), "is empty; every row needs its order number"));
                continue;
            }
            List<Row> group = groups.computeIfAbsent(key, k -> new ArrayList<>());
            group.add(row);
            if (record.size() != headerSize) {
                row.errors.add(FieldError.of("line " + line, "has " + record.size() + " fields but the header has " + headerSize));
            }
        }
        List<MappedOrder> orders = new ArrayList<>();
        for (Map.Entry<String, List<Row>> group : groups.entrySet()) {
            List<FieldError> errors = new ArrayList<>();
            group.getValue().forEach(r -> errors.addAll(r.errors));
            ObjectNode order = order(group.getValue(), mapping, errors);
            orders.add(new MappedOrder(order, group.getKey(), orders.size() + 1, errors));
        }
        if (orders.isEmpty() && documentErrors.isEmpty()) {
            documentErrors.add(FieldError.of("body", "holds no order rows below the header"));
        }
        return new FormatResult(orders, documentErrors, null);
    }

    private ObjectNode order(List<Row> rows, CsvMapping mapping, List<FieldError> errors) {
        ObjectNode order = NODES.objectNode();
        for (Map.Entry<String, String> field : mapping.order().entrySet()) {
            String column = field.getValue();
            Row from = rows.stream().filter(r -> !r.get(column).isEmpty()).findFirst().orElse(null);
            JsonNode value = from == null ? null : convert(field.getKey(), from.get(column), from.at(column), mapping, errors);
            if (value != null) {
                set(order, field.getKey(), value);
            }
        }
        for (Map.Entry<String, String> d : mapping.defaults().entrySet()) {
            if (!LINE_FIELDS.contains(d.getKey()) && !has(order, d.getKey())) {
                set(order, d.getKey(), convert(d.getKey(), d.getValue(), "defaults." + d.getKey(), mapping, errors));
            }
        }
        ArrayNode lines = order.putArray("lines");
        for (Row row : rows) {
            if (mapping.lineWhen().stream().allMatch(c -> row.get(c).isEmpty())) {
                continue;
            }
            ObjectNode line = lines.addObject();
            line.put("lineNo", lines.size());
            for (Map.Entry<String, String> field : mapping.line().entrySet()) {
                String raw = row.get(field.getValue());
                JsonNode value = raw.isEmpty() ? null : convert(field.getKey(), raw, row.at(field.getValue()), mapping, errors);
                if (value != null) {
                    line.set(field.getKey(), value);
                }
            }
            for (Map.Entry<String, String> d : mapping.defaults().entrySet()) {
                if (LINE_FIELDS.contains(d.getKey()) && !line.has(d.getKey())) {
                    line.set(d.getKey(), convert(d.getKey(), d.getValue(), "defaults." + d.getKey(), mapping, errors));
                }
            }
            if (!line.has("lineTotal") && line.has("quantity") && line.has("unitPrice")) {
                line.put("lineTotal", line.get("quantity").decimalValue().multiply(line.get("unitPrice").decimalValue()));
            }
        }
        totals(order, lines);
        return order;
    }

    /** Totals the file leaves out: subtotal = Σ lineTotal, tax = Σ line taxAmount, 0 discount/shipping, grandTotal derived. */
    private static void totals(ObjectNode order, ArrayNode lines) {
        ObjectNode totals = order.has("totals") ? (ObjectNode) order.get("totals") : order.putObject("totals");
        if (!totals.has("subtotal")) {
            BigDecimal sum = sum(lines, "lineTotal", true);
            if (sum != null) {
                totals.put("subtotal", sum);
            }
        }
        if (!totals.has("discount")) {
            totals.put("discount", BigDecimal.ZERO);
        }
        if (!totals.has("shipping")) {
            totals.put("shipping", BigDecimal.ZERO);
        }
        if (!totals.has("tax")) {
            BigDecimal tax = sum(lines, "taxAmount", false);
            totals.put("tax", tax == null ? BigDecimal.ZERO : tax);
        }
        if (!totals.has("grandTotal") && totals.has("subtotal")) {
            totals.put("grandTotal", totals.get("subtotal").decimalValue().subtract(totals.get("discount").decimalValue())
                    .add(totals.get("shipping").decimalValue()).add(totals.get("tax").decimalValue()));
        }
    }

    /** Sum of a line field; null when a line lacks it and {@code all} is asked, or when no line has it. */
    private static BigDecimal sum(ArrayNode lines, String field, boolean all) {
        BigDecimal sum = null;
        for (JsonNode line : lines) {
            if (line.path(field).isNumber()) {
                sum = (sum == null ? BigDecimal.ZERO : sum).add(line.get(field).decimalValue());
            } else if (all) {
                return null;
            }
        }
        return sum;
    }

    private JsonNode convert(String field, String raw, String at, CsvMapping mapping, List<FieldError> errors) {
        String value = mapValue(field, raw, mapping);
        if (value.isEmpty()) {
            return null;
        }
        if (AMOUNTS.contains(field)) {
            if (!DECIMAL.matcher(value).matches()) {
                errors.add(FieldError.of(at, "must be a decimal number, not " + quote(value)));
                return null;
            }
            return NODES.numberNode(new BigDecimal(value));
        }
        if (field.equals("lineNo")) {
            if (!value.matches("\\d{1,9}")) {
                errors.add(FieldError.of(at, "must be a whole number, not " + quote(value)));
                return null;
            }
            return NODES.numberNode(Integer.parseInt(value));
        }
        if (field.equals("orderDate")) {
            return date(value, at, mapping, errors);
        }
        if (COUNTRIES.contains(field)) {
            String code = value.length() == 2 ? value.toUpperCase(Locale.ROOT) : COUNTRY_NAMES.get(value.toLowerCase(Locale.ROOT));
            if (code == null) {
                errors.add(FieldError.of(at, "is not an ISO 3166-1 country code or English country name: " + quote(value)));
                return null;
            }
            return NODES.textNode(code);
        }
        return NODES.textNode(UPPER_CASE.contains(field) ? value.toUpperCase(Locale.ROOT) : value);
    }

    private static String mapValue(String field, String raw, CsvMapping mapping) {
        Map<String, String> values = mapping.values().get(field);
        if (values == null) {
            return raw;
        }
        String mapped = values.get(raw);
        if (mapped == null) {
            mapped = values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(raw))
                    .map(Map.Entry::getValue).findFirst().orElse(raw);
        }
        return mapped.trim();
    }

    private static JsonNode date(String value, String at, CsvMapping mapping, List<FieldError> errors) {
        try {
            TemporalAccessor t = mapping.dates().parseBest(value, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            OffsetDateTime date = t instanceof OffsetDateTime o ? o
                    : t instanceof LocalDateTime l ? l.atOffset(mapping.zone())
                    : ((LocalDate) t).atStartOfDay().atOffset(mapping.zone());
            return NODES.textNode(date.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(at, "is not a date in the format " + ("ISO".equals(mapping.datePattern())
                    ? "ISO-8601 (2026-01-15, 2026-01-15T10:00:00 or 2026-01-15T10:00:00+01:00)" : mapping.datePattern())
                    + ": " + quote(value)));
            return null;
        }
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    private static boolean has(ObjectNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return !node.isMissingNode();
    }

    private static String quote(String value) {
        return "'" + (value.length() > QUOTE_MAX ? value.substring(0, QUOTE_MAX) + "…" : value) + "'";
    }

    private static String utf8(byte[] document) throws CharacterCodingException {
        int start = document.length >= 3 && (document[0] & 0xff) == 0xEF && (document[1] & 0xff) == 0xBB
                && (document[2] & 0xff) == 0xBF ? 3 : 0;
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(document, start, document.length - start))
                .toString();
    }

    private static Map<String, String> countryNames() {
        Map<String, String> names = new HashMap<>();
        for (String code : Locale.getISOCountries()) {
            names.put(new Locale("", code).getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
        }
        return names;
    }

    /** One CSV record with its line number in the file. */
    private static final class Row {
        final long line;
        final CSVRecord record;
        final List<FieldError> errors = new ArrayList<>();

        Row(long line, CSVRecord record) {
            this.line = line;
            this.record = record;
        }

        String get(String column) {
            return record.isMapped(column) && record.isSet(column) ? record.get(column).trim() : "";
        }

        String at(String column) {
            return "line " + line + ", column " + column;
        }
    }
}
