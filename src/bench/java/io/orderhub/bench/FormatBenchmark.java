package io.orderhub.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orderhub.common.FieldError;
import io.orderhub.format.CanonicalJsonFormat;
import io.orderhub.format.DocumentFormat;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;
import io.orderhub.format.csv.CsvFormat;
import io.orderhub.format.edi.EdifactOrdersFormat;
import io.orderhub.format.edi.X12OrderFormat;
import io.orderhub.format.json.ShopifyFormat;
import io.orderhub.format.json.WooCommerceFormat;
import io.orderhub.format.xml.CxmlOrderRequestFormat;
import io.orderhub.format.xml.UblOrderFormat;
import io.orderhub.format.xml.XsltOrderMapper;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrderValidator;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamReader;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Documents per second of each format, for documents of 1, 10 and 100 lines:
 * <ul>
 * <li>{@link #hub}: what the hub does with a document it received, {@code format.read} with the
 * packaged mappings plus {@link CanonicalOrderValidator#validate} of every mapped order;</li>
 * <li>{@link #baseline}: a plain parse of the same bytes in the same run (Jackson {@code readTree} for
 * JSON, a StAX pass over all events for XML, a StAEDI pass over all events for EDI, commons-csv for
 * CSV), the floor any implementation pays.</li>
 * </ul>
 * The formats and the mapping files are set up once per trial. The setup maps the document once and
 * fails unless it yields one valid order with all its lines, so the accepting path is measured; that
 * first read compiles the mappings (JSONata expressions, XSLT stylesheets, CSV column mapping, JSON
 * schema) into {@link MappingFiles#cached}, and the setup then checks that they are not compiled again,
 * so the measured loop never compiles a mapping.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FormatBenchmark {

    @Param({"canonical", "shopify", "woocommerce", "csv", "ubl", "cxml", "x12-850", "edifact-orders"})
    public String format;

    @Param({"1", "10", "100"})
    public int lines;

    private byte[] document;
    private DocumentFormat reader;
    private MappingContext context;
    private CanonicalOrderValidator validator;
    private ObjectMapper json;
    private XMLInputFactory xml;
    private EDIInputFactory edi;
    private CSVFormat csv;

    @Setup(Level.Trial)
    public void setUp() {
        json = objectMapper();
        MappingFiles mappings = new MappingFiles("");
        context = new MappingContext(null, mappings);
        validator = new CanonicalOrderValidator(mappings, json, 1000);
        reader = format(format, json, mappings);
        document = OrderDocuments.document(format, lines);
        xml = XMLInputFactory.newFactory();
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        edi = EDIInputFactory.newFactory();
        csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        check();
        compiledOnce(mappings);
    }

    /** The hub's path: map the document with its format, validate every order. */
    @Benchmark
    public void hub(Blackhole bh) {
        FormatResult result = reader.read(document, context);
        for (MappedOrder order : result.orders()) {
            bh.consume(validator.validate(order.order()));
        }
        bh.consume(result);
    }

    /** The plain parse of the same bytes with the library the format builds on. */
    @Benchmark
    public void baseline(Blackhole bh) throws Exception {
        switch (format) {
            case "canonical", "shopify", "woocommerce" -> bh.consume(json.readTree(document));
            case "ubl", "cxml" -> stax(bh);
            case "x12-850", "edifact-orders" -> staedi(bh);
            case "csv" -> csv(bh);
            default -> throw new IllegalStateException("no baseline for " + format);
        }
    }

    private void stax(Blackhole bh) throws XMLStreamException {
        XMLStreamReader in = xml.createXMLStreamReader(new ByteArrayInputStream(document));
        try {
            while (in.hasNext()) {
                int event = in.next();
                if (event == XMLStreamReader.CHARACTERS) {
                    bh.consume(in.getText());
                } else if (event == XMLStreamReader.START_ELEMENT) {
                    bh.consume(in.getLocalName());
                    for (int i = 0; i < in.getAttributeCount(); i++) {
                        bh.consume(in.getAttributeValue(i));
                    }
                }
            }
        } finally {
            in.close();
        }
    }

    private void staedi(Blackhole bh) throws EDIStreamException {
        try (EDIStreamReader in = edi.createEDIStreamReader(new ByteArrayInputStream(document))) {
            while (in.hasNext()) {
                if (in.next() == io.xlate.edi.stream.EDIStreamEvent.ELEMENT_DATA) {
                    bh.consume(in.getText());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void csv(Blackhole bh) throws IOException {
        try (CSVParser parser = csv.parse(new StringReader(new String(document, StandardCharsets.UTF_8)))) {
            for (CSVRecord row : parser) {
                for (String value : row) {
                    bh.consume(value);
                }
            }
        }
    }

    /** Fails the trial unless the generated document maps to exactly one order that passes validation. */
    private void check() {
        FormatResult result = reader.read(document, context);
        List<String> problems = new ArrayList<>();
        result.documentErrors().forEach(e -> problems.add("document: " + e));
        if (result.orders().size() != 1) {
            problems.add(result.orders().size() + " orders instead of 1");
        }
        for (MappedOrder order : result.orders()) {
            order.errors().forEach(e -> problems.add("mapping: " + e));
            if (order.order() != null) {
                List<FieldError> invalid = validator.validate(order.order());
                invalid.forEach(e -> problems.add("validation: " + e));
                int mapped = order.order().path("lines").size();
                if (mapped != lines) {
                    problems.add(mapped + " lines instead of " + lines);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("generated " + format + " document with " + lines + " lines is not accepted: "
                    + problems + "\n" + new String(document, StandardCharsets.UTF_8));
        }
    }

    /**
     * Fails the trial if the mapping files the format and the validator used are not cached after the
     * first document: asking for them again with a parser that refuses to run must return the compiled
     * form, so the measured loop never compiles a mapping.
     */
    private void compiledOnce(MappingFiles mappings) {
        List<String> files = new ArrayList<>(List.of(CanonicalOrderValidator.SCHEMA_FILE));
        String mapping = MAPPING_FILES.get(format);
        if (mapping != null) {
            files.add(mapping);
        }
        for (String file : files) {
            mappings.cached(file, bytes -> {
                throw new IllegalStateException(file + " would be compiled again for the next " + format + " document");
            });
        }
    }

    /** The default mapping file of each format that has one (canonical JSON has none). */
    static final Map<String, String> MAPPING_FILES = Map.of(
            "shopify", "shopify/order.jsonata",
            "woocommerce", "woocommerce/order.jsonata",
            "csv", "csv/default.yaml",
            "ubl", "ubl/order.xsl",
            "cxml", "cxml/order-request.xsl",
            "x12-850", "x12-850/order.xsl",
            "edifact-orders", "edifact-orders/order.xsl");

    /** The hub's JSON settings (io.orderhub.config.CoreConfig): exact decimals in and out. */
    static ObjectMapper objectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        mapper.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        return mapper;
    }

    static DocumentFormat format(String id, ObjectMapper json, MappingFiles mappings) {
        DocumentFormat format = switch (id) {
            case "canonical" -> new CanonicalJsonFormat(json);
            case "shopify" -> new ShopifyFormat(json);
            case "woocommerce" -> new WooCommerceFormat(json);
            case "csv" -> new CsvFormat(mappings);
            case "ubl" -> new UblOrderFormat(new XsltOrderMapper(json));
            case "cxml" -> new CxmlOrderRequestFormat(new XsltOrderMapper(json));
            case "x12-850" -> new X12OrderFormat(Clock.systemUTC());
            case "edifact-orders" -> new EdifactOrdersFormat(Clock.systemUTC());
            default -> throw new IllegalArgumentException("unknown format " + id);
        };
        if (!format.id().equals(id)) {
            throw new IllegalStateException("format " + format.getClass().getSimpleName() + " has id " + format.id());
        }
        return format;
    }
}
