package io.orderhub.common;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The hub instance's own settings ({@code orderhub.data-dir}, {@code orderhub.instance-id}, {@code orderhub.jobs.*});
 * defaults in {@code application.yaml}.
 *
 * @param dataDir    the data directory (embedded H2, broker journal, generated key ring), absolute after start
 * @param instanceId names this instance (relay lock holder, job leases, mail claims); distinct per instance
 * @param jobs       scheduled jobs: another instance takes a job over when its holder has not run it for its
 *                   interval plus {@code lease}
 */
@ConfigurationProperties("orderhub")
public record HubProperties(String dataDir, String instanceId, Jobs jobs) {

    public record Jobs(Duration lease) {
    }
}
