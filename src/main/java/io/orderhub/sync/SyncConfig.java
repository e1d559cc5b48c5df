package io.orderhub.sync;

import io.orderhub.messaging.DeadLetterReplayer;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.sync.crm.CrmTarget;
import io.orderhub.sync.erp.ErpTarget;
import io.orderhub.sync.outbound.EventMapping;
import io.orderhub.sync.outbound.HttpTarget;
import io.orderhub.sync.outbound.SyncTarget;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sync targets from {@link SyncProperties} ({@code orderhub.sync.*}): base URL, Authorization value, timeouts and
 * mapping file of the ERP and the CRM (defaults in application.yaml: the in-hub sandboxes).
 */
@Configuration(proxyBeanMethods = false)
public class SyncConfig {

    @Bean
    ErpTarget erpTarget(SyncProperties sync, MappingFiles mappings, ObjectMapper json) {
        SyncProperties.Erp erp = sync.erp();
        return new ErpTarget(new EventMapping("erp", erp.mapping(), mappings), new HttpTarget("erp", erp.baseUrl(),
                erp.authorization(), Duration.ofMillis(sync.connectTimeoutMs()),
                Duration.ofMillis(sync.requestTimeoutMs()), json));
    }

    @Bean
    CrmTarget crmTarget(SyncProperties sync, MappingFiles mappings, ObjectMapper json) {
        SyncProperties.Crm crm = sync.crm();
        return new CrmTarget(new EventMapping("crm", crm.mapping(), mappings), new HttpTarget("crm", crm.baseUrl(),
                crm.authorization(), Duration.ofMillis(sync.connectTimeoutMs()),
                Duration.ofMillis(sync.requestTimeoutMs()), json), crm.apiVersion());
    }

    /** The decisions of the partner routes (erp-sync, crm-sync, the partnerEvents template): {@code partnerSync}. */
    @Bean
    PartnerSync partnerSync(SyncLedger ledger, ObjectMapper json, List<SyncTarget> targets) {
        return new PartnerSync(ledger, json, targets);
    }

    /**
     * Camel's {@code jsonata:} component with the hub's mappings tree (verified hot reload, compiled once per
     * version, exact decimals): {@code to: jsonata:erp/sales-order.jsonata} in a route.
     */
    @Bean("jsonata")
    io.orderhub.sync.outbound.camel.MappingJsonataComponent jsonata(MappingFiles mappings, ObjectMapper json) {
        return new io.orderhub.sync.outbound.camel.MappingJsonataComponent(mappings, json);
    }

    /** Replays the dead letters of the partners added with the partnerEvents route template. */
    @Bean
    io.orderhub.sync.outbound.camel.PartnerRouteReplayer partnerRouteReplayer(org.apache.camel.CamelContext camel,
            SyncLedger ledger, PartnerSync partners, io.orderhub.sync.outbound.camel.MappingJsonataComponent jsonata,
            ObjectMapper json, SyncProperties sync) {
        return new io.orderhub.sync.outbound.camel.PartnerRouteReplayer(camel, ledger, partners, jsonata, json,
                Duration.ofMillis(sync.connectTimeoutMs()), Duration.ofMillis(sync.requestTimeoutMs()));
    }

    /** Dead letters and their replay (ops API), and the Java delivery of the ERP and CRM targets that replay uses. */
    @Bean
    SyncService syncService(List<SyncTarget> targets, SyncLedger ledger, ObjectMapper json,
                            org.springframework.beans.factory.ObjectProvider<DeadLetterReplayer> replayers) {
        return new SyncService(targets, ledger, json, () -> replayers.orderedStream().toList());
    }
}
