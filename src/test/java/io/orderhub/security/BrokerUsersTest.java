package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.orderhub.channel.ChannelRegistry;
import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** Broker users and the event signing secret from configuration: the demo ones only in the embedded default. */
class BrokerUsersTest {

    final ChannelRegistry channels = new ChannelRegistry(new MappingFiles("mappings"));

    private static BrokerUserProperties users(BrokerUserProperties.User... users) {
        return new BrokerUserProperties(List.of(users));
    }

    private static MockEnvironment profile(String profile) {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles(profile);
        return env;
    }

    @Test
    void theEmbeddedDefaultTakesItsDemoUsersAndBindsEachToItsChannel() {
        BrokerUsers users = new BrokerUsers(users(new BrokerUserProperties.User("demo-webshop", "demo-webshop-broker-key",
                null, "webshop")), channels, new MockEnvironment(), "orderhub", "demo-hub-broker-key");
        assertThat(users.refusal("demo-webshop", "webshop")).isNull();
        assertThat(users.refusal("demo-webshop", "b2b"))
                .isEqualTo("broker user demo-webshop is bound to channel webshop and may not send orders for channel b2b");
        assertThat(users.refusal("orderhub", "b2b")).as("the hub's own user").isNull();
        assertThat(users.refusal("someone", "webshop")).contains("bound to no channel");
        assertThat(users.refusal(null, "webshop")).contains("populate-validated-user");
    }

    @Test
    void anyOtherProfileRefusesToStartWithADemoBrokerPassword() {
        for (String p : List.of("prod", "postgres", "test")) {
            assertThatThrownBy(() -> new BrokerUsers(users(new BrokerUserProperties.User("demo-webshop",
                    "demo-webshop-broker-key", null, "webshop")), channels, profile(p), "orderhub", "a-real-hub-password"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("demo password");
            assertThatThrownBy(() -> new BrokerUsers(users(), channels, profile(p), "orderhub", "demo-hub-broker-key"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("the hub's broker user orderhub");
        }
    }

    @Test
    void aUserMustBeBoundToAKnownChannelAndHaveALongEnoughPassword(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new BrokerUsers(users(new BrokerUserProperties.User("x", "a-long-enough-secret", null,
                "nowhere")), channels, profile("prod"), "orderhub", null)).hasMessageContaining("not in mappings/channels.yaml");
        assertThatThrownBy(() -> new BrokerUsers(users(new BrokerUserProperties.User("x", "short", null, "webshop")),
                channels, profile("prod"), "orderhub", null)).hasMessageContaining("shorter than 12");
        assertThatThrownBy(() -> new BrokerUsers(users(new BrokerUserProperties.User("orderhub", "a-long-enough-secret",
                null, "webshop")), channels, profile("prod"), "orderhub", null)).hasMessageContaining("hub's own user");
        Path file = dir.resolve("webshop.password");
        Files.writeString(file, "a-password-from-a-file\n");
        BrokerUsers users = new BrokerUsers(users(new BrokerUserProperties.User("webshop-jms", null, file.toString(),
                "webshop"), new BrokerUserProperties.User("b2b-jms", null, null, "b2b")), channels, profile("prod"),
                "orderhub", "a-real-hub-password");
        assertThat(users.channelUsers()).extracting(BrokerUsers.ChannelUser::password)
                .containsExactly("a-password-from-a-file", null);
        assertThat(users.refusal("b2b-jms", "b2b")).as("a binding without a password: an external broker's user").isNull();
    }

    @Test
    void theEventSigningSecretIsRequiredAndTheDemoOneOnlyInTheEmbeddedDefault() {
        new EventSignatures("demo-event-signing-secret", new MockEnvironment());
        assertThatThrownBy(() -> new EventSignatures("demo-event-signing-secret", profile("prod")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("demo secret");
        assertThatThrownBy(() -> new EventSignatures("", profile("prod")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ORDERHUB_EVENTS_SIGNING_SECRET");
        EventSignatures one = new EventSignatures("one-secret-of-the-hub", profile("prod"));
        EventSignatures other = new EventSignatures("another-secret-altogether", profile("prod"));
        String signed = one.sign("order.paid", "ORD-1", "{}");
        one.verify("order.paid", "ORD-1", "{}", signed);
        assertThatThrownBy(() -> other.verify("order.paid", "ORD-1", "{}", signed))
                .isInstanceOf(EventSignatures.ForgedEventException.class);
    }
}
