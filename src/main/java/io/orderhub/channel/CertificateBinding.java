package io.orderhub.channel;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

import javax.security.auth.x500.X500Principal;

/**
 * One entry of a channel's {@code clientCertificates} in {@code channels.yaml}: the TLS client certificate bound to the
 * channel, named either by its SHA-256 fingerprint (64 hex digits, colons and a {@code sha256:} prefix allowed, as
 * {@code openssl x509 -fingerprint -sha256} and {@code keytool -list -v} print it) or by its subject DN
 * ({@code CN=acme-edi,O=Acme,C=DE}, compared as X.500 names, so spacing and case of attribute names do not matter).
 * The certificate must also be trusted by the hub's TLS trust store ({@code server.ssl.trust-store}): the binding
 * says which channel a trusted certificate speaks for, it does not make a certificate trusted.
 */
public record CertificateBinding(String fingerprint, X500Principal subject) {

    /** The binding an entry names; throws naming the problem when it is neither a fingerprint nor a DN. */
    public static CertificateBinding parse(String entry) {
        if (entry == null || entry.isBlank()) {
            throw new IllegalArgumentException("is blank: name a SHA-256 fingerprint or a subject DN");
        }
        String e = entry.trim();
        String hex = e.toLowerCase(Locale.ROOT);
        if (hex.startsWith("sha256:") || hex.startsWith("sha-256:")) {
            hex = hex.substring(hex.indexOf(':') + 1);
        }
        hex = hex.replace(":", "");
        if (hex.matches("[0-9a-f]{64}")) {
            return new CertificateBinding(hex, null);
        }
        if (!e.contains("=")) {
            throw new IllegalArgumentException("'" + e + "' is neither a SHA-256 fingerprint (64 hex digits) nor a subject DN");
        }
        try {
            return new CertificateBinding(null, new X500Principal(e));
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("'" + e + "' is not a valid subject DN: " + bad.getMessage());
        }
    }

    /** True when the certificate is the one this binding names. */
    public boolean matches(X509Certificate certificate) {
        if (certificate == null) {
            return false;
        }
        if (subject != null) {
            return subject.equals(certificate.getSubjectX500Principal());
        }
        return MessageDigest.isEqual(HexFormat.of().parseHex(fingerprint), HexFormat.of().parseHex(fingerprintOf(certificate)));
    }

    /** The SHA-256 fingerprint of a certificate's DER encoding, lower-case hex without colons. */
    public static String fingerprintOf(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a client certificate: " + e.getMessage(), e);
        }
    }
}
