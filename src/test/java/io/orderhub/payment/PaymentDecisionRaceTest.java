package io.orderhub.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.inventory.InventoryTestSupport;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.OrderRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A replacement document that commits while the payment stage decides (between its read of the order and its
 * record of the payment) must not leave a payment for the old total: every record of the decision first locks the
 * order's row and checks it is still the order read. The webshop channel is paid by hand in the test profile, so its
 * orders wait in CONFIRMED and the stage's methods are called here with the order as read before the replacement.
 */
class PaymentDecisionRaceTest extends InventoryTestSupport {

    @Autowired
    PaymentService paymentService;
    @Autowired
    OrderRepository orderRows;

    private ObjectNode paidBy(ObjectNode order, String method) {
        ObjectNode payment = order.putObject("payment").put("method", method);
        if (method.equals("prepaid")) {
            payment.put("reference", "BANK-" + UUID.randomUUID().toString().substring(0, 8));
        } else {
            payment.put("token", "tok_visa");
        }
        return order;
    }

    private String confirmedThenReplaced(String method, ObjectNode[] replacementOut) {
        String sku = product(10, 0);
        ObjectNode order = paidBy(orderFor("DE", sku, 1), method);
        String orderId = submit(WEBSHOP_KEY, order);
        awaitStatus(orderId, "CONFIRMED");
        ObjectNode replacement = paidBy(orderFor("DE", sku, 3), method);
        replacement.put("externalId", order.get("externalId").asText());
        replacement.set("payment", order.get("payment"));
        replacement.put("purpose", "REPLACE");
        replacementOut[0] = replacement;
        return orderId;
    }

    private int payments(String orderId) {
        Integer n = jdbc.queryForObject("select count(*) from payments where order_id = ?", Integer.class, orderId);
        return n == null ? 0 : n;
    }

    @Test
    void aPrepaidRecordForTheTotalReadBeforeAReplacementIsNotWrittenAndTheNewTotalIsRecorded() {
        ObjectNode[] replacement = new ObjectNode[1];
        String orderId = confirmedThenReplaced("prepaid", replacement);
        CanonicalOrder read = orderRows.find(orderId).orElseThrow();
        assertThat(read.totals().grandTotal()).isEqualByComparingTo("10");

        Response replaced = postJson("/api/orders", WEBSHOP_KEY, replacement[0]);
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.body().get("totals").get("grandTotal").decimalValue()).isEqualByComparingTo("30");

        assertThatThrownBy(() -> paymentService.recordPrepaid(UUID.randomUUID().toString(), read, read.payment(),
                read.totals().grandTotal())).isInstanceOf(PaymentService.OrderChangedMeanwhile.class);
        assertThat(payments(orderId)).isZero();
        assertThat(status(orderId)).isEqualTo("CONFIRMED");

        CanonicalOrder now = orderRows.find(orderId).orElseThrow();
        PaymentService.Result r = paymentService.recordPrepaid(UUID.randomUUID().toString(), now, now.payment(),
                now.totals().grandTotal());
        assertThat(r.outcome()).isEqualTo(PaymentService.Outcome.PAID);
        assertThat(jdbc.queryForObject("select amount from payments where order_id = ?", BigDecimal.class, orderId))
                .isEqualByComparingTo("30");
        assertThat(status(orderId)).isEqualTo("PAID");
    }

    @Test
    void aCardChargeForTheTotalReadBeforeAReplacementIsNeitherRecordedNorSent() {
        ObjectNode[] replacement = new ObjectNode[1];
        String orderId = confirmedThenReplaced("card", replacement);
        CanonicalOrder read = orderRows.find(orderId).orElseThrow();

        Response replaced = postJson("/api/orders", WEBSHOP_KEY, replacement[0]);
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);

        assertThatThrownBy(() -> paymentService.charge(UUID.randomUUID().toString(), read, read.payment(),
                read.totals().grandTotal())).isInstanceOf(PaymentService.OrderChangedMeanwhile.class);
        // no charge row, so no gateway call either (the row is written before the call), and the order may still change
        assertThat(payments(orderId)).isZero();
        assertThat(status(orderId)).isEqualTo("CONFIRMED");
    }

    /**
     * Once the prepaid record is written the replacement no longer races the decision: it is settled against the
     * payment. The allocation stage may or may not have taken the PAID order by then, so either the replacement is
     * refused (409, ALLOCATED: pick lists are issued) and the order keeps its total, or it is accepted and its
     * difference invoiced once. Either way what the payments hold is the order's grand total.
     */
    @Test
    void aReplacementAfterThePaymentIsWrittenIsSettledAgainstIt() {
        ObjectNode[] replacement = new ObjectNode[1];
        String orderId = confirmedThenReplaced("prepaid", replacement);
        CanonicalOrder read = orderRows.find(orderId).orElseThrow();
        paymentService.recordPrepaid(UUID.randomUUID().toString(), read, read.payment(), read.totals().grandTotal());

        Response answer = postJson("/api/orders", WEBSHOP_KEY, replacement[0]);

        BigDecimal total = orderRows.find(orderId).orElseThrow().totals().grandTotal();
        BigDecimal held = jdbc.queryForObject("select coalesce(sum(amount), 0) from payments where order_id = ?"
                + " and kind <> 'REFUND' and status = 'SUCCEEDED'", BigDecimal.class, orderId);
        if (answer.status() == 409) {
            assertThat(answer.body().toString()).as(answer.toString()).contains("ALLOCATED");
            assertThat(total).isEqualByComparingTo("10");
        } else {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(total).isEqualByComparingTo("30");
            assertThat(jdbc.queryForObject("select count(*) from payments where order_id = ? and kind = 'INVOICE'",
                    Integer.class, orderId)).isEqualTo(1);
        }
        assertThat(held).isEqualByComparingTo(total);
    }
}
