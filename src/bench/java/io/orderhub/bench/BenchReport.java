package io.orderhub.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a JMH JSON result of {@link FormatBenchmark} into the benchmark report: a markdown table and a
 * JSON summary with, per format and document size, the median documents/s of the hub path and of the
 * baseline parse and their ratio, plus the machine (CPU model from /proc/cpuinfo, nproc, load average
 * at the start), the JDK and the exact command.
 *
 * <p>Usage: {@code BenchReport <report base name> <nproc> <load average> <command> <jmh-result.json>...}: the
 * JMH results (one file per format and size, see bench/formats.sh) are merged into
 * {@code <base>.jmh.json}; the report is {@code <base>.md} and {@code <base>.json}.
 */
public final class BenchReport {

    private BenchReport() {
    }

    record Row(String format, int lines, Double hub, Double hubError, Double baseline, Double baselineError) {

        Double ratio() {
            return hub == null || baseline == null || baseline == 0 ? null : hub / baseline;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            throw new IllegalArgumentException(
                    "usage: BenchReport <report base name> <nproc> <load average> <command> <jmh-result.json>...");
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String base = args[0];
        String nproc = args[1].trim();
        String load = args[2].trim();
        String command = args[3];
        ArrayNode results = json.createArrayNode();
        for (String file : List.of(args).subList(4, args.length)) {
            JsonNode part = json.readTree(Path.of(file).toFile());
            if (part != null && part.isArray()) {
                results.addAll((ArrayNode) part);
            }
        }
        json.writeValue(Path.of(base + ".jmh.json").toFile(), results);
        List<Row> rows = rows(results);
        String cpu = cpuModel();
        JsonNode first = results.size() > 0 ? results.get(0) : json.createObjectNode();
        String jdk = first.path("jdkVersion").asText(System.getProperty("java.version")) + " ("
                + first.path("vmName").asText(System.getProperty("java.vm.name")) + " "
                + first.path("vmVersion").asText(System.getProperty("java.vm.version")) + ")";
        String settings = settings(first);
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Files.writeString(Path.of(base + ".md"), markdown(rows, at, cpu, nproc, load, jdk, settings, command), StandardCharsets.UTF_8);

        ObjectNode summary = json.createObjectNode();
        summary.put("measuredAt", at.toString());
        ObjectNode machine = summary.putObject("machine");
        machine.put("cpu", cpu);
        machine.put("nproc", nproc);
        machine.put("loadAverage", load);
        machine.put("jdk", jdk);
        summary.put("jmhSettings", settings);
        summary.put("command", command);
        summary.put("unit", "documents/s (JMH throughput, one benchmark thread), median of the measurement iterations");
        ArrayNode out = summary.putArray("results");
        for (Row r : rows) {
            ObjectNode o = out.addObject();
            o.put("format", r.format());
            o.put("lines", r.lines());
            putNumber(o, "hubDocsPerSecond", r.hub(), 1);
            putNumber(o, "hubError99", r.hubError(), 1);
            putNumber(o, "baselineDocsPerSecond", r.baseline(), 1);
            putNumber(o, "baselineError99", r.baselineError(), 1);
            putNumber(o, "ratioHubToBaseline", r.ratio(), 4);
        }
        json.writeValue(Path.of(base + ".json").toFile(), summary);
    }

    static List<Row> rows(JsonNode results) {
        Map<String, Map<String, double[]>> byCase = new TreeMap<>();
        Map<String, String[]> keys = new LinkedHashMap<>();
        for (JsonNode r : results) {
            String benchmark = r.path("benchmark").asText();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String format = r.path("params").path("format").asText();
            String lines = r.path("params").path("lines").asText();
            String key = OrderDocuments.FORMATS.indexOf(format) + "/" + String.format("%05d", Integer.parseInt(lines));
            keys.put(key, new String[] {format, lines});
            JsonNode metric = r.path("primaryMetric");
            double median = metric.path("scorePercentiles").path("50.0").asDouble(metric.path("score").asDouble());
            double error = metric.path("scoreError").asDouble(Double.NaN);
            byCase.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(method, new double[] {median, error});
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, double[]>> e : byCase.entrySet()) {
            String[] k = keys.get(e.getKey());
            double[] hub = e.getValue().get("hub");
            double[] base = e.getValue().get("baseline");
            rows.add(new Row(k[0], Integer.parseInt(k[1]),
                    hub == null ? null : hub[0], hub == null ? null : hub[1],
                    base == null ? null : base[0], base == null ? null : base[1]));
        }
        return rows;
    }

    static String markdown(List<Row> rows, Instant at, String cpu, String nproc, String load, String jdk, String settings,
                           String command) {
        StringBuilder s = new StringBuilder();
        s.append("# Format benchmark ").append(at).append("\n\n");
        s.append("Documents/s on one benchmark thread (JMH throughput, median of the measurement iterations; ±: JMH 99.9 % ")
                .append("error of the mean). **hub** = `format.read` with the packaged mappings + `CanonicalOrderValidator.validate` ")
                .append("of every mapped order; **baseline** = a plain parse of the same bytes in the same run (Jackson `readTree`, ")
                .append("a StAX pass over all events, a StAEDI pass over all events, commons-csv), measured right before the hub ")
                .append("path of the same format and size. ")
                .append("**ratio** = hub ÷ baseline (share of the plain parse speed the hub keeps); **× slower** = baseline ÷ hub.\n\n");
        s.append("| format | lines | hub docs/s | baseline docs/s | ratio | × slower |\n");
        s.append("|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            s.append("| ").append(r.format()).append(" | ").append(r.lines()).append(" | ")
                    .append(withError(r.hub(), r.hubError())).append(" | ")
                    .append(withError(r.baseline(), r.baselineError())).append(" | ")
                    .append(r.ratio() == null ? "–" : fixed(r.ratio(), 3)).append(" | ")
                    .append(r.ratio() == null || r.ratio() == 0 ? "–" : fixed(1 / r.ratio(), 1)).append(" |\n");
        }
        s.append("\nMachine: ").append(cpu).append(", nproc ").append(nproc).append(", load average (1/5/15 min) ").append(load)
                .append("\n\nJDK: ").append(jdk).append("\n\nJMH settings: ").append(settings)
                .append("\n\nCommand: `").append(command).append("`\n");
        return s.toString();
    }

    private static String settings(JsonNode first) {
        return "forks " + first.path("forks").asText("?") + ", threads " + first.path("threads").asText("?")
                + ", warm-up " + first.path("warmupIterations").asText("?") + " × " + first.path("warmupTime").asText("?")
                + ", measurement " + first.path("measurementIterations").asText("?") + " × "
                + first.path("measurementTime").asText("?");
    }

    private static String withError(Double value, Double error) {
        if (value == null) {
            return "–";
        }
        return error == null || error.isNaN() ? fixed(value, 0) : fixed(value, 0) + " ± " + fixed(error, 0);
    }

    private static String fixed(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    private static void putNumber(ObjectNode o, String name, Double value, int decimals) {
        if (value == null || value.isNaN()) {
            o.putNull(name);
        } else {
            o.put(name, BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP));
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch") + " (no /proc/cpuinfo)";
    }
}
