package io.orderhub.ingest.mail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code Authentication-Results} header field (RFC 8601): the authserv-id of the host that added it
 * and its results ({@code dkim=pass header.d=example.com}, {@code spf=pass smtp.mailfrom=...},
 * {@code dmarc=pass header.from=...}). Comments in parentheses are dropped, quoted values unquoted.
 * A header that cannot be read has no authserv-id and no results.
 */
public record AuthenticationResults(String authservId, List<Result> results) {

    /** One method's result: method ({@code dkim}), result ({@code pass}), properties ({@code header.d} → value). */
    public record Result(String method, String result, Map<String, String> properties) {

        public String property(String name) {
            return properties.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static AuthenticationResults parse(String header) {
        if (header == null) {
            return new AuthenticationResults(null, List.of());
        }
        String text = withoutComments(header.replaceAll("\\r?\\n[ \\t]+", " ").replaceAll("[\\r\\n]", " "));
        List<String> parts = split(text, ';');
        if (parts.isEmpty()) {
            return new AuthenticationResults(null, List.of());
        }
        // authserv-id [ version ]
        String[] head = parts.get(0).trim().split("\\s+");
        String authservId = head.length == 0 || head[0].isEmpty() ? null : unquote(head[0]).toLowerCase(Locale.ROOT);
        List<Result> results = new ArrayList<>();
        for (String resinfo : parts.subList(1, parts.size())) {
            List<String> tokens = split(resinfo.trim(), ' ').stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
            if (tokens.isEmpty() || tokens.get(0).equalsIgnoreCase("none")) {
                continue;
            }
            String first = tokens.get(0);
            int eq = first.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String method = first.substring(0, eq).toLowerCase(Locale.ROOT);
            int slash = method.indexOf('/');
            if (slash > 0) {
                method = method.substring(0, slash);
            }
            String result = unquote(first.substring(eq + 1)).toLowerCase(Locale.ROOT);
            Map<String, String> properties = new LinkedHashMap<>();
            for (String token : tokens.subList(1, tokens.size())) {
                int e = token.indexOf('=');
                if (e > 0) {
                    properties.putIfAbsent(token.substring(0, e).toLowerCase(Locale.ROOT), unquote(token.substring(e + 1)));
                }
            }
            results.add(new Result(method, result, Map.copyOf(properties)));
        }
        return new AuthenticationResults(authservId, List.copyOf(results));
    }

    /** Removes RFC 5322 comments (nested parentheses), leaving quoted strings alone. */
    private static String withoutComments(String s) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                if (depth == 0) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (quoted) {
                out.append(c);
                quoted = c != '"';
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0) {
                out.append(c);
                quoted = c == '"';
            }
        }
        return out.toString();
    }

    /** Splits at the separator outside quoted strings; around '=' spaces are closed up first. */
    private static List<String> split(String s, char separator) {
        if (separator == ' ') {
            s = s.replaceAll("\\s*=\\s*", "=").replaceAll("\\s+", " ");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String v) {
        String t = v.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return t;
    }
}
