package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OAuth2 bearer tokens beside API keys: an RSA key made here, its JWK set served by WireMock as the
 * issuer's; a valid token gets in with the role and channel of its claims; a wrong issuer, audience,
 * an expired token or another key's signature is 401.
 */
class JwtBearerTest extends HubTestSupport {

    private static final String ISSUER = TestIssuer.ISSUER;
    private static final String AUDIENCE = TestIssuer.AUDIENCE;
    private static RSAKey key;

    @BeforeEach
    void issuerKeys() {
        key = TestIssuer.key();
    }

    @Test
    void aValidTokenGetsInWithTheRoleAndChannelOfItsClaims() throws Exception {
        String ops = token(key, ISSUER, AUDIENCE, Instant.now().plusSeconds(300), claims -> claims.claim("roles", List.of("OPS")));
        assertThat(call("GET", "/api/ops/audit?limit=1", ops, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/api/ops/routes/relayOutbox/stop", ops, "").statusCode()).as("OPS may not").isEqualTo(403);

        String admin = token(key, ISSUER, AUDIENCE, Instant.now().plusSeconds(300),
                claims -> claims.claim("roles", "orderhub:admin"));
        assertThat(call("POST", "/api/ops/routes/noSuchRoute/stop", admin, "").statusCode()).isEqualTo(404);

        String shop = token(key, ISSUER, AUDIENCE, Instant.now().plusSeconds(300),
                claims -> claims.claim("roles", List.of("CHANNEL")).claim("channel", "webshop"));
        HttpResponse<String> created = call("POST", "/api/orders", shop, json.writeValueAsString(order()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json.readTree(created.body()).get("channel").asText()).isEqualTo("webshop");
        assertThat(call("GET", "/api/ops/audit", shop, null).statusCode()).isEqualTo(403);
        String orderId = json.readTree(created.body()).get("orderId").asText();
        HttpResponse<String> cancelled = call("POST", "/api/orders/" + orderId + "/cancel", shop, "{\"reason\":\"token test\"}");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(get("/api/ops/audit?target=" + orderId, OPS_KEY).body().get(0).get("actor").asText())
                .isEqualTo("jwt:test-subject");
    }

    @Test
    void aWrongIssuerAudienceExpiryOrKeyIs401() throws Exception {
        String wrongIssuer = token(key, "https://evil.example", AUDIENCE, Instant.now().plusSeconds(300), opsRole());
        String wrongAudience = token(key, ISSUER, "another-api", Instant.now().plusSeconds(300), opsRole());
        String expired = token(key, ISSUER, AUDIENCE, Instant.now().minusSeconds(600), opsRole());
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
        String forged = token(stranger, ISSUER, AUDIENCE, Instant.now().plusSeconds(300), opsRole());
        String noRole = token(key, ISSUER, AUDIENCE, Instant.now().plusSeconds(300), claims -> claims);
        for (String bad : List.of(wrongIssuer, wrongAudience, expired, forged, noRole, "not.a.jwt")) {
            HttpResponse<String> r = call("GET", "/api/ops/audit?limit=1", bad, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(json.readTree(r.body()).at("/errors/0/field").asText()).isEqualTo("Authorization");
        }
    }

    private static java.util.function.UnaryOperator<JWTClaimsSet.Builder> opsRole() {
        return claims -> claims.claim("roles", List.of("OPS"));
    }

    private static String token(RSAKey signer, String issuer, String audience, Instant expires,
                                java.util.function.UnaryOperator<JWTClaimsSet.Builder> extra) {
        return TestIssuer.token(signer, issuer, audience, "test-subject", expires, extra);
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
