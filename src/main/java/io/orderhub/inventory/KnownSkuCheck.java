package io.orderhub.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.orderhub.common.FieldError;
import io.orderhub.ingest.IntakeCheck;
import io.orderhub.order.CanonicalOrder;
import org.springframework.stereotype.Component;

/** With {@code orderhub.inventory.unknown-sku=reject}: an order line whose SKU is not in the catalogue is refused at intake. */
@Component
public class KnownSkuCheck implements IntakeCheck {

    private final CatalogueRepository catalogue;
    private final InventoryProperties settings;

    public KnownSkuCheck(CatalogueRepository catalogue, InventoryProperties settings) {
        this.catalogue = catalogue;
        this.settings = settings;
    }

    @Override
    public List<FieldError> check(CanonicalOrder order, String channel) {
        return settings.unknownSku() == InventoryProperties.UnknownSku.REJECT ? unknownSkus(order) : List.of();
    }

    /** One error per line whose SKU is not in the catalogue, naming the line. */
    public List<FieldError> unknownSkus(CanonicalOrder order) {
        List<CanonicalOrder.Line> lines = order.lines() == null ? List.of() : order.lines();
        Set<String> known = catalogue.products(lines.stream().map(CanonicalOrder.Line::sku)
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet())).keySet();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String sku = lines.get(i).sku();
            if (sku != null && !known.contains(sku)) {
                errors.add(FieldError.of("/lines/" + i + "/sku", "line " + lines.get(i).lineNo() + ": unknown SKU '" + sku
                        + "'; it is not in the catalogue"));
            }
        }
        return errors;
    }
}
