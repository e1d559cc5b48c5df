package io.orderhub.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orderhub.broker.users}: the channels' broker users. Each is bound to one channel of
 * {@code mappings/channels.yaml} and may only send that channel's orders to {@code orders.inbound} (and read
 * its answers). The password is given inline (from an environment variable) or read from a file
 * ({@code password-file}); the embedded broker registers users that have one. A user without a password is a
 * binding only: the user of an external broker, whose broker.xml holds its password. The hub's own user is
 * {@code spring.artemis.user} / {@code spring.artemis.password} (ORDERHUB_ARTEMIS_USER / _PASSWORD).
 */
@ConfigurationProperties("orderhub.broker")
public record BrokerUserProperties(List<User> users) {

    public BrokerUserProperties {
        users = users == null ? List.of() : List.copyOf(users);
    }

    public record User(String id, String password, String passwordFile, String channel) {

        @Override
        public String toString() {
            return "BrokerUser[id=" + id + ", channel=" + channel + "]";
        }
    }
}
