package io.orderhub.inventory;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The embedded default's demo catalogue (orderhub.demo=true only, so tests and production start
 * empty): a few products with stock in eu-central and us-east, including the SKUs of every
 * example in examples/ (the README's tour). Added once: products already present are left as they are.
 * Stock goes through the normal path, so the ledger records it as received.
 */
@Component
@ConditionalOnProperty(name = "orderhub.demo", havingValue = "true")
public class DemoCatalogue implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoCatalogue.class);

    record Item(String sku, String description, String price, String weightKg, int euCentral, int usEast) {
    }

    static final List<Item> ITEMS = List.of(
            new Item("MUG-BLUE", "Mug, blue", "9.50", "0.35", 120, 40),
            new Item("TEE-M", "T-shirt, M", "19.90", "0.20", 60, 60),
            new Item("TEE-L", "T-shirt, L", "19.90", "0.22", 30, 0),
            new Item("CAP-RED", "Cap, red", "14.00", "0.10", 0, 25),
            new Item("POSTER-A2", "Poster, A2", "12.00", "0.15", 5, 5),
            // the SKUs of the other files in examples/ (README tour), as their mappings produce them
            new Item("SOAP-LAV", "Soap, lavender", "6.50", "0.12", 50, 20),
            new Item("NB-A5", "Notebook A5", "4.90", "0.25", 40, 40),
            new Item("variation-3021", "Notebook A5, dotted", "4.90", "0.25", 20, 20),
            new Item("1233244", "cXML sample item 1", "1.00", "0.10", 100, 100),
            new Item("1233245", "cXML sample item 2", "1.00", "0.10", 100, 100),
            new Item("FL-1150", "Flour type 1150", "1.20", "1.00", 200, 0),
            new Item("4006381333931", "Baking paper", "2.50", "0.20", 100, 0),
            new Item("4000862141404", "EAN item 4000862141404", "3.00", "0.30", 100, 20),
            new Item("4000862141411", "EAN item 4000862141411", "3.00", "1.00", 100, 20),
            new Item("WID-100", "Widget 100", "19.99", "0.50", 20, 50),
            new Item("BOLT-7", "Bolts (by the pound)", "4.10", "0.45", 0, 100),
            new Item("SKU-9", "Sample item", "5.00", "0.10", 10, 10),
            new Item("PAPER-A4", "Paper A4, 500 sheets", "4.50", "2.50", 200, 50),
            new Item("TONER-K", "Toner black", "20.00", "0.80", 20, 5),
            new Item("PEN-BLUE", "Pen", "1.00", "0.02", 500, 100));

    private final CatalogueService catalogue;
    private final CatalogueRepository products;
    private final ObjectMapper json;

    public DemoCatalogue(CatalogueService catalogue, CatalogueRepository products, ObjectMapper json) {
        this.catalogue = catalogue;
        this.products = products;
        this.json = json;
    }

    @Override
    public void run(ApplicationArguments args) {
        int added = 0;
        for (Item item : ITEMS) {
            if (products.product(item.sku()).isPresent()) {
                continue;
            }
            ObjectNode product = json.createObjectNode().put("description", item.description())
                    .put("unitPrice", new BigDecimal(item.price())).put("currency", "EUR")
                    .put("weightKg", new BigDecimal(item.weightKg()));
            catalogue.putProduct(item.sku(), product);
            catalogue.setOnHand(item.sku(), json.createObjectNode().put("warehouse", "eu-central")
                    .put("onHand", item.euCentral()).put("reason", "demo catalogue"));
            catalogue.setOnHand(item.sku(), json.createObjectNode().put("warehouse", "us-east")
                    .put("onHand", item.usEast()).put("reason", "demo catalogue"));
            added++;
        }
        if (added > 0) {
            log.info("demo catalogue: added {} products with stock", added);
        }
    }
}
