package io.orderhub.config;

import java.util.Locale;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.utils.ByteUtil;

/**
 * The embedded broker's memory and disk limits ({@code orderhub.broker.*}, README "Configuration",
 * docs/transports.md "Broker limits"). An address holds at most {@code maxSizeBytes} of messages in memory
 * (all addresses together at most {@code globalMaxSize}); beyond that the {@code addressFullPolicy} applies:
 * PAGE (default) writes further messages to page files under the paging directory, BLOCK makes producers
 * wait, FAIL refuses their sends. DROP is refused at start: it would drop messages. When the journal's disk
 * has less than {@code minDiskFree} bytes free (or, with {@code minDiskFree} -1, is more than
 * {@code maxDiskUsage} % used) the broker blocks every producer (FAIL: refuses them) until there is room
 * again; it checks every {@code diskScanPeriodMs}. Sizes take Artemis byte notation ({@code 64KiB},
 * {@code 10MB}, {@code 1GiB}; K, M and G are 1024-based); -1 is "no limit" (global: the broker's own
 * default, half the heap).
 */
public record BrokerLimits(long globalMaxSize, long maxSizeBytes, AddressFullMessagePolicy addressFullPolicy,
                           int pageSizeBytes, int maxDiskUsage, long minDiskFree, int diskScanPeriodMs) {

    public BrokerLimits {
        if (addressFullPolicy == AddressFullMessagePolicy.DROP) {
            throw new IllegalArgumentException("orderhub.broker.address-full-policy DROP would drop messages; "
                    + "use PAGE, BLOCK or FAIL");
        }
        if (maxDiskUsage < 1 || maxDiskUsage > 100) {
            throw new IllegalArgumentException("orderhub.broker.max-disk-usage must be a percentage (1-100), not "
                    + maxDiskUsage);
        }
        if (pageSizeBytes <= 0) {
            throw new IllegalArgumentException("orderhub.broker.page-size-bytes must be positive, not " + pageSizeBytes);
        }
        if (diskScanPeriodMs <= 0) {
            throw new IllegalArgumentException("orderhub.broker.disk-scan-period must be positive, not "
                    + diskScanPeriodMs);
        }
    }

    /** From the property texts; a value the broker would not understand fails the start, naming the setting. */
    public static BrokerLimits parse(String globalMaxSize, String maxSizeBytes, String addressFullPolicy, String pageSizeBytes,
                                     int maxDiskUsage, String minDiskFree, int diskScanPeriodMs) {
        long pageSize = bytes("page-size-bytes", pageSizeBytes);
        if (pageSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("orderhub.broker.page-size-bytes is too large: " + pageSizeBytes);
        }
        AddressFullMessagePolicy policy;
        try {
            policy = AddressFullMessagePolicy.valueOf(addressFullPolicy.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("orderhub.broker.address-full-policy must be PAGE, BLOCK or FAIL, not '"
                    + addressFullPolicy + "'", e);
        }
        return new BrokerLimits(bytes("global-max-size", globalMaxSize), bytes("max-size-bytes", maxSizeBytes), policy,
                (int) pageSize, maxDiskUsage, bytes("min-disk-free", minDiskFree), diskScanPeriodMs);
    }

    /** Sets the limits on the broker's configuration and on the settings of every address ({@code #}). */
    public void applyTo(Configuration config, AddressSettings everywhere) {
        config.setGlobalMaxSize(globalMaxSize);
        config.setMaxDiskUsage(maxDiskUsage);
        config.setMinDiskFree(minDiskFree);
        config.setDiskScanPeriod(diskScanPeriodMs);
        everywhere.setMaxSizeBytes(maxSizeBytes)
                .setAddressFullMessagePolicy(addressFullPolicy)
                .setPageSizeBytes(pageSizeBytes);
    }

    /** The disk limit in force, as the operator reads it (min-disk-free wins when both are set). */
    public String diskLimit() {
        return minDiskFree >= 0 ? "min-disk-free " + minDiskFree + " bytes" : "max-disk-usage " + maxDiskUsage + " %";
    }

    private static long bytes(String setting, String text) {
        try {
            return ByteUtil.convertTextBytes(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("orderhub.broker." + setting + " is not a size: '" + text
                    + "' (e.g. 64KiB, 10MB, 1GiB, or -1)", e);
        }
    }
}
