package io.orderhub.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.orderhub.common.FieldError;

/**
 * Repeated problems as one: when the same message is given for {@value #THRESHOLD} or more places that differ
 * only by a line index or a segment position ({@code /lines/0/unitPrice}, {@code /lines/1/unitPrice}, ...),
 * they become one error on the pattern ({@code /lines/* /unitPrice}) saying how many places and naming the
 * first ones: "is required — on 146 lines: /lines/0, /lines/1, /lines/2, /lines/3, /lines/4 and 141 more",
 * instead of 146 errors that hide everything else. Fewer repeats stay as they are.
 */
public final class ProblemGroups {

    public static final int THRESHOLD = 5;
    private static final int NAMED = 5;
    private static final Pattern INDEX = Pattern.compile("/\\d+(?=/|$)");
    private static final Pattern SEGMENT = Pattern.compile("^segment \\d+ ");

    private ProblemGroups() {
    }

    public static List<FieldError> group(List<FieldError> errors) {
        if (errors.size() < THRESHOLD) {
            return errors;
        }
        Map<List<String>, List<FieldError>> byPattern = new LinkedHashMap<>();
        for (FieldError e : errors) {
            String field = e.field() == null ? "" : e.field();
            String pattern = SEGMENT.matcher(INDEX.matcher(field).replaceAll("/*")).replaceFirst("segment * ");
            byPattern.computeIfAbsent(List.of(pattern, String.valueOf(e.message())), k -> new ArrayList<>()).add(e);
        }
        if (byPattern.size() == errors.size()) {
            return errors;
        }
        List<FieldError> out = new ArrayList<>();
        for (Map.Entry<List<String>, List<FieldError>> group : byPattern.entrySet()) {
            List<FieldError> same = group.getValue();
            if (same.size() < THRESHOLD || group.getKey().get(0).equals(same.get(0).field())) {
                out.addAll(same);
                continue;
            }
            String what = group.getKey().get(0).startsWith("/lines/*") ? " lines" : " places";
            List<String> first = same.stream().limit(NAMED).map(FieldError::field).toList();
            out.add(FieldError.of(group.getKey().get(0), same.get(0).message() + " — on " + same.size() + what + ": "
                    + String.join(", ", first) + (same.size() > NAMED ? " and " + (same.size() - NAMED) + " more" : "")));
        }
        return out;
    }
}
