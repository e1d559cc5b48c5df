package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Old environment variable names keep working under the names derived from the keys. */
class DeprecatedEnvironmentNamesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+):");

    @Test
    void anOldNameSetsTheNewOneWithItsUnit() {
        List<String> warnings = new ArrayList<>();
        Map<String, String> env = Map.of("ORDERHUB_RESERVATION_TTL", "PT2H", "ORDERHUB_STRIPE_API_KEY", "sk_live_x");
        Map<String, Object> values = DeprecatedEnvironmentNames.translate(env::get, warnings);

        assertThat(values).containsEntry("ORDERHUB_INVENTORY_RESERVATION_TTL", "PT2H")
                .containsEntry("ORDERHUB_PAYMENT_GATEWAYS_STRIPE_API_KEY", "sk_live_x").hasSize(2);
        assertThat(warnings).contains("ORDERHUB_RESERVATION_TTL is deprecated: set ORDERHUB_INVENTORY_RESERVATION_TTL instead");
    }

    @Test
    void theNewNameWinsWhenBothAreSet() {
        List<String> warnings = new ArrayList<>();
        Map<String, String> env = Map.of("ORDERHUB_CARRIER_API_KEY", "old", "ORDERHUB_SHIPPING_ACCOUNTS_EASYPOST_API_KEY", "new");
        assertThat(DeprecatedEnvironmentNames.translate(env::get, warnings)).isEmpty();
        assertThat(warnings).containsExactly("ORDERHUB_CARRIER_API_KEY is deprecated and ignored: "
                + "ORDERHUB_SHIPPING_ACCOUNTS_EASYPOST_API_KEY is set as well");
    }

    @Test
    void aPlainNumberKeepsTheUnitOfTheOldName() {
        assertThat(DeprecatedEnvironmentNames.withUnit("ORDERHUB_X_SECONDS", "ORDERHUB_X", "10")).isEqualTo("10000ms");
        assertThat(DeprecatedEnvironmentNames.withUnit("ORDERHUB_X_SECONDS", "ORDERHUB_X", "0.5")).isEqualTo("500ms");
        assertThat(DeprecatedEnvironmentNames.withUnit("ORDERHUB_X_MS", "ORDERHUB_X", "1000")).isEqualTo("1000ms");
        assertThat(DeprecatedEnvironmentNames.withUnit("ORDERHUB_X_DAYS", "ORDERHUB_X", "2")).isEqualTo("48h");
        assertThat(DeprecatedEnvironmentNames.withUnit("ORDERHUB_X_MS", "ORDERHUB_Y_MS", "1000")).isEqualTo("1000");
        assertThat(DeprecatedEnvironmentNames.withUnit("ORDERHUB_X_SECONDS", "ORDERHUB_X", "PT3S")).isEqualTo("PT3S");
    }

    @Test
    void theEnvironmentResolvesTheNewPlaceholderFromAnOldVariable() {
        StandardEnvironment env = new StandardEnvironment();
        Map<String, Object> system = new HashMap<>(Map.of("ORDERHUB_RESERVATION_TTL", "PT2H"));
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, system));

        new DeprecatedEnvironmentNames(supplier -> supplier.get()).postProcessEnvironment(env, null);

        assertThat(env.resolvePlaceholders("${ORDERHUB_INVENTORY_RESERVATION_TTL:48h}")).isEqualTo("PT2H");
    }

    /**
     * Issue 20: the documented ORDERHUB_SANDBOX_PACK_DELAY_SECONDS had no effect. Through the old name, application.yaml
     * and binding, it now sets the sandbox warehouse's delay (its unit kept); unset, the yaml's 5 s holds.
     */
    @Test
    void theOldSandboxPackDelayNameSetsTheWarehouseDelay() throws IOException {
        assertThat(packDelay(Map.of("ORDERHUB_SANDBOX_PACK_DELAY_SECONDS", "7"))).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(packDelay(Map.of("ORDERHUB_SANDBOX_WAREHOUSE_PACK_DELAY", "2m"))).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(packDelay(Map.of())).isEqualTo(java.time.Duration.ofSeconds(5));
    }

    private static java.time.Duration packDelay(Map<String, Object> variables) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new HashMap<>(variables)));
        for (var source : new org.springframework.boot.env.YamlPropertySourceLoader().load("application",
                new org.springframework.core.io.FileSystemResource("src/main/resources/application.yaml"))) {
            env.getPropertySources().addLast(source);
        }
        new DeprecatedEnvironmentNames(supplier -> supplier.get()).postProcessEnvironment(env, null);
        return org.springframework.boot.context.properties.bind.Binder.get(env)
                .bind("orderhub.sandbox.warehouse", io.orderhub.sandbox.SandboxProperties.Warehouse.class).get().packDelay();
    }

    /** Each old name leads to a name application.yaml (or a profile) reads, and no old name is still read there. */
    @Test
    void everyAliasLeadsToANameTheSettingsRead() throws IOException {
        Set<String> read = new java.util.HashSet<>();
        for (String file : List.of("application.yaml", "application-default.yaml", "application-prod.yaml")) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(Path.of("src/main/resources", file)));
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        assertThat(read).containsAll(DeprecatedEnvironmentNames.ALIASES.values());
        assertThat(read).doesNotContainAnyElementsOf(DeprecatedEnvironmentNames.ALIASES.keySet());
    }

    @Test
    void theDesignContractsNamesWorkWithoutAWarning() {
        Map<String, String> env = Map.of("ORDERHUB_SANDBOX_SMTP_PORT", "4025", "ORDERHUB_SANDBOX_CARRIER_STEP_SECONDS", "0.5");
        List<String> warnings = new ArrayList<>();
        assertThat(DeprecatedEnvironmentNames.translate(env::get, warnings))
                .containsEntry("ORDERHUB_SANDBOX_MAIL_SMTP_PORT", "4025")
                .containsEntry("ORDERHUB_SANDBOX_CARRIER_STEP", "500ms");
        assertThat(warnings).isEmpty();
    }
}
