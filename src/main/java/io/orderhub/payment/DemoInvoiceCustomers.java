package io.orderhub.payment;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.sync.inbound.CrmCustomers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The embedded default's invoice customers (orderhub.demo=true only, so tests and production start without):
 * the buyers of the b2b examples in examples/ (the README's tour), registered as the CRM would, through
 * {@link CrmCustomers#put}, bound to channel b2b with a credit limit. Added once: a customer already known
 * is left as it is.
 */
@Component
@ConditionalOnProperty(name = "orderhub.demo", havingValue = "true")
public class DemoInvoiceCustomers implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoInvoiceCustomers.class);

    record Buyer(String externalId, String name, String currency, int creditLimit) {
    }

    static final List<Buyer> BUYERS = List.of(
            // examples/order-ubl.xml (BuyerCustomerParty C-1009)
            new Buyer("b2b-C-1009", "UBL example buyer", "EUR", 5000),
            // examples/orders-x12-850.edi (N1*BY ACME01)
            new Buyer("b2b-ACME01", "ACME (X12 example)", "USD", 5000),
            // examples/orders-edifact.edi (NAD+BY 4012345000009)
            new Buyer("b2b-4012345000009", "EDIFACT example buyer", "EUR", 5000));

    private final CrmCustomers customers;
    private final ObjectMapper json;

    public DemoInvoiceCustomers(CrmCustomers customers, ObjectMapper json) {
        this.customers = customers;
        this.json = json;
    }

    @Override
    public void run(ApplicationArguments args) {
        int added = 0;
        for (Buyer b : BUYERS) {
            if (customers.find(b.externalId()).isPresent()) {
                continue;
            }
            customers.put(b.externalId(), json.createObjectNode().put("name", b.name()).put("creditLimit", b.creditLimit())
                    .put("currency", b.currency()).put("invoiceChannel", "b2b"));
            added++;
        }
        if (added > 0) {
            log.info("demo invoice customers: registered {} customers of channel b2b", added);
        }
    }
}
