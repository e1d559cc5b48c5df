package io.orderhub.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The broker's settings ({@code orderhub.broker.*}; the channels' broker users, {@code orderhub.broker.users}, are
 * {@link io.orderhub.security.BrokerUserProperties}). Defaults in {@code application.yaml}.
 *
 * @param embedded          the embedded broker runs (the Artemis mode is {@code spring.artemis.mode})
 * @param host              interface of the embedded broker's plain acceptor
 * @param port              its port; -1 turns it off
 * @param allowPlain        the plain acceptor may listen on an interface other hosts reach
 * @param tls               the embedded broker's TLS acceptor
 * @param globalMaxSize     memory of all addresses together (Artemis notation, {@code 128MiB})
 * @param maxSizeBytes      memory per address
 * @param addressFullPolicy PAGE, BLOCK or FAIL
 * @param pageSizeBytes     size of a page file
 * @param maxDiskUsage      producers are blocked while the journal's disk is fuller than this (%)
 * @param minDiskFree       ... or, when set (not -1), while less than this is free
 * @param diskScanPeriod    how often the disk is looked at
 * @param declareQueues     an external broker gets the hub's subscriptions at start-up
 * @param declareWait       how long the start waits for the external broker to answer
 */
@ConfigurationProperties("orderhub.broker")
public record BrokerProperties(boolean embedded, String host, int port, boolean allowPlain, Tls tls, String globalMaxSize,
                               String maxSizeBytes, String addressFullPolicy, String pageSizeBytes, int maxDiskUsage,
                               String minDiskFree, Duration diskScanPeriod, boolean declareQueues, Duration declareWait) {

    /** The TLS acceptor: port -1 is off; key store (PKCS12) required with a port, trust store for mutual TLS. */
    public record Tls(String host, int port, String keystore, String keystorePassword, String keystoreType,
                      String truststore, String truststorePassword, String truststoreType, boolean needClientAuth) {
    }
}
