package io.orderhub.crypto;

import java.nio.file.Files;
import java.nio.file.Path;

import io.orderhub.common.HubProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The key ring and the cipher. {@code orderhub.crypto.keyring-file} ({@code ORDERHUB_CRYPTO_KEYRING_FILE}) names the
 * key ring; unset, {@code orderhub.crypto.generate} (true in the embedded default, false in {@code prod}) creates
 * {@code <data dir>/keyring.properties} on first start and uses it afterwards, or refuses the start.
 */
@Configuration(proxyBeanMethods = false)
public class CryptoConfig {

    private static final Logger log = LoggerFactory.getLogger(CryptoConfig.class);

    @Bean("keyRing")
    public KeyRing hubKeyRing(CryptoProperties crypto, HubProperties hub) {
        return keyRing(crypto.keyringFile(), crypto.activeKey(), crypto.generate(), hub.dataDir());
    }

    /** The key ring of the file, else the generated one under the data directory, else a refused start. */
    KeyRing keyRing(String file, String activeKey, boolean generate, String dataDir) {
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("ORDERHUB_CRYPTO_KEYRING_FILE=" + file + " is not a file");
            }
            return KeyRing.load(path, activeKey);
        }
        if (!generate) {
            throw new IllegalStateException("no key ring: set ORDERHUB_CRYPTO_KEYRING_FILE (README \"Security\", keys); "
                    + "documents and personal data are stored encrypted");
        }
        Path path = Path.of(dataDir, "keyring.properties");
        synchronized (CryptoConfig.class) {
            if (!Files.exists(path)) {
                KeyRing.create(path, "k1");
                log.warn("created the key ring {}: back it up apart from the database, without it nothing stored can be read",
                        path.toAbsolutePath());
            }
        }
        return KeyRing.load(path, activeKey);
    }

    @Bean
    public DataCipher dataCipher(KeyRing keyRing) {
        return new DataCipher(keyRing);
    }
}
