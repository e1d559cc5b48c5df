package io.orderhub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cipher's envelope, the key ring's rules and the embedded default's generated key ring. */
class DataCipherTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void valuesCarryTheirKeyAndOlderKeysStillDecrypt() {
        byte[] k1 = key();
        byte[] k2 = key();
        byte[] hmac = key();
        DataCipher before = new DataCipher(new KeyRing(Map.of("k1", k1), "k1", hmac));
        DataCipher after = new DataCipher(new KeyRing(Map.of("k1", k1, "k2", k2), "k2", hmac));

        byte[] body = "{\"email\":\"jo@example.org\"}".getBytes(StandardCharsets.UTF_8);
        byte[] old = before.seal(body);
        assertThat(DataCipher.keyIdOf(old)).isEqualTo("k1");
        assertThat(new String(old, StandardCharsets.ISO_8859_1)).doesNotContain("jo@example.org");
        assertThat(after.open(old)).isEqualTo(body);
        assertThat(after.current(old)).isFalse();
        byte[] rotated = after.seal(after.open(old));
        assertThat(DataCipher.keyIdOf(rotated)).isEqualTo("k2");
        assertThat(after.current(rotated)).isTrue();
        assertThat(after.open(rotated)).isEqualTo(body);

        String text = before.sealText("Heidestraße 17");
        assertThat(text).startsWith("ohe1:k1:").doesNotContain("Heide");
        assertThat(after.openText(text)).isEqualTo("Heidestraße 17");
        assertThat(DataCipher.keyIdOf(after.sealText("x"))).isEqualTo("k2");
        // two encryptions of one value differ (random nonce)
        assertThat(after.sealText("same")).isNotEqualTo(after.sealText("same"));
        // the ring without k2 names the missing key
        assertThatThrownBy(() -> before.openText(after.sealText("x"))).hasMessageContaining("'k2'");
    }

    @Test
    void clearLegacyValuesAreReadAsTheyAreAndNullStaysNull() {
        DataCipher cipher = new DataCipher(new KeyRing(Map.of("a", key()), "a", key()));
        assertThat(cipher.open("{\"clear\":1}".getBytes(StandardCharsets.UTF_8))).asString().isEqualTo("{\"clear\":1}");
        assertThat(cipher.open(new byte[0])).isEmpty();
        assertThat(cipher.openText("{\"clear\":1}")).isEqualTo("{\"clear\":1}");
        assertThat(cipher.seal(null)).isNull();
        assertThat(cipher.sealText(null)).isNull();
        assertThat(cipher.current("clear")).isFalse();
        assertThat(cipher.current(new byte[0])).isTrue();
    }

    @Test
    void aChangedCiphertextFailsItsIntegrityCheck() {
        DataCipher cipher = new DataCipher(new KeyRing(Map.of("a", key()), "a", key()));
        byte[] sealed = cipher.seal("order".getBytes(StandardCharsets.UTF_8));
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.open(sealed)).hasMessageContaining("integrity");
    }

    @Test
    void searchHashesIgnoreCaseAndSpacesAndNeedTheKey() {
        byte[] hmac = key();
        DataCipher one = new DataCipher(new KeyRing(Map.of("a", key()), "a", hmac));
        DataCipher sameHmac = new DataCipher(new KeyRing(Map.of("b", key()), "b", hmac));
        DataCipher other = new DataCipher(new KeyRing(Map.of("a", key()), "a", key()));
        assertThat(one.searchHash(" Jo@Example.org ")).isEqualTo(one.searchHash("jo@example.org"))
                .isEqualTo(sameHmac.searchHash("jo@example.org")).hasSize(64).doesNotContain("example");
        assertThat(other.searchHash("jo@example.org")).isNotEqualTo(one.searchHash("jo@example.org"));
        assertThat(one.searchHash(null)).isNull();
    }

    @Test
    void theKeyRingRefusesBadKeysAndAMissingActiveKey() {
        assertThatThrownBy(() -> new KeyRing(Map.of("k1", new byte[10]), "k1", key())).hasMessageContaining("16, 24 or 32");
        assertThatThrownBy(() -> new KeyRing(Map.of("k1", key()), "k9", key())).hasMessageContaining("'k9'");
        assertThatThrownBy(() -> new KeyRing(Map.of("k 1", key()), "k 1", key())).hasMessageContaining("key id");
        assertThatThrownBy(() -> new KeyRing(Map.of("k1", key()), "k1", new byte[8])).hasMessageContaining("hmac");
    }

    @Test
    void theEmbeddedDefaultCreatesAKeyRingOnceAndProdRefusesToStartWithout() throws Exception {
        CryptoConfig config = new CryptoConfig();
        KeyRing first = config.keyRing("", "", true, dir.toString());
        Path file = dir.resolve("keyring.properties");
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
        KeyRing again = config.keyRing("", "", true, dir.toString());
        DataCipher a = new DataCipher(first);
        assertThat(new DataCipher(again).openText(a.sealText("kept"))).isEqualTo("kept");

        assertThatThrownBy(() -> config.keyRing("", "", false, dir.resolve("other").toString()))
                .hasMessageContaining("ORDERHUB_CRYPTO_KEYRING_FILE");
        assertThatThrownBy(() -> config.keyRing(dir.resolve("missing").toString(), "", false, dir.toString()))
                .hasMessageContaining("is not a file");
        // the file names the key ring; ORDERHUB_CRYPTO_ACTIVE_KEY picks the active key among its keys
        Files.writeString(file, Files.readString(file) + "key.k2=" + java.util.Base64.getEncoder().encodeToString(key()) + "\n");
        assertThat(config.keyRing(file.toString(), "k2", false, dir.toString()).activeId()).isEqualTo("k2");
        assertThat(config.keyRing(file.toString(), "", false, dir.toString()).activeId()).isEqualTo("k1");
    }

    private static byte[] key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }
}
