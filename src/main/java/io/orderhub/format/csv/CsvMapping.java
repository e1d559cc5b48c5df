package io.orderhub.format.csv;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A CSV column mapping ({@code mappings/csv/*.yaml}): which header holds which canonical field, how
 * rows group into orders, and how dates and values are read. See {@code mappings/csv/default.yaml}
 * for the meaning of each key.
 */
record CsvMapping(
        char delimiter,
        String orderKey,
        DateTimeFormatter dates,
        String datePattern,
        ZoneOffset zone,
        Map<String, String> order,
        Map<String, String> line,
        List<String> lineWhen,
        Set<String> optional,
        Map<String, Map<String, String>> values,
        Map<String, String> defaults) {

    private static final YAMLMapper YAML = new YAMLMapper();

    /** ISO dates: 2026-01-15, 2026-01-15T10:00[:00], 2026-01-15T10:00:00+01:00 (and Z). */
    static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    /** Every column the mapping reads, in mapping order. */
    Set<String> columns() {
        Set<String> all = new LinkedHashSet<>();
        all.add(orderKey);
        all.addAll(order.values());
        all.addAll(line.values());
        all.addAll(lineWhen);
        return all;
    }

    static CsvMapping parse(byte[] yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a YAML mapping");
        }
        String delimiter = root.path("delimiter").asText(",");
        if (delimiter.length() != 1) {
            throw new IllegalArgumentException("delimiter must be one character, not '" + delimiter + "'");
        }
        String orderKey = root.path("orderKey").asText("");
        if (orderKey.isEmpty()) {
            throw new IllegalArgumentException("orderKey (the header holding the order number) is required");
        }
        String pattern = root.path("dateFormat").asText("ISO");
        DateTimeFormatter dates;
        try {
            dates = "ISO".equals(pattern) ? ISO : DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dateFormat '" + pattern + "' is not a date pattern: " + e.getMessage(), e);
        }
        ZoneOffset zone = ZoneOffset.of(root.path("zone").asText("Z"));
        Map<String, String> line = strings(root.path("line"), "line");
        List<String> lineWhen = new ArrayList<>();
        root.path("lineWhen").forEach(n -> lineWhen.add(n.asText()));
        if (lineWhen.isEmpty()) {
            lineWhen.addAll(new LinkedHashSet<>(line.values()));
        }
        Set<String> optional = new LinkedHashSet<>();
        root.path("optional").forEach(n -> optional.add(n.asText()));
        Map<String, Map<String, String>> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("values").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), strings(e.getValue(), "values." + e.getKey()));
        }
        return new CsvMapping(delimiter.charAt(0), orderKey, dates, pattern, zone, strings(root.path("order"), "order"), line,
                List.copyOf(lineWhen), optional, values, strings(root.path("defaults"), "defaults"));
    }

    private static Map<String, String> strings(JsonNode node, String name) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(name + " must be a mapping of names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }
}
