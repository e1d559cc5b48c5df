package io.orderhub.crypto;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Encryption at rest ({@code orderhub.crypto.*}); defaults in {@code application.yaml}.
 *
 * @param keyringFile     the key ring file; blank: {@code <data dir>/keyring.properties}, created when {@code generate}
 * @param activeKey       the key new values are encrypted with (overrides the file's {@code active})
 * @param generate        a missing key ring is created on first start (false in prod: the start is refused)
 * @param rotateBatchSize rows re-encrypted per transaction by a rotation
 */
@ConfigurationProperties("orderhub.crypto")
public record CryptoProperties(String keyringFile, String activeKey, boolean generate, int rotateBatchSize) {
}
