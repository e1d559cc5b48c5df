package io.orderhub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.channel.ChannelRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * The broker's users as the hub knows them: its own user ({@code spring.artemis.user}, role {@link #HUB_ROLE}),
 * which alone consumes the stage queues and publishes lifecycle events, and the channels' users
 * ({@code orderhub.broker.users}, role {@link #CHANNEL_ROLE}), each bound to one channel. The embedded broker
 * registers them (io.orderhub.config.EmbeddedBrokerConfig); the JMS intake asks {@link #refusal} whether the user
 * the broker validated for a message may send orders for the channel the message names.
 *
 * <p>As with API keys, the embedded default's demo passwords (starting with {@code demo-}) are refused in any
 * other profile: the hub does not start with one configured.
 */
@Component
public class BrokerUsers {

    public static final String HUB_ROLE = "hub";
    public static final String CHANNEL_ROLE = "channel";
    /**
     * The sender's user as the broker validated it: Artemis (populate-validated-user) overwrites the message
     * property {@code _AMQ_VALIDATED_USER} with it, whatever the sender put there, and JMS clients read that property
     * as {@code JMSXUserID}.
     */
    public static final String VALIDATED_USER = "JMSXUserID";

    /** A channel's broker user; {@code password} null: a binding only (an external broker knows the password). */
    public record ChannelUser(String id, String password, String channel) {

        @Override
        public String toString() {
            return "ChannelUser[id=" + id + ", channel=" + channel + "]";
        }
    }

    private final String hubUser;
    private final String hubPassword;
    private final Map<String, ChannelUser> channelUsers = new LinkedHashMap<>();

    public BrokerUsers(BrokerUserProperties properties, ChannelRegistry channels, Environment environment,
                       @Value("${spring.artemis.user}") String hubUser,
                       @Value("${spring.artemis.password}") String hubPassword) {
        String[] profiles = environment.getActiveProfiles();
        boolean embeddedDefault = profiles.length == 0;
        this.hubUser = StringUtils.hasText(hubUser) ? hubUser.trim() : null;
        this.hubPassword = StringUtils.hasText(hubPassword) ? hubPassword : null;
        if (this.hubPassword != null) {
            refuseDemo("the hub's broker user " + this.hubUser + " (ORDERHUB_ARTEMIS_PASSWORD)", this.hubPassword,
                    embeddedDefault, profiles);
        }
        for (BrokerUserProperties.User u : properties.users()) {
            if (!StringUtils.hasText(u.id())) {
                throw new IllegalStateException("orderhub.broker.users: a user has no id");
            }
            String id = u.id().trim();
            if (id.equals(this.hubUser)) {
                throw new IllegalStateException("broker user " + id + " is the hub's own user (ORDERHUB_ARTEMIS_USER) and "
                        + "cannot also be a channel's user");
            }
            if (!StringUtils.hasText(u.channel())) {
                throw new IllegalStateException("broker user " + id + " names no channel (orderhub.broker.users[].channel)");
            }
            String channel = u.channel().trim();
            if (channels.find(channel).isEmpty()) {
                throw new IllegalStateException("broker user " + id + " is bound to channel " + channel
                        + ", which is not in mappings/channels.yaml");
            }
            String password = passwordOf(u);
            if (password != null) {
                refuseDemo("broker user " + id, password, embeddedDefault, profiles);
                if (password.length() < 12) {
                    throw new IllegalStateException("broker user " + id + " has a password shorter than 12 characters");
                }
            }
            if (channelUsers.putIfAbsent(id, new ChannelUser(id, password, channel)) != null) {
                throw new IllegalStateException("broker user " + id + " is configured twice");
            }
        }
    }

    private static void refuseDemo(String what, String secret, boolean embeddedDefault, String[] profiles) {
        if (!embeddedDefault && secret.startsWith("demo-")) {
            throw new IllegalStateException(what + " uses a demo password, which is allowed only in the embedded default; "
                    + "profiles " + Arrays.toString(profiles) + " need real secrets");
        }
    }

    private static String passwordOf(BrokerUserProperties.User u) {
        if (StringUtils.hasText(u.passwordFile())) {
            try {
                return Files.readString(Path.of(u.passwordFile()), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalStateException("broker user " + u.id() + ": cannot read password-file " + u.passwordFile(), e);
            }
        }
        return StringUtils.hasText(u.password()) ? u.password() : null;
    }

    /** The hub's own broker user; null when none is configured. */
    public String hubUser() {
        return hubUser;
    }

    public String hubPassword() {
        return hubPassword;
    }

    public Collection<ChannelUser> channelUsers() {
        return List.copyOf(channelUsers.values());
    }

    /**
     * Null when the broker user {@code user} may send orders for {@code channel}; otherwise why not, for the
     * sender. The hub's own user may send for any channel; a channel's user only for its own; a user the hub does
     * not know for none. {@code channel} null or blank is left to the intake (the property is required anyway).
     */
    public String refusal(String user, String channel) {
        if (user == null || user.isBlank()) {
            return "the broker did not say which user sent this message; the hub takes orders only from authenticated "
                    + "broker users (an external Artemis needs populate-validated-user in broker.xml)";
        }
        if (user.equals(hubUser) || channel == null || channel.isBlank()) {
            return null;
        }
        ChannelUser bound = channelUsers.get(user);
        if (bound == null) {
            return "broker user " + user + " is bound to no channel (orderhub.broker.users) and may not send orders";
        }
        if (!bound.channel().equals(channel.trim())) {
            return "broker user " + user + " is bound to channel " + bound.channel() + " and may not send orders for "
                    + "channel " + channel.trim();
        }
        return null;
    }

    @Override
    public String toString() {
        return "BrokerUsers[hub=" + hubUser + ", channels=" + channelUsers.values() + "]";
    }
}
