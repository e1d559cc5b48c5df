package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class ApiKeyAuthenticatorTest {

    final ChannelRegistry channels = new ChannelRegistry(new MappingFiles("mappings"));

    @Test
    void demoKeysWorkInTheEmbeddedDefault() {
        ApiKeyAuthenticator auth = new ApiKeyAuthenticator(keys(new SecurityProperties.ApiKey("demo-webshop",
                "demo-webshop-key", null, null, null), new SecurityProperties.ApiKey("demo-ops", "demo-ops-key", null, Role.OPS, null)),
                channels, new MockEnvironment());
        assertThat(auth.authenticate("demo-webshop-key")).isEqualTo(new Caller("demo-webshop", Role.CHANNEL, "webshop"));
        assertThat(auth.authenticate("demo-ops-key").role()).isEqualTo(Role.OPS);
    }

    @Test
    void anyOtherProfileRefusesToStartWithADemoKey() {
        for (String profile : List.of("prod", "postgres", "test")) {
            MockEnvironment env = new MockEnvironment();
            env.setActiveProfiles(profile);
            assertThatThrownBy(() -> new ApiKeyAuthenticator(keys(new SecurityProperties.ApiKey("demo-ops",
                    "demo-ops-key", null, Role.OPS, null)), channels, env))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("demo secret");
        }
    }

    @Test
    void secretsComeFromFilesToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ops.key");
        Files.writeString(file, "a-long-secret-from-a-file\n");
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles("prod");
        ApiKeyAuthenticator auth = new ApiKeyAuthenticator(keys(new SecurityProperties.ApiKey("ops", null,
                file.toString(), Role.OPS, null)), channels, env);
        assertThat(auth.authenticate("a-long-secret-from-a-file").keyId()).isEqualTo("ops");
    }

    @Test
    void missingAndUnknownKeysAre401() {
        ApiKeyAuthenticator auth = new ApiKeyAuthenticator(keys(), channels, new MockEnvironment());
        assertThatThrownBy(() -> auth.authenticate(null)).isInstanceOfSatisfying(OrderHubException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.UNAUTHENTICATED));
        assertThatThrownBy(() -> auth.authenticate("whatever-it-is")).isInstanceOfSatisfying(OrderHubException.class,
                e -> assertThat(e.errors().get(0).message()).isEqualTo("is not a valid API key"));
    }

    @Test
    void aKeyCannotBeBothOperatorAndChannel() {
        assertThatThrownBy(() -> new ApiKeyAuthenticator(keys(new SecurityProperties.ApiKey("demo-webshop",
                "some-long-secret", null, Role.ADMIN, null)), channels, new MockEnvironment()))
                .hasMessageContaining("also listed under a channel");
    }

    private static SecurityProperties keys(SecurityProperties.ApiKey... keys) {
        return new SecurityProperties(List.of(keys));
    }
}
