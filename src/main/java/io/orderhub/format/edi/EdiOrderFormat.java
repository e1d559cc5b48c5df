package io.orderhub.format.edi;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.format.DocumentFormat;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;
import io.orderhub.format.edi.EdiModel.Interchange;
import io.orderhub.format.edi.EdiModel.Issue;
import io.orderhub.format.edi.EdiModel.Transaction;

/**
 * Shared reading for the EDI formats: parse the interchange (StAEDI, {@link EdiParser}), map each
 * transaction set / message of the expected type with the format's XSLT mapping ({@link EdiMapping}),
 * and write the acknowledgement. One {@link MappedOrder} per transaction, at its position in the
 * interchange; a transaction with syntax errors is rejected with them (not mapped); transactions of
 * another type are rejected as such.
 */
abstract class EdiOrderFormat implements DocumentFormat {

    private final Clock clock;

    EdiOrderFormat(Clock clock) {
        this.clock = clock;
    }

    abstract String standard();

    abstract String transactionType();

    abstract String defaultMapping();

    abstract FormatResult.Acknowledgement acknowledge(Interchange interchange, ZonedDateTime now);

    @Override
    public String mappingFile(MappingContext context) {
        return context.mappingFile(id(), defaultMapping());
    }

    @Override
    public FormatResult read(byte[] document, MappingContext context) {
        Interchange interchange = EdiParser.parse(document, standard());
        FormatResult.Acknowledgement ack = acknowledge(interchange, ZonedDateTime.now(clock));
        if (!interchange.errors.isEmpty()) {
            return new FormatResult(List.of(), interchange.errors.stream().map(Issue::toError).toList(), ack);
        }
        List<Transaction> transactions = interchange.transactions();
        if (transactions.isEmpty()) {
            return new FormatResult(List.of(), List.of(FieldError.of("interchange", "holds no "
                    + transactionType() + (EdiParser.X12.equals(standard()) ? " transaction set" : " message"))), ack);
        }
        String name = context.mappingFile(id(), defaultMapping());
        EdiMapping mapping = context.mappings().cached(name, bytes -> EdiMapping.compile(name, bytes));
        List<MappedOrder> orders = new ArrayList<>();
        for (Transaction transaction : transactions) {
            orders.addAll(orders(interchange, transaction, mapping));
        }
        return new FormatResult(orders, List.of(), ack);
    }

    /** The orders of one transaction: one, or one per delivery when the mapping splits it (all at its position). */
    private List<MappedOrder> orders(Interchange interchange, Transaction transaction, EdiMapping mapping) {
        if (!transactionType().equals(transaction.type) || !transaction.accepted()) {
            return List.of(order(interchange, transaction, mapping));
        }
        List<MappedOrder> orders = new ArrayList<>();
        for (EdiMapping.Outcome outcome : mapping.mapEach(interchange, transaction)) {
            JsonNode order = outcome.order();
            String documentId = outcome.documentId() != null ? outcome.documentId()
                    : order != null && order.path("externalId").isTextual() ? order.path("externalId").asText()
                    : transaction.control;
            orders.add(new MappedOrder(order, documentId, transaction.number, outcome.errors()));
        }
        return orders;
    }

    private MappedOrder order(Interchange interchange, Transaction transaction, EdiMapping mapping) {
        String header = EdiParser.X12.equals(standard()) ? "ST" : "UNH";
        if (!transactionType().equals(transaction.type)) {
            int at = transaction.segments.isEmpty() ? 0 : transaction.segments.get(0).position();
            return new MappedOrder(null, transaction.control, transaction.number, List.of(FieldError.of(
                    "segment " + at + " (" + header + ") element " + (EdiParser.X12.equals(standard()) ? 1 : 2),
                    "'" + transaction.type + "' is not a " + transactionType() + "; this format reads only "
                            + transactionType())));
        }
        if (!transaction.accepted()) {
            // not mapped into an order; the mapping is still asked for the PO number, so the receipt can name it
            JsonNode partial = mapping.map(interchange, transaction).order();
            String documentId = partial != null && partial.path("externalId").isTextual()
                    ? partial.path("externalId").asText() : transaction.control;
            return new MappedOrder(null, documentId, transaction.number, transaction.errors());
        }
        EdiMapping.Outcome outcome = mapping.map(interchange, transaction);
        JsonNode order = outcome.order();
        String documentId = order != null && order.path("externalId").isTextual() ? order.path("externalId").asText()
                : transaction.control;
        return new MappedOrder(order, documentId, transaction.number,
                outcome.errors());
    }
}
