package io.orderhub.ingest.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.orderhub.channel.Channel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The decisions of {@link MailSenderAuth} and the reading of RFC 8601 headers, without a mail server. */
class MailSenderAuthTest {

    static final Channel B2B = channel("b2b", "authentication-results");
    static final Channel SHOP = channel("webshop", null);

    final MailSenderAuth auth = new MailSenderAuth(null, null, "none", " mx.hub.example , MX2.hub.example", true, false);
    final MailSenderAuth prod = new MailSenderAuth(null, null, "authentication-results", "mx.hub.example", false, false);

    static Channel channel(String id, String mailAuth) {
        return new Channel(id, id, null, null, List.of("*@" + id + ".example"), false, "stripe", List.of(), "en", null, null,
                null, mailAuth);
    }

    MailSenderAuth.Verdict b2b(String... headers) {
        return auth.check(B2B, List.of("buyer@b2b.example"), headers, null);
    }

    @Test
    void readsAuthservIdResultsAndPropertiesSkippingCommentsAndQuotes() {
        AuthenticationResults r = AuthenticationResults.parse("MX.Hub.Example 1 (the hub's MTA);\r\n"
                + "\tdkim=pass (2048-bit key; secure) header.d=b2b.example header.s=\"sel;1\";\r\n"
                + " spf = softfail smtp.mailfrom=bounce@b2b.example; dmarc=pass (p=REJECT sp=NONE) header.from=b2b.example");
        assertThat(r.authservId()).isEqualTo("mx.hub.example");
        assertThat(r.results()).extracting(AuthenticationResults.Result::method).containsExactly("dkim", "spf", "dmarc");
        assertThat(r.results().get(0).property("header.s")).isEqualTo("sel;1");
        assertThat(r.results().get(1).result()).isEqualTo("softfail");
        assertThat(AuthenticationResults.parse("mx.hub.example; none").results()).isEmpty();
        assertThat(AuthenticationResults.parse("").authservId()).isNull();
    }

    @Test
    void passesOnAnAlignedDmarcDkimOrSpfPassOfATrustedHost() {
        assertThat(b2b("mx.hub.example; dmarc=pass header.from=b2b.example").authenticated()).isTrue();
        assertThat(b2b("mx2.hub.example; dkim=pass header.d=b2b.example").authenticated()).isTrue();
        assertThat(b2b("mx.hub.example; dkim=pass header.i=@b2b.example").authenticated()).isTrue();
        assertThat(b2b("mx.hub.example; spf=pass smtp.mailfrom=bounce@b2b.example").authenticated()).isTrue();
        // relaxed alignment: a subdomain sender under the signing domain
        assertThat(auth.check(B2B, List.of("buyer@eu.b2b.example"), new String[] {"mx.hub.example; dkim=pass header.d=b2b.example"},
                null).authenticated()).isTrue();
    }

    @Test
    void failsWithoutATrustedHeaderOrAnAlignedPass() {
        assertThat(b2b().reason()).contains("no Authentication-Results header of a trusted mail server");
        assertThat(b2b("mx.evil.example; dmarc=pass header.from=b2b.example").reason()).contains("1 header of other hosts ignored");
        assertThat(b2b("mx.hub.example; dkim=pass header.d=evil.example; spf=pass smtp.mailfrom=evil.example").reason())
                .contains("reports dkim=pass, spf=pass, and none is a pass aligned to b2b.example");
        assertThat(b2b("mx.hub.example; dkim=pass header.d=example").authenticated()).as("no bare TLD-like domain").isFalse();
        assertThat(b2b("mx.hub.example; dkim=pass header.d=notb2b.example").authenticated()).isFalse();
        assertThat(b2b("mx.hub.example; dmarc=pass header.from=evil.example").authenticated()).isFalse();
        assertThat(b2b("mx.hub.example; dkim=neutral header.d=b2b.example; dmarc=temperror header.from=b2b.example")
                .authenticated()).isFalse();
        assertThat(b2b("mx.hub.example; dkim=fail header.d=b2b.example (dkim=pass)").authenticated()).isFalse();
        // the topmost trusted header decides: a forged "pass" below the MTA's own "fail" counts for nothing
        assertThat(b2b("mx.hub.example; dmarc=fail header.from=b2b.example",
                "mx.hub.example; dmarc=pass header.from=b2b.example").authenticated()).isFalse();
        assertThat(auth.check(B2B, List.of("a@b2b.example", "b@b2b.example"), new String[] {
                "mx.hub.example; dmarc=pass header.from=b2b.example"}, null).reason()).contains("2 From addresses");
    }

