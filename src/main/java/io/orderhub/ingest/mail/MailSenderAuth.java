package io.orderhub.ingest.mail;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Decides whether an order e-mail really comes from the channel its From address names (issue 25).
 * Per channel ({@code mailAuth} in channels.yaml, else {@code orderhub.mail.auth.default-mode}):
 * <ul>
 *   <li>{@code authentication-results}: the receiving MTA's {@code Authentication-Results} header (RFC 8601)
 *   must say {@code dmarc=pass} for the From domain, or {@code dkim=pass} with a signing domain
 *   ({@code header.d}) aligned to it, or {@code spf=pass} with an aligned {@code smtp.mailfrom}. Only the
 *   topmost header whose authserv-id is one of {@code orderhub.mail.auth.trusted-authserv-ids} counts: headers
 *   of other hosts (added upstream, or by the sender itself) are ignored, and a trusted MTA puts its own
 *   above every one that came with the mail. "Aligned" means the same domain, or the From domain is a
 *   subdomain of it (relaxed alignment without a public suffix list: a signature for {@code d=example.com}
 *   needs the key in example.com's DNS).</li>
 *   <li>{@code dkim}: the hub verifies the mail's {@code DKIM-Signature}s itself (RFC 6376, Apache James jDKIM;
 *   keys from DNS through {@link DkimPublicKeys}) and needs one that verifies, signs the From header and whose
 *   {@code d=} is aligned to the From domain. For mailboxes whose MTA writes no Authentication-Results.</li>
 *   <li>{@code none}: the From address alone (the sandbox mail server of the embedded default adds no
 *   header). Refused at start where {@code orderhub.mail.auth.allow-none} is false (the {@code prod}
 *   profile) for a channel that takes mail, and every such mail is then rejected.</li>
 * </ul>
 */
@Service
public class MailSenderAuth {

    private static final Logger LOG = LoggerFactory.getLogger(MailSenderAuth.class);

    /** The outcome: authenticated, or why not (for the receipt; the sender is not answered). */
    public record Verdict(boolean authenticated, String reason) {

        static Verdict pass(String how) {
            return new Verdict(true, how);
        }

        static Verdict fail(String why) {
            return new Verdict(false, why);
        }
    }

    /** The mail's bytes as received, for DKIM (read only in that mode). */
    @FunctionalInterface
    public interface RawMail {
        byte[] bytes() throws Exception;
    }

    private final String defaultMode;
    private final Set<String> trusted;
    private final boolean allowNone;
    private final PublicKeyRecordRetriever dkimKeys;

    @Autowired
    public MailSenderAuth(ChannelRegistry channels, PublicKeyRecordRetriever dkimKeys, MailIntakeProperties mail) {
        this(channels, dkimKeys, mail.auth().defaultMode(), mail.auth().trustedAuthservIds(), mail.auth().allowNone(),
                mail.enabled());
    }

