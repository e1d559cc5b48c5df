package io.orderhub.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Retention ({@code orderhub.retention.*}; 0 days turns a part off); defaults in {@code application.yaml}.
 *
 * @param receiptsContentDays raw documents of finished orders' receipts older than this are blanked
 * @param eventsDays          published outbox rows older than this are deleted
 * @param auditDays           audit entries older than this are deleted
 * @param personalDataDays    personal data of finished orders older than this is erased
 * @param batchSize           rows per transaction
 * @param interval            the job runs this often (one instance at a time)
 * @param initialDelay        its first run after the start
 */
@ConfigurationProperties("orderhub.retention")
public record RetentionProperties(int receiptsContentDays, int eventsDays, int auditDays, int personalDataDays,
                                  int batchSize, Duration interval, Duration initialDelay) {
}
