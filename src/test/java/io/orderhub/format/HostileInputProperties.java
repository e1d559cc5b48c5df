package io.orderhub.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.orderhub.common.OrderHubException;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrderValidator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Hostile input for every parser (issue 13, "Hostile input"): the golden documents of
 * {@code mappings/tests/} mutated (bytes flipped, cut, repeated, spliced with another format's document,
 * truncated) and random bytes, given to every format directly and through recognition. A format may answer
 * with a {@link FormatResult} (document errors) or refuse with an {@link OrderHubException} (415/422): anything
 * else — a NullPointerException, a StackOverflowError, an OutOfMemoryError, a parser's own exception
 * escaping — is a crash the intake would turn into a 500 or a poison message. Each read must end within
 * {@link #HANG}: a hang guard, not a timing assertion. Every mapped order also goes through the canonical
 * validator, which must not throw either.
 *
 * <p>The number of tries is bounded (400 per property) so that CI stays quick; a longer run, without shrinking:
 * {@code ./mvnw test -Dtest=HostileInputProperties -Dorderhub.fuzz.tries=50000} (see {@link #longRun}).
 */
class HostileInputProperties {

    /** Documents of each kind for {@link #longRun}: only with {@code -Dorderhub.fuzz.tries=N}. */
    static final int TRIES = Integer.getInteger("orderhub.fuzz.tries", 0);
    static final Duration HANG = Duration.ofSeconds(60);
    /** Lines of the large EDI interchanges; {@code -Dorderhub.fuzz.edi-lines=50000} for one at the 1 MB limit. */
    static final int EDI_LINES = Integer.getInteger("orderhub.fuzz.edi-lines", 2_000);

    static final java.util.concurrent.atomic.AtomicLong DOCUMENTS = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong READINGS = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong REFUSED = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong CRASHES = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong LARGEST_ALLOCATION = new java.util.concurrent.atomic.AtomicLong();

    private static AnnotationConfigApplicationContext context;
    private static FormatRegistry registry;
    private static MappingFiles mappings;
    private static CanonicalOrderValidator validator;
    private static List<byte[]> golden;

    static synchronized void init() {
        if (context != null) {
            return;
        }
        AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext();
        ctx.getEnvironment().getPropertySources().addFirst(new MapPropertySource("fuzz",
                Map.of("orderhub.mappings-dir", "mappings")));
        new ConfigDataApplicationContextInitializer().initialize(ctx); // application.yaml: the settings' defaults
        ctx.register(GoldenCasesTest.Formats.class);
        ctx.refresh();
        context = ctx;
        registry = ctx.getBean(FormatRegistry.class);
        mappings = ctx.getBean(MappingFiles.class);
        validator = ctx.getBean(CanonicalOrderValidator.class);
        golden = goldenInputs();
    }

    @AfterContainer
    static void close() throws IOException {
        Path out = Path.of("target", "reliability", "hostile-formats.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "| hostile documents for every parser | golden documents of mappings/tests mutated (flip, cut, "
                + "repeat, splice, truncate), random bytes behind each format's opening, JSON nested 10,000 deep, XML 10,000 "
                + "deep, billion laughs, XXE, documents at the 1 MB limit (jqwik, `HostileInputProperties`) | " + DOCUMENTS.get()
                + " documents, " + READINGS.get() + " readings by " + (registry == null ? "?" : registry.ids().size())
                + " formats | refused cleanly " + REFUSED.get() + ", crashes or hangs " + CRASHES.get() + ", most bytes allocated per input byte "
                + LARGEST_ALLOCATION.get() + " | " + (CRASHES.get() == 0 ? "pass" : "FAIL") + " |\n");
        if (context != null) {
            context.close();
            context = null;
        }
    }

    /** Every golden input document (not the expectations, notes or corpus pointers), and the README's examples. */
    static List<byte[]> goldenInputs() {
        List<byte[]> docs = new ArrayList<>();
        for (Path root : List.of(Path.of("mappings", "tests"), Path.of("examples"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".expected.json") || name.endsWith(".md") || name.endsWith(".corpus")
                            || name.endsWith(".sh") || Files.size(f) > 2_000_000) {
                        continue;
                    }
                    docs.add(Files.readAllBytes(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return docs;
    }

    // --- properties ---

    @Property(tries = 400, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void mutatedGoldenDocumentsAreReadOrRefusedCleanlyByEveryFormat(@ForAll("mutatedGolden") byte[] document) {
        everyFormatReadsOrRefuses(document);
    }

    @Property(tries = 400, shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void randomBytesAreReadOrRefusedCleanlyByEveryFormat(@ForAll("randomDocuments") byte[] document) {
        everyFormatReadsOrRefuses(document);
    }

    // --- targeted documents ---

    @net.jqwik.api.Example
    void jsonNestedTenThousandDeepIsRefusedByEveryJsonFormat() {
        byte[] objects = ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
        byte[] arrays = ("{\"line_items\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}").getBytes(StandardCharsets.UTF_8);
        for (byte[] doc : List.of(objects, arrays)) {
            everyFormatReadsOrRefuses(doc);
            for (String id : List.of("canonical", "shopify", "woocommerce")) {
                FormatResult r = readBounded(id, doc);
                assertThat(r.orders()).as(id).allSatisfy(o -> assertThat(o.errors()).isNotEmpty());
            }
        }
    }

    @net.jqwik.api.Example
    void xmlNestedTenThousandDeepIsRefusedOrReadWithinBounds() {
        byte[] doc = ("<?xml version=\"1.0\"?><Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\">"
                + "<a>".repeat(10_000) + "</a>".repeat(10_000) + "</Order>").getBytes(StandardCharsets.UTF_8);
        byte[] cxml = ("<?xml version=\"1.0\"?><cXML><Request><OrderRequest>" + "<x>".repeat(10_000) + "</x>".repeat(10_000)
                + "</OrderRequest></Request></cXML>").getBytes(StandardCharsets.UTF_8);
        everyFormatReadsOrRefuses(doc);
        everyFormatReadsOrRefuses(cxml);
        // read (the depth is no problem for a streaming parser) but no order: every candidate carries its errors
        assertThat(readBounded("ubl", doc).orders()).allSatisfy(o -> assertThat(o.errors()).isNotEmpty());
        assertThat(readBounded("cxml", cxml).orders()).allSatisfy(o -> assertThat(o.errors()).isNotEmpty());
    }

    @net.jqwik.api.Example
    void billionLaughsAndExternalEntitiesAreRefusedByEveryXmlFormat() {
        String laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
                + "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
                + "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
                + "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
                + "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
                + "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>";
        String xxe = "<!DOCTYPE o [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
        for (String dtd : List.of(laughs, xxe)) {
            for (String body : List.of("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"><cbc:ID xmlns:cbc="
                    + "\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">&lol9;&xxe;</cbc:ID></Order>",
                    "<cXML><Request><OrderRequest><OrderRequestHeader orderID=\"&lol9;&xxe;\"/></OrderRequest></Request></cXML>")) {
                byte[] doc = ("<?xml version=\"1.0\"?>" + dtd + body).getBytes(StandardCharsets.UTF_8);
                everyFormatReadsOrRefuses(doc);
                for (String id : List.of("ubl", "cxml")) {
                    FormatResult r = readBounded(id, doc);
                    assertThat(r.orders()).as(id).isEmpty();
                    assertThat(r.documentErrors()).as(id).isNotEmpty();
                    assertThat(r.toString()).doesNotContain("root:x:0:0").doesNotContain("lollollol");
                }
            }
        }
    }

    @net.jqwik.api.Example
    void oversizedDocumentsAreReadWithinBoundedMemory() {
        init();
        // documents at the hub's size limit (1 MB: orderhub.api.max-body-bytes, orderhub.mail.max-attachment-bytes):
        // 50,000 CSV lines, a 1 MB JSON string; EDI with 2,000 lines (the XSLT mappings take about a millisecond per
        // segment on this machine, so a 1 MB interchange of 50,000 lines takes a minute: see docs/reliability.md)
        String csvHead = new String(golden("mappings/tests/csv/two-orders.csv"), StandardCharsets.UTF_8).lines().findFirst()
                .orElseThrow();
        StringBuilder csv = new StringBuilder(csvHead).append('\n');
        for (int i = 0; i < 50_000; i++) {
            csv.append("x,".repeat(Math.max(0, csvHead.split(",").length - 1))).append("x\n");
        }
        byte[] x12 = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260101*1200*U*00401*000000001*0*P*>~"
                + "GS*PO*S*R*20260101*1200*1*X*004010~ST*850*0001~BEG*00*SA*PO1**20260101~"
                + "PO1*1*1*EA*1**VP*SKU~".repeat(EDI_LINES) + "SE*3*0001~GE*1*1~IEA*1*000000001~").getBytes(StandardCharsets.UTF_8);
        byte[] edifact = ("UNA:+.? 'UNB+UNOC:3+S+R+260101:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'"
                + "LIN+1++SKU:SA'QTY+21:1'".repeat(EDI_LINES) + "UNT+3+1'UNZ+1+1'").getBytes(StandardCharsets.UTF_8);
        byte[] bigString = ("{\"externalId\":\"" + "x".repeat(1_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (byte[] doc : List.of(csv.toString().getBytes(StandardCharsets.UTF_8), x12, edifact, bigString)) {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                    .getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (String id : registry.ids()) {
                try {
                    registry.find(id).orElseThrow().read(doc, new MappingContext(null, mappings));
                } catch (OrderHubException refused) {
                    // a clean refusal
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // every format read it (8 readings); a format that copied the document a hundred times would exceed this
            LARGEST_ALLOCATION.accumulateAndGet(allocated / Math.max(1, doc.length), Math::max);
            assertThat(allocated).as("bytes allocated reading a " + doc.length + " byte document with every format")
                    .isLessThan(8L * 400 * doc.length + 512L * 1024 * 1024);
        }
    }

    static byte[] golden(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FormatResult readBounded(String id, byte[] doc) {
        init();
        FormatResult[] out = new FormatResult[1];
        readOrRefuse(id, () -> out[0] = registry.find(id).orElseThrow().read(doc, new MappingContext(null, mappings)));
        // null: refused with an OrderHubException (which readOrRefuse checked), as good as document errors
        return out[0] == null ? FormatResult.rejected(List.of(io.orderhub.common.FieldError.of("", "refused"))) : out[0];
    }

    /** The same checks for many more documents, when asked for (not in CI). */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "orderhub.fuzz.tries", matches = "[0-9]+")
    void longRun() {
        HostileInputProperties generators = new HostileInputProperties();
        generators.mutatedGolden().sampleStream().limit(TRIES).forEach(HostileInputProperties::everyFormatReadsOrRefuses);
        generators.randomDocuments().sampleStream().limit(TRIES).forEach(HostileInputProperties::everyFormatReadsOrRefuses);
    }

    // --- generators ---

    @Provide
    Arbitrary<byte[]> mutatedGolden() {
        init();
        Arbitrary<byte[]> base = Arbitraries.of(golden);
        Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(base, mutations, Arbitraries.of(golden))
                .as((doc, ms, other) -> {
                    byte[] d = doc;
                    for (Mutation m : ms) {
                        d = m.apply(d, other);
                    }
                    return d;
                });
    }

    @Provide
    Arbitrary<byte[]> randomDocuments() {
        init();
        // plain noise, and noise behind each format's opening characters so that recognition picks the format
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
        Arbitrary<String> prefix = Arbitraries.of("", "{", "{\"externalId\":", "[", "<?xml version=\"1.0\"?>",
                "<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\">", "<cXML><Request><OrderRequest>",
                "ISA*00*          *00*          *ZZ*", "UNA:+.? 'UNB+UNOC:3+", "UNB+UNOA:2+", "order_id,sku,quantity\n",
                "Name,Email,Lineitem sku,Lineitem quantity\n", "{\"line_items\":[", "{\"id\":1,\"line_items\":[{");
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("\n\r\t*~'+:<>\"{}[],\u00e9\u0000")
                .ofMaxLength(2048);
        return Arbitraries.oneOf(noise,
                Combinators.combine(prefix, noise).as((p, n) -> concat(p.getBytes(StandardCharsets.UTF_8), n)),
                Combinators.combine(prefix, text).as((p, t) -> (p + t).getBytes(StandardCharsets.UTF_8)));
    }

    /** One change to a document; {@code other} is another golden document to splice from. */
    interface Mutation {
        byte[] apply(byte[] doc, byte[] other);
    }

    static Arbitrary<Mutation> mutation() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Integer> len = Arbitraries.integers().between(1, 64);
        Arbitrary<Byte> b = Arbitraries.bytes().edgeCases(e -> e.add((byte) 0, (byte) '<', (byte) '"', (byte) '~',
                (byte) '\'', (byte) '*', (byte) '&', (byte) 0xFF));
        return Arbitraries.oneOf(
                Combinators.combine(at, b).as((p, v) -> (d, o) -> {
                    byte[] c = d.clone();
                    if (c.length > 0) {
                        c[pos(p, c.length)] = v;
                    }
                    return c;
                }),
                Combinators.combine(at, len).as((p, l) -> (d, o) -> {
                    int from = pos(p, d.length);
                    int to = Math.min(d.length, from + l);
                    return concat(Arrays.copyOfRange(d, 0, from), Arrays.copyOfRange(d, to, d.length));
                }),
                Combinators.combine(at, len, Arbitraries.integers().between(2, 50)).as((p, l, times) -> (d, o) -> {
                    int from = pos(p, d.length);
                    byte[] piece = Arrays.copyOfRange(d, from, Math.min(d.length, from + l));
                    byte[] out = Arrays.copyOfRange(d, 0, from);
                    for (int i = 0; i < times; i++) {
                        out = concat(out, piece);
                    }
                    return concat(out, Arrays.copyOfRange(d, from, d.length));
                }),
                at.map(p -> (d, o) -> Arrays.copyOfRange(d, 0, pos(p, d.length))),
                Combinators.combine(at, at, len).as((p, q, l) -> (d, o) -> {
                    int from = pos(p, d.length);
                    int src = pos(q, o.length);
                    return concat(concat(Arrays.copyOfRange(d, 0, from),
                            Arrays.copyOfRange(o, src, Math.min(o.length, src + l * 8))), Arrays.copyOfRange(d, from, d.length));
                }),
                Combinators.combine(at, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(32)).as((p, r) -> (d, o) -> {
                    int from = pos(p, d.length);
                    return concat(concat(Arrays.copyOfRange(d, 0, from), r), Arrays.copyOfRange(d, from, d.length));
                }));
    }

    private static int pos(double p, int length) {
        return length == 0 ? 0 : Math.min(length - 1, (int) (p * length));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    // --- the check ---

    /** Every format reads the document or refuses it cleanly; so does recognition followed by the recognised format. */
    static void everyFormatReadsOrRefuses(byte[] document) {
        init();
        DOCUMENTS.incrementAndGet();
        for (String id : registry.ids()) {
            readOrRefuse(id, () -> registry.find(id).orElseThrow().read(document, new MappingContext(null, mappings)));
        }
        for (String contentType : new String[] {null, "application/json", "application/xml", "text/csv", "application/edi-x12",
                "application/edifact"}) {
            readOrRefuse("recognised (" + contentType + ")", () -> registry.resolve(null, document, contentType)
                    .read(document, new MappingContext(null, mappings)));
        }
    }

    static void readOrRefuse(String what, java.util.function.Supplier<FormatResult> read) {
        READINGS.incrementAndGet();
        try {
            readOrRefuseInTime(what, read);
        } catch (RuntimeException | Error e) {
            CRASHES.incrementAndGet();
            throw e;
        }
    }

    private static void readOrRefuseInTime(String what, java.util.function.Supplier<FormatResult> read) {
        assertTimeoutPreemptively(HANG, () -> {
            try {
                FormatResult result = read.get();
                assertThat(result).as(what).isNotNull();
                for (MappedOrder m : result.orders()) {
                    if (m.order() != null) {
                        validator.validate(m.order());
                    }
                }
            } catch (OrderHubException refused) {
                REFUSED.incrementAndGet();
                assertThat(refused.getMessage()).as(what + ": a refusal names the problem").isNotBlank();
            }
        }, () -> what + " did not end within " + HANG);
    }
}
