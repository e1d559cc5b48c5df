package io.orderhub.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.crypto.DataCipher;
import io.orderhub.audit.AuditLog;
import io.orderhub.privacy.PersonalData;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * REST adapter of the data subject's rights: {@code GET /api/customers/{customerRef}/personal-data} (export) and
 * {@code POST /api/customers/{customerRef}/erasure} with {@code {"reason": "..."}}; ADMIN, both audited. The audit
 * entry names the customer by the keyed hash of the reference, not by the e-mail address itself.
 */
@Component("personalDataApi")
public class PersonalDataApi {

    private final PersonalData personalData;
    private final AuditLog audit;
    private final DataCipher cipher;
    private final Clock clock;

    public PersonalDataApi(PersonalData personalData, AuditLog audit, DataCipher cipher, Clock clock) {
        this.personalData = personalData;
        this.audit = audit;
        this.cipher = cipher;
        this.clock = clock;
    }

    public void export(Exchange exchange) {
        String ref = ApiExchange.header(exchange, "customerRef");
        Map<String, Object> export = personalData.export(ref);
        audit.record(ApiExchange.caller(exchange), "personalData.export", target(ref), null,
                ((java.util.List<?>) export.get("orders")).size() + " order(s)", null);
        exchange.getMessage().setBody(export);
    }

    public void erase(Exchange exchange) {
        String ref = ApiExchange.header(exchange, "customerRef");
        OpsFilters f = OpsFilters.body(clock);
        JsonNode body = f.object(exchange.getMessage().getBody(byte[].class), Set.of("reason"));
        String reason = f.text(body, "reason", 500);
        if (reason == null) {
            f.problem("reason", "is required: say why the personal data is erased (e.g. the customer's request of a date)");
        }
        f.check();
        PersonalData.Erasure done = personalData.erase(ref);
        audit.record(ApiExchange.caller(exchange), "personalData.erase", target(ref), null,
                done.orders().size() + " order(s), " + done.receipts() + " receipt(s), " + done.crmRecords() + " CRM record(s)",
                reason);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("customerRef", ref);
        answer.put("erasedOrders", done.orders());
        answer.put("receiptsRemoved", done.receipts());
        answer.put("mailsErased", done.mails());
        answer.put("crmRecords", done.crmRecords());
        exchange.getMessage().setBody(answer);
    }

    private String target(String ref) {
        String hash = ref == null ? "" : ref.contains("@") ? cipher.searchHash(ref) : cipher.idHash(ref);
        return "customer:" + (hash == null ? "" : hash.substring(0, 16));
    }
}
