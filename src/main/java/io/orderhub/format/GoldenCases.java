package io.orderhub.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.mapping.MappingVerifier;
import io.orderhub.order.CanonicalOrderValidator;
import org.springframework.stereotype.Component;

/**
 * The golden cases of {@code mappings/tests/<format>/}: each input document with the canonical
 * orders it must map to ({@code <case>.expected.json}). They are the suite's mapping tests and the
 * gate for hot reload: a changed mapping goes live only when every case still passes with it.
 *
 * <p>{@code expected.json} is an array with one entry per order of the document — the mapped order
 * (compared by value, numbers by amount; it must also pass validation) or
 * {@code {"errors": [{field, message}]}} for an order that must be rejected (field equal, message
 * contained) — or {@code {"documentErrors": [...]}} for a document refused as a whole. A case whose
 * input may not be copied into the project names it in {@code <case>.corpus}, a path below the
 * corpus folder; it is skipped where that folder is absent.
 */
@Component
public class GoldenCases implements MappingVerifier {

    public static final String FOLDER = "tests";

    private final FormatRegistry formats;
    private final CanonicalOrderValidator validator;
    private final ObjectMapper json;
    private final Path corpus;

    public GoldenCases(FormatRegistry formats, CanonicalOrderValidator validator, ObjectMapper json,
                       MappingFiles mappings, GoldenCaseProperties properties) {
        this.formats = formats;
        this.validator = validator;
        this.json = json;
        this.corpus = Path.of(properties.corpusDir());
        mappings.verifyChangesWith(this);
    }

    /** One golden case: its format, name and files. */
    public record Case(String format, String name, Path expected, Path folder) {
        @Override
        public String toString() {
            return format + "/" + name;
        }
    }

