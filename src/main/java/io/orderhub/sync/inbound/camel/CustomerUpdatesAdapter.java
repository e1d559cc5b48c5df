package io.orderhub.sync.inbound.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.sync.inbound.CrmCustomers;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * JMS adapter of the queue {@code crm.customer-updates}: a customer {@code {externalId, name, email?,
 * phone?, company?, creditLimit?, currency?, updatedAt?}} as {@code PUT /api/customers/{externalId}}
 * takes it. Applying one is naturally idempotent (an upsert; an older {@code updatedAt} changes nothing).
 */
@Component("crmCustomerUpdates")
public class CustomerUpdatesAdapter {

    private final CrmCustomers customers;
    private final ObjectMapper json;

    public CustomerUpdatesAdapter(CrmCustomers customers, ObjectMapper json) {
        this.customers = customers;
        this.json = json;
    }

    public void receive(Exchange exchange) {
        JsonNode update = InboundDeadLetters.json(json, exchange.getIn().getBody());
        JsonNode id = update.get("externalId");
        if (id == null || !id.isTextual()) {
            throw OrderHubException.field(Problem.INVALID, "/externalId", "is required: the CRM's id of the customer");
        }
        customers.put(id.asText(), update);
    }
}
