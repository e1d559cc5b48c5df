package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's settings table is generated from {@code application.yaml} (every setting with an environment
 * variable: the variable, the key, the default, the profiles' defaults and the yaml comment above the key), and so is
 * its list of deprecated names (from {@link DeprecatedEnvironmentNames}). This test fails when the README differs;
 * {@code -Dorderhub.readme.update=true} writes the tables into the README. It also holds every {@code orderhub.*}
 * setting to the naming rule: the variable is the key path in upper case with dots and dashes as underscores.
 */
class SettingsTableTest {

    static final Path README = Path.of("README.md");
    static final Path RESOURCES = Path.of("src/main/resources");
    static final String TABLE_START = "<!-- settings table: generated from application.yaml by SettingsTableTest -->";
    static final String TABLE_END = "<!-- end of settings table -->";
    static final String ALIASES_START = "<!-- deprecated names: generated from DeprecatedEnvironmentNames by SettingsTableTest -->";
    static final String ALIASES_END = "<!-- end of deprecated names -->";
    /** Profiles whose own defaults the table shows, with the README's name for them. */
    static final Map<String, String> PROFILES = new LinkedHashMap<>(Map.of("default", "embedded default"));

    static {
        PROFILES.put("prod", "prod");
        PROFILES.put("postgres", "postgres");
    }

    private static final Pattern KEY = Pattern.compile("([A-Za-z0-9_.\\-]+):(?:\\s+(.*))?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(.*)}");

    /** One setting of a yaml file: its key, value and the comment lines right above it (or above its group). */
    record Leaf(String key, String value, String comment) {

        Matcher placeholder() {
            Matcher m = PLACEHOLDER.matcher(value);
            return m.matches() ? m : null;
        }

        /** The value a placeholder falls back to, or the literal value. */
        String defaultValue() {
            Matcher m = placeholder();
            return m == null ? value : m.group(2);
        }
    }

    /** The environment variable an {@code orderhub.*} key is set by. */
    static String derivedName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static List<Leaf> leaves(Path yaml) throws IOException {
        List<Leaf> leaves = new ArrayList<>();
        Deque<Map.Entry<Integer, String>> path = new ArrayDeque<>();
        List<String> comment = new ArrayList<>();
        String groupComment = null;
        for (String line : Files.readAllLines(yaml)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                comment.clear();
                continue;
            }
            if (trimmed.startsWith("#")) {
                comment.add(trimmed.substring(1).strip());
                continue;
            }
            Matcher m = KEY.matcher(trimmed);
            if (trimmed.startsWith("- ") || !m.matches()) {
                comment.clear();
                continue;
            }
            int indent = line.indexOf(trimmed);
            while (!path.isEmpty() && path.peekLast().getKey() >= indent) {
                path.removeLast();
            }
            path.addLast(Map.entry(indent, m.group(1)));
            String value = m.group(2);
            if (value == null || value.isBlank()) {
                // a top-level key's comment speaks of the file, not of its first setting
                groupComment = comment.isEmpty() || indent == 0 ? null : String.join(" ", comment);
            } else {
                String key = String.join(".", path.stream().map(Map.Entry::getValue).toList());
                String own = comment.isEmpty() ? groupComment : String.join(" ", comment);
                if (comment.isEmpty()) {
                    groupComment = null;
                }
                leaves.add(new Leaf(key, value.strip(), own == null ? "" : own));
            }
            comment.clear();
        }
        return leaves;
    }

    static String table() throws IOException {
        Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
        for (String profile : PROFILES.keySet()) {
            Map<String, String> values = new LinkedHashMap<>();
            for (Leaf leaf : leaves(RESOURCES.resolve("application-" + profile + ".yaml"))) {
                values.put(leaf.key(), leaf.defaultValue());
            }
            profiles.put(profile, values);
        }
        StringBuilder out = new StringBuilder("| environment variable | setting | default | meaning |\n|---|---|---|---|\n");
        for (Leaf leaf : leaves(RESOURCES.resolve("application.yaml"))) {
            Matcher m = leaf.placeholder();
            if (m == null) {
                continue;
            }
            StringBuilder defaults = new StringBuilder(code(m.group(2)));
            profiles.forEach((profile, values) -> {
                if (values.containsKey(leaf.key())) {
                    defaults.append("; ").append(PROFILES.get(profile)).append(": ").append(code(values.get(leaf.key())));
                }
            });
            out.append("| `").append(m.group(1)).append("` | `").append(leaf.key()).append("` | ").append(defaults)
                    .append(" | ").append(text(leaf.comment())).append(" |\n");
        }
        return out.toString();
    }

    static String aliasTable() {
        StringBuilder out = new StringBuilder("| deprecated name | use instead | |\n|---|---|---|\n");
        new TreeMap<>(DeprecatedEnvironmentNames.ALIASES).forEach((old, successor) ->
                out.append("| `").append(old).append("` | `").append(successor).append("` | ")
                        .append(DeprecatedEnvironmentNames.CONTRACT_NAMES.contains(old)
                                ? "kept for good, no warning (the design contract)" : "").append(" |\n"));
        return out.toString();
    }

    private static String code(String value) {
        return value.isEmpty() ? "unset" : "`" + value.replace("|", "\\|") + "`";
    }

    private static String text(String comment) {
        return comment.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Test
    void everyOrderhubSettingIsSetByTheVariableItsKeyNames() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String file : List.of("application.yaml", "application-default.yaml", "application-prod.yaml",
                "application-postgres.yaml")) {
            for (Leaf leaf : leaves(RESOURCES.resolve(file))) {
                Matcher m = leaf.placeholder();
                if (m != null && leaf.key().startsWith("orderhub.") && !m.group(1).equals(derivedName(leaf.key()))) {
                    wrong.add(file + ": " + leaf.key() + " is set by " + m.group(1) + ", not " + derivedName(leaf.key()));
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theReadmeShowsTheSettingsAndTheDeprecatedNames() throws IOException {
        String readme = Files.readString(README);
        String expected = replace(replace(readme, TABLE_START, TABLE_END, table()), ALIASES_START, ALIASES_END,
                aliasTable());
        if (!expected.equals(readme)) {
            if (Boolean.getBoolean("orderhub.readme.update")) {
                Files.writeString(README, expected);
                return;
            }
            Path generated = Path.of("target", "README.generated.md");
            Files.createDirectories(generated.getParent());
            Files.writeString(generated, expected);
            fail("README.md's settings tables differ from application.yaml / DeprecatedEnvironmentNames: see "
                    + generated + ", or run this test with -Dorderhub.readme.update=true");
        }
    }

    private static String replace(String readme, String start, String end, String content) {
        int from = readme.indexOf(start);
        int to = readme.indexOf(end);
        assertThat(from).as("README has " + start).isNotNegative();
        assertThat(to).as("README has " + end).isGreaterThan(from);
        return readme.substring(0, from + start.length()) + "\n" + content + readme.substring(to);
    }
}