    /** Every case under the mappings directory's tests folder (none when mappings come from the classpath). */
    public List<Case> cases(MappingFiles files) {
        Optional<Path> dir = files.directory().map(d -> d.resolve(FOLDER));
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return List.of();
        }
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> folders = Files.list(dir.get())) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> list = Files.list(folder)) {
                    for (Path expected : list.filter(p -> p.toString().endsWith(".expected.json")).sorted().toList()) {
                        cases.add(new Case(folder.getFileName().toString(),
                                expected.getFileName().toString().replace(".expected.json", ""), expected, folder));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /**
     * Runs one case with the given mappings; empty when it passes, otherwise what differs. A case
     * whose corpus input is not present passes (it cannot be checked here).
     */
    public Optional<String> check(Case c, MappingFiles files) {
        try {
            byte[] input = input(c);
            if (input == null) {
                return Optional.empty();
            }
            Optional<DocumentFormat> reader = formats.find(c.format());
            if (reader.isEmpty()) {
                return Optional.of("no format '" + c.format() + "'");
            }
            String recognised = formats.resolve(null, input, null).id();
            if (!recognised.equals(c.format())) {
                return Optional.of("the content is recognised as " + recognised + ", not " + c.format());
            }
            FormatResult result = reader.get().read(input, new MappingContext(null, files));
            return compare(json.readTree(c.expected().toFile()), result, files);
        } catch (IOException e) {
            return Optional.of("cannot read the case: " + e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of("mapping failed: " + e.getMessage());
        }
    }

    /** Whether the input of a case is present (corpus cases need the corpus folder). */
    public boolean runnable(Case c) {
        try {
            return input(c) != null;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<String> verify(String changedFile, MappingFiles candidate) {
        List<String> failures = new ArrayList<>();
        if (changedFile.startsWith("templates/")) {
            // mail templates (docs/notifications.md) take no part in mapping orders: no case can fail by them
            return failures;
        }
        if (changedFile.equals(ChannelRegistry.FILE)) {
            try {
                ChannelRegistry.parse(candidate.read(changedFile));
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        for (Case c : cases(candidate)) {
            check(c, candidate).ifPresent(problem -> failures.add(c + ": " + problem));
        }
        return failures;
    }

    private Optional<String> compare(JsonNode expected, FormatResult result, MappingFiles files) throws IOException {
        if (expected.isObject() && expected.has("documentErrors")) {
            if (!result.orders().isEmpty()) {
                return Optional.of("expected the document to be refused, but it gave " + result.orders().size() + " orders");
            }
            return missing(expected.get("documentErrors"), result.documentErrors());
        }
        if (!result.documentErrors().isEmpty()) {
            return Optional.of("document errors " + result.documentErrors());
        }
        if (expected.size() != result.orders().size()) {
            return Optional.of("expected " + expected.size() + " orders, got " + result.orders().size());
        }
        for (int i = 0; i < expected.size(); i++) {
            MappedOrder mapped = result.orders().get(i);
            JsonNode want = expected.get(i);
            String which = "order " + (i + 1) + ": ";
            if (want.has("errors") && want.size() == 1) {
                List<FieldError> all = new ArrayList<>(mapped.errors());
                if (mapped.order() != null && !byReference(mapped.order())) {
                    all.addAll(validator.validate(mapped.order(), files));
                }
                Optional<String> miss = missing(want.get("errors"), all);
                if (miss.isPresent()) {
                    return Optional.of(which + miss.get());
                }
                continue;
            }
            if (!mapped.errors().isEmpty()) {
                return Optional.of(which + "mapping errors " + mapped.errors());
            }
            String wanted = pretty(normalize(want));
            String got = pretty(normalize(mapped.order()));
            if (!wanted.equals(got)) {
                return Optional.of(which + "differs from the expected order\n--- expected\n" + wanted + "\n--- mapped\n" + got);
            }
            List<FieldError> invalid = byReference(mapped.order()) ? List.of() : validator.validate(mapped.order(), files);
            if (!invalid.isEmpty()) {
                return Optional.of(which + "does not pass validation: " + invalid);
            }
        }
        return Optional.empty();
    }

    /**
     * A cancellation, copy or line change names an order the hub has; the intake does not validate it as a whole
     * order (a change is validated once merged with the stored order), so neither does its golden case.
     */
    private static boolean byReference(JsonNode order) {
        String purpose = order.path("purpose").asText("");
        return purpose.equals("CANCEL") || purpose.equals("DUPLICATE") || purpose.equals("CHANGE");
    }

    private static Optional<String> missing(JsonNode wanted, List<FieldError> actual) {
        for (JsonNode w : wanted) {
            String field = w.path("field").asText();
            String message = w.path("message").asText();
            if (actual.stream().noneMatch(e -> e.field().equals(field) && e.message().contains(message))) {
                return Optional.of("no error at " + field + " saying '" + message + "' among " + actual);
            }
        }
        return Optional.empty();
    }

    private byte[] input(Case c) throws IOException {
        Path pointer = c.folder().resolve(c.name() + ".corpus");
        if (Files.exists(pointer)) {
            Path source = corpus.resolve(Files.readString(pointer).trim());
            return Files.exists(source) ? Files.readAllBytes(source) : null;
        }
        try (Stream<Path> files = Files.list(c.folder())) {
            Path in = files.filter(p -> {
                String f = p.getFileName().toString();
                return f.startsWith(c.name() + ".") && !f.endsWith(".expected.json") && !f.endsWith(".md");
            }).findFirst().orElseThrow(() -> new IOException("no input document for case " + c));
            return Files.readAllBytes(in);
        }
    }

    /** Numbers compared by value (19.00 equals 19), key order ignored. */
    static JsonNode normalize(JsonNode node) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(n -> out.set(n, normalize(node.get(n))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(normalize(n)));
            return out;
        }
        if (node.isNumber()) {
            BigDecimal d = node.decimalValue().stripTrailingZeros();
            return DecimalNode.valueOf(d.scale() < 0 ? d.setScale(0) : d);
        }
        return node;
    }

    private String pretty(JsonNode node) throws JsonProcessingException {
        return json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node);
    }
}
