package io.orderhub.common;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The API's limits ({@code orderhub.api.*}), also the limits of documents that arrive by JMS or e-mail. Defaults in
 * {@code application.yaml}.
 *
 * @param maxBodyBytes    a larger document is refused with 413 (a receipt keeps its first bytes)
 * @param maxLines        order lines per order
 * @param maxJsonDepth    nesting depth of a JSON document
 * @param defaultPageSize page size of list answers without {@code size}
 * @param maxPageSize     the largest {@code size} a list answer takes
 * @param rateLimit       requests per second per API key (a key may set its own)
 */
@ConfigurationProperties("orderhub.api")
public record ApiProperties(long maxBodyBytes, int maxLines, int maxJsonDepth, int defaultPageSize, int maxPageSize,
                            RateLimit rateLimit) {

    /** Token bucket per API key: refilled at {@code perSecond}, holding at most {@code burst}. */
    public record RateLimit(double perSecond, double burst) {
    }
}
