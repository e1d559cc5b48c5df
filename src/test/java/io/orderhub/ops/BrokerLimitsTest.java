package io.orderhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import io.orderhub.config.BrokerLimits;
import io.orderhub.support.HubTestSupport;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The embedded broker runs with the limits of {@code orderhub.broker.*} (docs/transports.md "Broker limits"):
 * every address pages beyond its memory limit, the journal's disk has a limit, page files go under the data
 * directory.
 */
class BrokerLimitsTest extends HubTestSupport {

    @Autowired
    EmbeddedActiveMQ embedded;

    @Test
    void theEmbeddedBrokerRunsWithTheConfiguredLimits() {
        ActiveMQServer server = embedded.getActiveMQServer();
        AddressSettings inbound = server.getAddressSettingsRepository().getMatch("orders.inbound");
        AddressSettings events = server.getAddressSettingsRepository().getMatch("orders.events");
        for (AddressSettings s : new AddressSettings[] {inbound, events}) {
            assertThat(s.getAddressFullMessagePolicy()).isEqualTo(AddressFullMessagePolicy.PAGE);
            assertThat(s.getMaxSizeBytes()).isEqualTo(16L * 1024 * 1024);
            assertThat(s.getPageSizeBytes()).isEqualTo(10 * 1024 * 1024);
            assertThat(s.getDeadLetterAddress().toString()).isEqualTo("DLQ");
        }
        assertThat(server.getConfiguration().getGlobalMaxSize()).isEqualTo(128L * 1024 * 1024);
        assertThat(server.getConfiguration().getMaxDiskUsage()).isEqualTo(90);
        assertThat(server.getConfiguration().getMinDiskFree()).isEqualTo(-1);
        Path dataDir = Path.of(server.getConfiguration().getJournalDirectory()).getParent();
        assertThat(server.getConfiguration().getPagingLocation().toPath()).isEqualTo(dataDir.resolve("paging").toAbsolutePath());
    }

    @Test
    void limitsTheBrokerWouldMisreadAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> BrokerLimits.parse("128MiB", "16MiB", "DROP", "10MiB", 90, "-1", 5000))
                .hasMessageContaining("address-full-policy DROP would drop messages");
        assertThatThrownBy(() -> BrokerLimits.parse("128MiB", "16MiB", "SPILL", "10MiB", 90, "-1", 5000))
                .hasMessageContaining("address-full-policy must be PAGE, BLOCK or FAIL");
        assertThatThrownBy(() -> BrokerLimits.parse("lots", "16MiB", "PAGE", "10MiB", 90, "-1", 5000))
                .hasMessageContaining("orderhub.broker.global-max-size is not a size: 'lots'");
        assertThatThrownBy(() -> BrokerLimits.parse("128MiB", "16MiB", "PAGE", "10MiB", 120, "-1", 5000))
                .hasMessageContaining("max-disk-usage must be a percentage");
        BrokerLimits limits = BrokerLimits.parse("1GiB", "64KiB", "block", "32KiB", 95, "2GiB", 1000);
        assertThat(limits.globalMaxSize()).isEqualTo(1L << 30);
        assertThat(limits.maxSizeBytes()).isEqualTo(64 * 1024);
        assertThat(limits.addressFullPolicy()).isEqualTo(AddressFullMessagePolicy.BLOCK);
        assertThat(limits.pageSizeBytes()).isEqualTo(32 * 1024);
        assertThat(limits.minDiskFree()).isEqualTo(2L << 30);
        assertThat(limits.diskLimit()).isEqualTo("min-disk-free 2147483648 bytes");
    }
}
