package io.orderhub.inventory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.orderhub.common.FieldError;
import io.orderhub.order.CanonicalOrder;

/** One order line as whole units of a SKU. */
public record Demand(int lineNo, String sku, int quantity) {

    /** The order's lines as demands (sorted by SKU, then line), or the problems that make that impossible. */
    public static Result of(CanonicalOrder order) {
        List<Demand> demands = new ArrayList<>();
        List<FieldError> problems = new ArrayList<>();
        List<CanonicalOrder.Line> lines = order.lines() == null ? List.of() : order.lines();
        for (int i = 0; i < lines.size(); i++) {
            CanonicalOrder.Line line = lines.get(i);
            BigDecimal q = line.quantity();
            if (q == null || q.signum() <= 0 || q.stripTrailingZeros().scale() > 0 || q.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
                problems.add(FieldError.of("/lines/" + i + "/quantity", "line " + line.lineNo() + ": quantity " + q
                        + " is not a whole number of units between 1 and 1000000"));
                continue;
            }
            demands.add(new Demand(line.lineNo(), line.sku(), q.intValueExact()));
        }
        demands.sort(Comparator.comparing(Demand::sku).thenComparing(Demand::lineNo));
        return new Result(demands, problems);
    }

    public record Result(List<Demand> demands, List<FieldError> problems) {
    }
}
