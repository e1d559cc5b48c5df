package io.orderhub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Resolves an {@code X-API-Key} secret to a {@link Caller}. Secrets are kept only as SHA-256
 * digests and compared in constant time. The embedded default's demo secrets are refused in any
 * other profile: the hub does not start with one configured.
 */
@Component
public class ApiKeyAuthenticator {

    public static final String HEADER = "X-API-Key";

    /** The documented demo secrets of the embedded default (DESIGN §6). */
    static final Set<String> DEMO_SECRETS = Set.of("demo-webshop-key", "demo-b2b-key", "demo-ops-key", "demo-admin-key");

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticator.class);

    private final Map<String, KeyEntry> byDigest = new HashMap<>();
    private final ChannelRegistry channels;

    public ApiKeyAuthenticator(SecurityProperties properties, ChannelRegistry channels, Environment environment) {
        this.channels = channels;
        boolean embeddedDefault = environment.getActiveProfiles().length == 0;
        for (SecurityProperties.ApiKey key : properties.apiKeys()) {
            String secret = secretOf(key);
            if (!StringUtils.hasText(secret)) {
                log.warn("API key {} has no secret configured; it cannot be used", key.id());
                continue;
            }
            if (!embeddedDefault && (DEMO_SECRETS.contains(secret) || secret.startsWith("demo-"))) {
                throw new IllegalStateException("API key " + key.id() + " uses a demo secret, which is allowed only in the "
                        + "embedded default; profiles " + Arrays.toString(environment.getActiveProfiles())
                        + " need real secrets (ORDERHUB_SECURITY_APIKEYS_n_SECRET or secret-file)");
            }
            if (secret.length() < 12) {
                throw new IllegalStateException("API key " + key.id() + " has a secret shorter than 12 characters");
            }
            if (byDigest.putIfAbsent(digestHex(secret), new KeyEntry(key.id(), key.role())) != null) {
                throw new IllegalStateException("API key " + key.id() + " reuses the secret of another key");
            }
        }
        checkBindings(properties.apiKeys(), channels.all());
    }

    /** The caller for a secret; 401 when it is missing or unknown. */
    public Caller authenticate(String secret) {
        if (!StringUtils.hasText(secret)) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER, "is missing; send your API key in the X-API-Key header");
        }
        KeyEntry entry = lookup(secret.trim());
        if (entry == null) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER, "is not a valid API key");
        }
        if (entry.role() != null && entry.role() != Role.CHANNEL) {
            return new Caller(entry.id(), entry.role(), null);
        }
        Optional<Channel> channel = channels.all().stream().filter(c -> c.apiKeys().contains(entry.id())).findFirst();
        if (channel.isEmpty()) {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, HEADER,
                    "belongs to no channel in channels.yaml and has no role");
        }
        return Caller.channel(entry.id(), channel.get().id());
    }

    private KeyEntry lookup(String secret) {
        byte[] digest = digest(secret);
        KeyEntry found = null;
        for (Map.Entry<String, KeyEntry> e : byDigest.entrySet()) {
            if (MessageDigest.isEqual(HexFormat.of().parseHex(e.getKey()), digest)) {
                found = e.getValue();
            }
        }
        return found;
    }

    private static void checkBindings(Collection<SecurityProperties.ApiKey> keys, Collection<Channel> channels) {
        for (SecurityProperties.ApiKey key : keys) {
            long boundTo = channels.stream().filter(c -> c.apiKeys().contains(key.id())).count();
            if (key.role() != null && key.role() != Role.CHANNEL && boundTo > 0) {
                throw new IllegalStateException("API key " + key.id() + " has role " + key.role()
                        + " and is also listed under a channel in channels.yaml");
            }
            if ((key.role() == null || key.role() == Role.CHANNEL) && boundTo > 1) {
                throw new IllegalStateException("API key " + key.id() + " is listed under more than one channel");
            }
        }
    }

    private static String secretOf(SecurityProperties.ApiKey key) {
        if (StringUtils.hasText(key.secretFile())) {
            try {
                return Files.readString(Path.of(key.secretFile()), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalStateException("API key " + key.id() + ": cannot read secret-file " + key.secretFile(), e);
            }
        }
        return key.secret() == null ? null : key.secret().trim();
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digestHex(String secret) {
        return HexFormat.of().formatHex(digest(secret));
    }

    private record KeyEntry(String id, Role role) {
    }
}