    /** With the settings given (tests). */
    public MailSenderAuth(ChannelRegistry channels, PublicKeyRecordRetriever dkimKeys, String defaultMode,
                          String trustedAuthservIds, boolean allowNone, boolean mailEnabled) {
        this.defaultMode = defaultMode == null ? Channel.MAIL_AUTH_RESULTS : defaultMode.trim().toLowerCase(Locale.ROOT);
        if (!Channel.MAIL_AUTH_MODES.contains(this.defaultMode)) {
            throw new IllegalStateException("orderhub.mail.auth.default-mode (ORDERHUB_MAIL_AUTH_DEFAULT_MODE) is '"
                    + defaultMode + "'; the modes are " + String.join(", ", Channel.MAIL_AUTH_MODES));
        }
        this.trusted = Arrays.stream(trustedAuthservIds == null ? new String[0] : trustedAuthservIds.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.allowNone = allowNone;
        this.dkimKeys = dkimKeys;
        if (mailEnabled) {
            checkAtStart(channels.all());
        }
    }

    void checkAtStart(java.util.Collection<Channel> channels) {
        List<String> unauthenticated = channels.stream().filter(Channel::takesMail)
                .filter(c -> Channel.MAIL_AUTH_NONE.equals(mode(c))).map(Channel::id).toList();
        if (!unauthenticated.isEmpty() && !allowNone) {
            throw new IllegalStateException("channels " + unauthenticated + " take e-mail orders with mailAuth none (the From"
                    + " address alone, which anyone can forge), which this deployment does not allow"
                    + " (orderhub.mail.auth.allow-none / ORDERHUB_MAIL_AUTH_ALLOW_NONE is false): set mailAuth:"
                    + " authentication-results in channels.yaml, or remove their senders");
        }
        if (!unauthenticated.isEmpty()) {
            LOG.warn("channels {} take e-mail orders on the From address alone (mailAuth none): anyone can send in their"
                    + " name; use it only with the sandbox mail server", unauthenticated);
        }
        boolean resultsMode = channels.stream().filter(Channel::takesMail)
                .anyMatch(c -> Channel.MAIL_AUTH_RESULTS.equals(mode(c)));
        if (resultsMode && trusted.isEmpty()) {
            LOG.warn("no trusted authserv-id is configured (ORDERHUB_MAIL_AUTH_TRUSTED_AUTHSERV_IDS): every e-mail order"
                    + " of a channel with mailAuth authentication-results is rejected");
        }
    }

    /** The channel's effective mode. */
    public String mode(Channel channel) {
        return channel.mailAuthOr(defaultMode);
    }

    /**
     * Whether the mail from {@code fromAddress} (already matched to the channel's sender patterns) is authenticated.
     *
     * @param fromAddresses every address of the From header (more than one is refused: which one would be the sender?)
     * @param authenticationResults the mail's {@code Authentication-Results} headers, topmost first
     * @param raw                   the mail as received (mode dkim)
     */
    public Verdict check(Channel channel, List<String> fromAddresses, String[] authenticationResults, RawMail raw) {
        String mode = mode(channel);
        if (fromAddresses.size() != 1) {
            return Verdict.fail("the e-mail names " + fromAddresses.size() + " From addresses; exactly one is needed");
        }
        String from = fromAddresses.get(0);
        if (Channel.MAIL_AUTH_NONE.equals(mode)) {
            return allowNone ? Verdict.pass("mail authentication is off for channel " + channel.id())
                    : Verdict.fail("channel " + channel.id() + " has mailAuth none, which this deployment does not allow");
        }
        int at = from.lastIndexOf('@');
        String domain = at < 0 ? "" : from.substring(at + 1).toLowerCase(Locale.ROOT);
        if (domain.isEmpty()) {
            return Verdict.fail("the From address " + from + " has no domain");
        }
        if (Channel.MAIL_AUTH_DKIM.equals(mode)) {
            return dkim(from, domain, raw);
        }
        AuthenticationResults header = null;
        int ignored = 0;
        for (String value : authenticationResults == null ? new String[0] : authenticationResults) {
            AuthenticationResults parsed = AuthenticationResults.parse(value);
            if (parsed.authservId() != null && trusted.contains(parsed.authservId())) {
                header = parsed;
                break;
            }
            ignored++;
        }
        if (header == null) {
            return Verdict.fail("the sender " + from + " is not authenticated: no Authentication-Results header of a trusted"
                    + " mail server" + (ignored > 0 ? " (" + ignored + " header" + (ignored > 1 ? "s" : "")
                    + " of other hosts ignored)" : ""));
        }
        for (AuthenticationResults.Result r : header.results()) {
            if (!"pass".equals(r.result())) {
                continue;
            }
            switch (r.method()) {
                case "dmarc" -> {
                    if (domain.equalsIgnoreCase(nz(r.property("header.from")))) {
                        return Verdict.pass("dmarc=pass for " + domain + " (" + header.authservId() + ")");
                    }
                }
                case "dkim" -> {
                    String d = r.property("header.d");
                    if (d == null) {
                        d = domainOf(r.property("header.i"));
                    }
                    if (aligned(domain, d)) {
                        return Verdict.pass("dkim=pass d=" + d + " (" + header.authservId() + ")");
                    }
                }
                case "spf" -> {
                    String mailFrom = domainOf(r.property("smtp.mailfrom"));
                    if (aligned(domain, mailFrom)) {
                        return Verdict.pass("spf=pass smtp.mailfrom=" + mailFrom + " (" + header.authservId() + ")");
                    }
                }
                default -> {
                }
            }
        }
        String seen = header.results().stream().map(r -> r.method() + "=" + r.result()).collect(Collectors.joining(", "));
        return Verdict.fail("the sender " + from + " is not authenticated: " + header.authservId() + " reports "
                + (seen.isEmpty() ? "no result" : seen) + ", and none is a pass aligned to " + domain);
    }

    private Verdict dkim(String from, String domain, RawMail raw) {
        List<SignatureRecord> verified;
        try {
            verified = new DKIMVerifier(dkimKeys).verify(new java.io.ByteArrayInputStream(raw.bytes()));
        } catch (TempFailException e) {
            return Verdict.fail("the sender " + from + " is not authenticated: its DKIM signature could not be checked now ("
                    + e.getMessage() + ")");
        } catch (FailException e) {
            return Verdict.fail("the sender " + from + " is not authenticated: DKIM " + e.getMessage());
        } catch (Exception e) {
            return Verdict.fail("the sender " + from + " is not authenticated: the e-mail cannot be read for DKIM ("
                    + e.getClass().getSimpleName() + ")");
        }
        List<String> signers = new java.util.ArrayList<>();
        for (SignatureRecord s : verified == null ? List.<SignatureRecord>of() : verified) {
            String d = s.getDToken() == null ? null : s.getDToken().toString();
            boolean fromSigned = s.getHeaders().stream().anyMatch(h -> "from".equalsIgnoreCase(h.toString().trim()));
            if (fromSigned && aligned(domain, d)) {
                return Verdict.pass("dkim=pass d=" + d + " (verified by the hub)");
            }
            signers.add(d);
        }
        return Verdict.fail("the sender " + from + " is not authenticated: "
                + (signers.isEmpty() ? "no DKIM signature verifies" : "DKIM signatures of " + signers
                + " verify, but none signs From and is aligned to " + domain));
    }

    /** Same domain, or the From domain is a subdomain of the authenticated one (which must have a dot). */
    static boolean aligned(String fromDomain, String authenticated) {
        if (authenticated == null || authenticated.isBlank()) {
            return false;
        }
        String a = authenticated.trim().toLowerCase(Locale.ROOT);
        if (a.endsWith(".")) {
            a = a.substring(0, a.length() - 1);
        }
        String f = fromDomain.toLowerCase(Locale.ROOT);
        return f.equals(a) || (a.contains(".") && f.endsWith("." + a));
    }

    private static String domainOf(String addressOrDomain) {
        if (addressOrDomain == null) {
            return null;
        }
        int at = addressOrDomain.lastIndexOf('@');
        return at < 0 ? addressOrDomain : addressOrDomain.substring(at + 1);
    }

    private static String nz(String s) {
        return s == null ? "" : s.trim();
    }
}