    @Property(tries = 200)
    void noUntrustedHostEverAuthenticates(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String host,
                                          @ForAll("results") String method) {
        String header = host + ".example; " + method + "=pass header.d=b2b.example header.from=b2b.example"
                + " smtp.mailfrom=b2b.example";
        assertThat(b2b(header).authenticated()).isEqualTo(false);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> results() {
        return net.jqwik.api.Arbitraries.of("dkim", "spf", "dmarc", "auth", "iprev");
    }

    @Test
    void theChannelModeOrTheDefaultDecidesAndNoneIsRefusedWhereNotAllowed() {
        assertThat(auth.check(SHOP, List.of("buyer@webshop.example"), null, null).authenticated()).isTrue();
        assertThat(prod.check(SHOP, List.of("buyer@webshop.example"), null, null).authenticated()).isFalse();
        assertThat(prod.check(channel("webshop", "none"), List.of("buyer@webshop.example"), null, null).reason())
                .contains("does not allow");
        assertThatThrownBy(() -> prod.checkAtStart(List.of(channel("webshop", "none"))))
                .hasMessageContaining("[webshop]").hasMessageContaining("ORDERHUB_MAIL_AUTH_ALLOW_NONE");
        prod.checkAtStart(List.of(B2B, SHOP)); // authentication-results by default in prod: starts
        auth.checkAtStart(List.of(channel("webshop", "none"))); // allowed (the embedded default): a warning only
        assertThatThrownBy(() -> new MailSenderAuth(null, null, "dmarc", "", true, false))
                .hasMessageContaining("default-mode");
    }

    // --- mailAuth: dkim, verified by the hub with jDKIM. No DNS here: the key records come from this test ---

    static final Channel B2B_DKIM = channel("b2b", "dkim");
    static final java.util.Map<String, java.security.KeyPair> KEYS = new java.util.HashMap<>();

    static java.security.KeyPair key(String domain) {
        return KEYS.computeIfAbsent(domain, d -> {
            try {
                java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The test's DNS: {@code sel1._domainkey.<domain>} holds the domain's public key. */
    final MailSenderAuth dkim = new MailSenderAuth(null, (method, selector, domain) -> {
        if (!"sel1".contentEquals(selector) || !KEYS.containsKey(domain.toString())) {
            throw new org.apache.james.jdkim.exceptions.PermFailException("no key record for " + selector + "._domainkey."
                    + domain);
        }
        return List.of("v=DKIM1; k=rsa; p=" + java.util.Base64.getEncoder().encodeToString(
                KEYS.get(domain.toString()).getPublic().getEncoded()));
    }, "authentication-results", "", true, false);

    static byte[] mail(String from, String body) throws Exception {
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
                jakarta.mail.Session.getInstance(new java.util.Properties()));
        m.setFrom(new jakarta.mail.internet.InternetAddress(from));
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, "orders@orderhub.local");
        m.setSubject("PO 4711");
        m.setText(body, "UTF-8");
        m.saveChanges();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    static byte[] signed(byte[] mail, String domain, String headers) throws Exception {
        String template = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=sel1; h=" + headers + "; bh=; b=;";
        String signature = new org.apache.james.jdkim.DKIMSigner(template, key(domain).getPrivate())
                .sign(new java.io.ByteArrayInputStream(mail));
        String header = signature.startsWith("DKIM-Signature:") ? signature : "DKIM-Signature: " + signature;
        return (header + "\r\n" + new String(mail, java.nio.charset.StandardCharsets.ISO_8859_1))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    MailSenderAuth.Verdict dkim(String from, byte[] raw) {
        return dkim.check(B2B_DKIM, List.of(from), null, () -> raw);
    }

    @Test
    void dkimVerifiedByTheHubPassesOnlyAnAlignedSignatureOverTheFrom() throws Exception {
        byte[] mail = mail("buyer@b2b.example", "{\"externalId\": \"PO-1\"}");
        assertThat(dkim("buyer@b2b.example", signed(mail, "b2b.example", "from:to:subject")).reason())
                .isEqualTo("dkim=pass d=b2b.example (verified by the hub)");

        // the body changed after signing
        byte[] tampered = new String(signed(mail, "b2b.example", "from:to:subject"), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("PO-1", "PO-2").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(dkim("buyer@b2b.example", tampered).authenticated()).isFalse();
        // the attacker's own valid signature
        MailSenderAuth.Verdict foreign = dkim("buyer@b2b.example", signed(mail, "evil.example", "from:to:subject"));
        assertThat(foreign.authenticated()).isFalse();
        assertThat(foreign.reason()).contains("DKIM signatures of [evil.example] verify, but none signs From and is aligned");
        // no signature; a signature whose key is not published
        assertThat(dkim("buyer@b2b.example", mail).authenticated()).isFalse();
        byte[] unpublished = new String(signed(mail, "b2b.example", "from:to:subject"), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("s=sel1", "s=sel9").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(dkim("buyer@b2b.example", unpublished).authenticated()).isFalse();
    }
}
