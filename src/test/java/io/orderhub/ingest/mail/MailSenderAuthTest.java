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

    final MailSenderAuth auth = new MailSenderAuth(null, "none", " mx.hub.example , MX2.hub.example", true, false);
    final MailSenderAuth prod = new MailSenderAuth(null, "authentication-results", "mx.hub.example", false, false);

    static Channel channel(String id, String mailAuth) {
        return new Channel(id, id, null, null, List.of("*@" + id + ".example"), false, "stripe", List.of(), "en", null, null,
                null, mailAuth);
    }

    MailSenderAuth.Verdict b2b(String... headers) {
        return auth.check(B2B, List.of("buyer@b2b.example"), headers);
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
        assertThat(auth.check(B2B, List.of("buyer@eu.b2b.example"), new String[] {"mx.hub.example; dkim=pass header.d=b2b.example"})
                .authenticated()).isTrue();
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
                "mx.hub.example; dmarc=pass header.from=b2b.example"}).reason()).contains("2 From addresses");
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
        assertThat(auth.check(SHOP, List.of("buyer@webshop.example"), null).authenticated()).isTrue();
        assertThat(prod.check(SHOP, List.of("buyer@webshop.example"), null).authenticated()).isFalse();
        assertThat(prod.check(channel("webshop", "none"), List.of("buyer@webshop.example"), null).reason())
                .contains("does not allow");
        assertThatThrownBy(() -> prod.checkAtStart(List.of(channel("webshop", "none"))))
                .hasMessageContaining("[webshop]").hasMessageContaining("ORDERHUB_MAIL_AUTH_ALLOW_NONE");
        prod.checkAtStart(List.of(B2B, SHOP)); // authentication-results by default in prod: starts
        auth.checkAtStart(List.of(channel("webshop", "none"))); // allowed (the embedded default): a warning only
        assertThatThrownBy(() -> new MailSenderAuth(null, "dkim", "", true, false)).hasMessageContaining("default-mode");
    }
}
