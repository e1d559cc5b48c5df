package io.orderhub.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.orderhub.sync.SyncTargetsServer;

/**
 * The test profile's token issuer (orderhub.security.jwt: https://idp.orderhub.test, audience orderhub-api): one RSA
 * key for the whole JVM, its JWK set served by the suite's WireMock. One key, because the hub caches the JWK set and
 * fetches it again at most every 30 s: every test class that signs tokens signs them with this one.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://idp.orderhub.test";
    public static final String AUDIENCE = "orderhub-api";
    private static RSAKey key;

    private TestIssuer() {
    }

    /** The issuer's key, made and published (JWK set on WireMock) on first use. */
    public static synchronized RSAKey key() {
        if (key == null) {
            try {
                key = new RSAKeyGenerator(2048).keyID("orderhub-test-" + System.nanoTime()).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            SyncTargetsServer.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/idp/jwks.json"))
                    .atPriority(1).willReturn(aResponse().withHeader("Content-Type", "application/json")
                            .withBody(new JWKSet(key.toPublicJWK()).toString())));
        }
        return key;
    }

    /** A token of this issuer for the test profile's audience, for {@code subject}, valid five minutes. */
    public static String token(String subject, UnaryOperator<JWTClaimsSet.Builder> claims) {
        return token(key(), ISSUER, AUDIENCE, subject, Instant.now().plusSeconds(300), claims);
    }

    /** A token signed by {@code signer}, as an issuer, audience and expiry of the caller's choosing (wrong ones too). */
    public static String token(RSAKey signer, String issuer, String audience, String subject, Instant expires,
                               UnaryOperator<JWTClaimsSet.Builder> extra) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
                .issueTime(Date.from(expires.minusSeconds(900))).expirationTime(Date.from(expires));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
                extra.apply(claims).build());
        try {
            jwt.sign(new RSASSASigner(signer));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
