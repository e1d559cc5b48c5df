package io.orderhub.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.orderhub.crypto.DataCipher;
import io.orderhub.crypto.KeyRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What encryption at rest adds to each write and read of the ingest path (issue 24): sealing the raw document
 * ({@code receipts.body}) and the canonical order's JSON ({@code orders.document}), the e-mail's keyed hash, and
 * opening them again; the README example order, as bytes and as text. Run like the format benchmarks:
 * {@code ./mvnw -q -Pbench test-compile} then JMH with {@code io.orderhub.bench.EncryptionBenchmark}
 * on {@code target/bench/bench.classpath}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EncryptionBenchmark {

    private DataCipher cipher;
    private byte[] body;
    private String document;
    private byte[] sealedBody;
    private String sealedDocument;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        byte[] hmac = new byte[32];
        random.nextBytes(key);
        random.nextBytes(hmac);
        cipher = new DataCipher(new KeyRing(Map.of("k1", key), "k1", hmac));
        body = Files.readAllBytes(Path.of("examples", "order-canonical.json"));
        document = new String(body, StandardCharsets.UTF_8);
        sealedBody = cipher.seal(body);
        sealedDocument = cipher.sealText(document);
    }

    @Benchmark
    public byte[] sealReceiptBody() {
        return cipher.seal(body);
    }

    @Benchmark
    public String sealOrderDocument() {
        return cipher.sealText(document);
    }

    @Benchmark
    public String emailSearchHash() {
        return cipher.searchHash("erika@example.com");
    }

    @Benchmark
    public byte[] openReceiptBody() {
        return cipher.open(sealedBody);
    }

    @Benchmark
    public String openOrderDocument() {
        return cipher.openText(sealedDocument);
    }
}
