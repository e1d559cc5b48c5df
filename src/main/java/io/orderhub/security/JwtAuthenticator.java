package io.orderhub.security;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Authenticates {@code Authorization: Bearer <JWT>} when {@code orderhub.security.jwt.issuer} is set:
 * signature (RS256/RS384/RS512/ES256 from the issuer's JWK set or a public key file), issuer, audience,
 * expiry and not-before (with the configured clock skew) are checked; the role and channel come from
 * claims. The caller's key id is {@code jwt:<subject>}, so rate limits and the audit log name the
 * subject. Without the setting every bearer token is refused and only API keys work.
 */
@Component
public class JwtAuthenticator {

    public static final String HEADER = "Authorization";
    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.ES256);

    private final JwtProperties settings;
    private final ChannelRegistry channels;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public JwtAuthenticator(JwtProperties settings, ChannelRegistry channels) {
        this.settings = settings;
        this.channels = channels;
        this.processor = settings.enabled() ? processor(settings) : null;
        if (processor != null) {
            log.info("JWT bearer tokens accepted from issuer {} for audience {}", settings.issuer(), settings.audience());
        }
    }

    public boolean enabled() {
        return processor != null;
    }

    /** True when the header carries a bearer token. */
    public static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** The caller a bearer token stands for; 401 when it is invalid or tokens are not accepted. */
    public Caller authenticate(String authorization) {
        if (processor == null) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER,
                    "bearer tokens are not accepted by this hub; send your API key in the X-API-Key header");
        }
        String token = authorization.substring(7).trim();
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER, "is not a well-formed JWT");
        } catch (BadJOSEException e) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER, "is not a valid token: " + e.getMessage());
        } catch (JOSEException e) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER, "cannot be verified: " + e.getMessage());
        }
        String subject = claims.getSubject();
        Role role = role(claims);
        String keyId = "jwt:" + subject;
        if (role != Role.CHANNEL) {
            return new Caller(keyId, role, null);
        }
        String channel = text(claims, settings.channelClaim());
        if (channel == null || channels.find(channel).isEmpty()) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER, "a CHANNEL token needs claim '"
                    + settings.channelClaim() + "' naming a known channel");
        }
        return Caller.channel(keyId, channel);
    }

    private Role role(JWTClaimsSet claims) {
        List<String> values = new ArrayList<>();
        Object raw = claims.getClaim(settings.rolesClaim());
        if (raw instanceof String s) {
            values.addAll(List.of(s.trim().split("\\s+")));
        } else if (raw instanceof List<?> list) {
            list.forEach(v -> values.add(String.valueOf(v)));
        }
        Set<Role> roles = new HashSet<>();
        for (String v : values) {
            String name = v.toUpperCase(Locale.ROOT);
            name = name.startsWith("ORDERHUB:") ? name.substring(9) : name;
            for (Role r : Role.values()) {
                if (r.name().equals(name)) {
                    roles.add(r);
                }
            }
        }
        if (roles.contains(Role.ADMIN)) {
            return Role.ADMIN;
        }
        if (roles.contains(Role.OPS)) {
            return Role.OPS;
        }
        if (roles.contains(Role.CHANNEL)) {
            return Role.CHANNEL;
        }
        throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER, "the token's claim '" + settings.rolesClaim()
                + "' names none of the roles " + List.of(Role.values()));
    }

    private static String text(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s && !s.isBlank() ? s : null;
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JwtProperties settings) {
        if (settings.audience() == null || settings.audience().isBlank()) {
            throw new IllegalStateException("orderhub.security.jwt.audience must be set when orderhub.security.jwt.issuer is");
        }
        JWKSource<SecurityContext> keys = keys(settings);
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(Set.of(settings.audience())), new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                new HashSet<>(Set.of("sub", "exp", "iss", "aud")), new HashSet<>());
        verifier.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        p.setJWTClaimsSetVerifier(verifier);
        return p;
    }

    private static JWKSource<SecurityContext> keys(JwtProperties settings) {
        if (settings.jwkSetUri() != null && !settings.jwkSetUri().isBlank()) {
            try {
                return JWKSourceBuilder.create(new URL(settings.jwkSetUri())).retrying(true).build();
            } catch (MalformedURLException e) {
                throw new IllegalStateException("orderhub.security.jwt.jwk-set-uri is not a URL: " + settings.jwkSetUri(), e);
            }
        }
        if (settings.publicKeyFile() != null && !settings.publicKeyFile().isBlank()) {
            try {
                JWK key = JWK.parseFromPEMEncodedObjects(Files.readString(Path.of(settings.publicKeyFile()),
                        StandardCharsets.US_ASCII));
                return new ImmutableJWKSet<>(new JWKSet(key));
            } catch (IOException | JOSEException e) {
                throw new IllegalStateException("orderhub.security.jwt.public-key-file cannot be read as a PEM public key: "
                        + settings.publicKeyFile(), e);
            }
        }
        throw new IllegalStateException("orderhub.security.jwt.issuer is set: set jwk-set-uri or public-key-file too");
    }
}
