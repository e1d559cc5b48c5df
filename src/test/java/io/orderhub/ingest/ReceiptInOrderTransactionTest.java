package io.orderhub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.format.FormatRegistry;
import io.orderhub.format.FormatResult;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrderValidator;
import io.orderhub.order.OrderService;
import io.orderhub.security.Caller;
import io.orderhub.support.HubTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * A single-order document's receipt is decided in the transaction that stores the order: the database going
 * away between the two cannot leave an order whose receipt says nothing happened (RECEIVED, no order number),
 * which PostgresOutageTest found when PostgreSQL stopped between the order's commit and the receipt's update.
 * Here the receipt's update fails as it does then; the order must not be stored without it.
 */
class ReceiptInOrderTransactionTest extends HubTestSupport {

    @Autowired
    NamedParameterJdbcTemplate named;
    @Autowired
    Clock clock;
    @Autowired
    ApplicationContext context;
    @Autowired
    ChannelRegistry channels;
    @Autowired
    CanonicalOrderValidator validator;
    @Autowired
    OrderService orders;
    @Autowired
    FormatRegistry formats;
    @Autowired
    MappingFiles mappings;
    @Autowired
    List<IntakeCheck> checks;
    @Autowired
    io.orderhub.order.OrderAmendments amendments;
    @Autowired
    OrderIntake realIntake;
    @Autowired
    ReceiptStore realReceipts;

    /** The receipts, except that recording an acceptance fails as if the database had just gone away. */
    class DatabaseGoneAtTheAcceptance extends ReceiptStore {
        DatabaseGoneAtTheAcceptance() {
            super(named, json, clock, context.getBeanProvider(RejectedReceiptListener.class),
                    context.getBean(io.orderhub.crypto.DataCipher.class));
        }

        @Override
        public void decide(String receiptId, ReceiptStatus status, String format, String documentId, List<String> orderIds,
                           List<FieldError> errors, FormatResult.Acknowledgement ack) {
            if (status == ReceiptStatus.ACCEPTED) {
                throw new DataAccessResourceFailureException("PreparedStatementCallback; update receipts",
                        new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
            }
            super.decide(receiptId, status, format, documentId, orderIds, errors, ack);
        }
    }

    @Test
    void anOrderIsNeverStoredWithoutItsReceiptRecordingIt() {
        ReceiptStore failing = new DatabaseGoneAtTheAcceptance();
        OrderIntake intake = new OrderIntake(failing, channels, validator, orders, json, formats, mappings, checks, amendments,
                List.of());
        ObjectNode order = order();
        String externalId = order.get("externalId").asText();
        byte[] body = order.toString().getBytes(StandardCharsets.UTF_8);
        String receiptId = realReceipts.store(new InboundDocument(null, "rest", "application/json", body, false));

        assertThatThrownBy(() -> intake.submitCanonical(receiptId, body, Caller.channel("demo-webshop", "webshop"), "rest"))
                .isInstanceOf(DataAccessResourceFailureException.class);

        // all or nothing: no order (the sender was told 503 and sends it again), the receipt still open
        assertThat(jdbc.queryForObject("select count(*) from orders where channel = 'webshop' and external_id = ?",
                Long.class, externalId)).as("orders stored although the receipt's acceptance failed").isZero();
        assertThat(jdbc.queryForObject("select status from receipts where receipt_id = ?", String.class, receiptId))
                .isEqualTo("RECEIVED");

        // the resend makes the order once, with its receipt ACCEPTED and naming it
        String resent = realReceipts.store(new InboundDocument(null, "rest", "application/json", body, false));
        Submission s = realIntake.submitCanonical(resent, body, Caller.channel("demo-webshop", "webshop"), "rest");
        String orderId = s.results().get(0).orderId();
        assertThat(s.results().get(0).status()).isEqualTo(OrderResult.Outcome.CREATED);
        assertThat(jdbc.queryForObject("select status || ' ' || order_ids from receipts where receipt_id = ?", String.class,
                resent)).isEqualTo("ACCEPTED [\"" + orderId + "\"]");
        assertThat(jdbc.queryForObject("select receipt_id from orders where order_id = ?", String.class, orderId))
                .isEqualTo(resent);
    }
}
