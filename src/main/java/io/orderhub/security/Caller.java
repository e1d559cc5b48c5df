package io.orderhub.security;

import java.util.Optional;

/** Who is calling: the API key's id, its role and, for CHANNEL keys, the one channel it is bound to. */
public record Caller(String keyId, Role role, String channel) {

    public static Caller channel(String keyId, String channel) {
        return new Caller(keyId, Role.CHANNEL, channel);
    }

    /** The channel this caller is restricted to, or empty for OPS and ADMIN, who see every channel. */
    public Optional<String> channelScope() {
        return role == Role.CHANNEL ? Optional.of(channel) : Optional.empty();
    }

    public boolean maySee(String orderChannel) {
        return role != Role.CHANNEL || channel.equals(orderChannel);
    }
}
