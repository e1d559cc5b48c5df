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
 *                   interval plus {@code lease}; the frequent ones back off while idle ({@link WakeableSchedule}):
 *                   after {@code idleBackoffThreshold} runs in a row that found nothing, they look only every
 *                   ({@code idleBackoffMultiplier} + 1)th interval until they find work again
 */
@ConfigurationProperties("orderhub")
public record HubProperties(String dataDir, String instanceId, Jobs jobs) {

    public record Jobs(Duration lease, int idleBackoffThreshold, int idleBackoffMultiplier) {
    }
}
