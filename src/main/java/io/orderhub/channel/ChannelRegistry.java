package io.orderhub.channel;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.mapping.MappingFiles;
import org.springframework.stereotype.Component;

/** The channels of {@code mappings/channels.yaml}, re-read when the file changes. */
@Component
public class ChannelRegistry {

    public static final String FILE = "channels.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final MappingFiles mappings;

    public ChannelRegistry(MappingFiles mappings) {
        this.mappings = mappings;
        all(); // fail at start when the file is broken
    }

    public Collection<Channel> all() {
        return channels().values();
    }

    public Optional<Channel> find(String id) {
        return Optional.ofNullable(id).map(channels()::get);
    }

    /** The channel, or 404 naming the field that carried the unknown id. */
    public Channel require(String id, String field) {
        String bad = ChannelIds.problem(id);
        if (bad != null) {
            throw OrderHubException.field(Problem.INVALID, field, bad);
        }
        return find(id).orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, field,
                "channel " + ChannelIds.quoted(id) + " is not configured in " + FILE));
    }

    /** The channel whose sender patterns match the address (first match in file order). */
    public Optional<Channel> bySender(String address) {
        return all().stream().filter(c -> c.isSender(address)).findFirst();
    }

    private Map<String, Channel> channels() {
        return mappings.cached(FILE, ChannelRegistry::parse);
    }

    public static Map<String, Channel> parse(byte[] yaml) {
        try {
            ChannelsFile file = YAML.readValue(yaml, ChannelsFile.class);
            Map<String, Channel> byId = new LinkedHashMap<>();
            Set<String> keys = new HashSet<>();
            Set<CertificateBinding> certificates = new HashSet<>();
            for (Channel c : file.channels() == null ? List.<Channel>of() : file.channels()) {
                if (c.id() == null || !c.id().matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                    throw new IllegalStateException(FILE + ": channel id '" + c.id()
                            + "' must be lower-case letters, digits, '-' or '_'");
                }
                if (byId.putIfAbsent(c.id(), c) != null) {
                    throw new IllegalStateException(FILE + ": channel '" + c.id() + "' is defined twice");
                }
                for (String method : c.paymentMethods()) {
                    if (!Channel.PAYMENT_METHODS.contains(method)) {
                        throw new IllegalStateException(FILE + ": channel '" + c.id() + "' lists payment method '" + method
                                + "'; the payment methods are " + String.join(", ", Channel.PAYMENT_METHODS));
                    }
                }
                if (c.mailAuth() != null && !Channel.MAIL_AUTH_MODES.contains(c.mailAuth())) {
                    throw new IllegalStateException(FILE + ": channel '" + c.id() + "' has mailAuth '" + c.mailAuth()
                            + "'; the modes are " + String.join(", ", Channel.MAIL_AUTH_MODES));
                }
                checkOutbound(c);
                if (c.webhookSecret() != null && !Channel.Transport.isPlaceholder(c.webhookSecret())) {
                    throw new IllegalStateException(FILE + ": channel '" + c.id() + "' webhookSecret must be a placeholder"
                            + " such as ${ORDERHUB_SHOP_WEBHOOK_SECRET} (an environment variable or setting), never the secret itself");
                }
                for (String cert : c.clientCertificates()) {
                    try {
                        if (!certificates.add(CertificateBinding.parse(cert))) {
                            throw new IllegalStateException(FILE + ": client certificate '" + cert
                                    + "' is bound to two channels");
                        }
                    } catch (IllegalArgumentException bad) {
                        throw new IllegalStateException(FILE + ": channel '" + c.id() + "' clientCertificates: " + bad.getMessage());
                    }
                }
                for (String key : c.apiKeys()) {
                    if (!keys.add(key)) {
                        throw new IllegalStateException(FILE + ": API key '" + key + "' is listed under two channels");
                    }
                }
            }
            return Map.copyOf(byId);
        } catch (IOException e) {
            throw new IllegalStateException(FILE + " is not valid: " + e.getMessage(), e);
        }
    }

    private static void checkOutbound(Channel c) {
        Channel.Outbound o = c.outbound();
        if (o == null) {
            return;
        }
        String at = FILE + ": channel '" + c.id() + "' outbound.";
        for (String type : o.documents()) {
            if (!Channel.Outbound.TYPES.contains(type)) {
                throw new IllegalStateException(at + "documents lists '" + type + "'; the documents are "
                        + String.join(", ", Channel.Outbound.TYPES));
            }
        }
        if (o.format() != null && !Channel.Outbound.FORMATS.contains(o.format())) {
            throw new IllegalStateException(at + "format is '" + o.format() + "'; the formats are "
                    + String.join(", ", Channel.Outbound.FORMATS));
        }
        if (!List.of("SHIPPED", "DELIVERED").contains(o.invoiceOn())) {
            throw new IllegalStateException(at + "invoiceOn is '" + o.invoiceOn() + "'; it is SHIPPED or DELIVERED");
        }
        if (!Channel.Transport.TYPES.contains(o.transport().type())) {
            throw new IllegalStateException(at + "transport.type is '" + o.transport().type() + "'; the transports are "
                    + String.join(", ", Channel.Transport.TYPES));
        }
        Channel.Transport t = o.transport();
        if ("mail".equals(t.type()) && t.to() != null && !t.to().matches("[^@\\s,;<>]+@[^@\\s,;<>]+\\.[^@\\s,;<>]+")) {
            throw new IllegalStateException(at + "transport.to '" + t.to() + "' is not one e-mail address");
        }
        if ("rest".equals(t.type())) {
            if (t.url() == null) {
                throw new IllegalStateException(at + "transport.url is missing: the rest transport POSTs each document"
                        + " to it (https://...)");
            }
            java.net.URI uri;
            try {
                uri = java.net.URI.create(t.url());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(at + "transport.url '" + t.url() + "' is not a URL");
            }
            if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
                    || uri.getHost() == null) {
                throw new IllegalStateException(at + "transport.url '" + t.url() + "' is not an http(s) URL");
            }
            if (t.secret() == null) {
                throw new IllegalStateException(at + "transport.secret is missing: the rest transport signs each document"
                        + " with it (a placeholder such as ${ORDERHUB_PARTNER_CALLBACK_SECRET})");
            }
            if (!Channel.Transport.isPlaceholder(t.secret())) {
                throw new IllegalStateException(at + "transport.secret must be a placeholder such as"
                        + " ${ORDERHUB_PARTNER_CALLBACK_SECRET} (an environment variable or setting), never the secret itself");
            }
        }
        try {
            java.time.Duration.parse(o.acknowledgementWindow());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException(at + "acknowledgementWindow '" + o.acknowledgementWindow()
                    + "' is not an ISO-8601 duration such as PT24H");
        }
    }

    record ChannelsFile(List<Channel> channels) {
    }
}
