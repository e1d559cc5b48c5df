package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.orderhub.channel.ChannelRegistry;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.security.BrokerUserProperties;
import io.orderhub.security.BrokerUsers;
import org.apache.activemq.artemis.core.security.Role;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The embedded broker's per-address roles and its users (the broker itself is tested by BrokerSecurityTest). */
class BrokerSecurityRolesTest {

    @Test
    void onlyTheHubUsesItsAddressesAndChannelsOnlySendOrdersAndKeepTheirAnswerQueues() {
        Map<String, Set<Role>> roles = BrokerSecurity.roles(List.of("orders.events", "DLQ"), "orders.inbound");
        for (String hubs : List.of("orders.events", "DLQ", "activemq.#")) {
            assertThat(roles.get(hubs)).extracting(Role::getName).containsExactly(BrokerUsers.HUB_ROLE);
        }
        Role sender = role(roles.get("orders.inbound"), BrokerUsers.CHANNEL_ROLE);
        assertThat(sender.isSend()).isTrue();
        assertThat(sender.isConsume() || sender.isBrowse() || sender.isCreateDurableQueue() || sender.isManage()).isFalse();
        Role replies = role(roles.get("#"), BrokerUsers.CHANNEL_ROLE);
        assertThat(replies.isCreateNonDurableQueue() && replies.isConsume()).isTrue();
        assertThat(replies.isSend() || replies.isCreateDurableQueue() || replies.isManage() || replies.isBrowse()).isFalse();
        assertThat(role(roles.get("#"), BrokerUsers.HUB_ROLE).isConsume()).isTrue();
    }

    @Test
    void theEmbeddedBrokerDoesNotStartWithoutTheHubsOwnUser() {
        BrokerUsers none = new BrokerUsers(new BrokerUserProperties(List.of()),
                new ChannelRegistry(new MappingFiles("mappings")), new MockEnvironment(), "", "");
        assertThatThrownBy(() -> EmbeddedBrokerConfig.securityManager(none))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ORDERHUB_ARTEMIS_PASSWORD");
    }

    private static Role role(Set<Role> roles, String name) {
        return roles.stream().filter(r -> r.getName().equals(name)).findFirst().orElseThrow();
    }
}
