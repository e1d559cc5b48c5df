package io.orderhub.sync;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sync targets' settings read by Java (under {@code orderhub.sync}); defaults in {@code application.yaml}. The
 * partner routes (routes/erp-sync.camel.yaml, crm-sync.camel.yaml) read their other keys (queues, consumers, event
 * types, breakers, {@code crm.latest-state-only}) themselves.
 *
 * @param connectTimeoutMs connect timeout of the calls to the ERP and the CRM (and of the ERP stock pull)
 * @param requestTimeoutMs request timeout of those calls
 * @param erp              the ERP target
 * @param crm              the CRM target
 */
@ConfigurationProperties("orderhub.sync")
public record SyncProperties(long connectTimeoutMs, long requestTimeoutMs, Erp erp, Crm crm) {

    /** The ERP's base URL, Authorization header value (none when blank) and mapping file. */
    public record Erp(String baseUrl, String authorization, String mapping) {
    }

    /** The CRM's base URL, Authorization header value (none when blank), mapping file and API version. */
    public record Crm(String baseUrl, String authorization, String mapping, String apiVersion) {
    }
}
