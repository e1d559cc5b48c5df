package io.orderhub.ingest;

import java.util.ArrayList;
import java.util.List;

import io.orderhub.channel.Channel;
import io.orderhub.common.FieldError;
import io.orderhub.common.Problem;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.DocumentPurpose;
import io.orderhub.order.OrderAmendments;
import io.orderhub.order.OrderService;

/**
 * The create step: acts on each validated order (creates it, or cancels, replaces or changes the order it names) and
 * records the document's outcome on its receipt (ACCEPTED, DUPLICATE or REJECTED with every reason).
 */
final class OrderCreation {

    private final ReceiptStore receipts;
    private final OrderService orders;
    private final OrderAmendments amendments;
    private final OrderChecks checks;

    OrderCreation(ReceiptStore receipts, OrderService orders, OrderAmendments amendments, OrderChecks checks) {
        this.receipts = receipts;
        this.orders = orders;
        this.amendments = amendments;
        this.checks = checks;
    }

    /**
     * Acts on one validated order. For a document holding this one order ({@code single}), the receipt's outcome
     * (ACCEPTED, the order number) is written in the transaction that stores the order: the database going away
     * between two commits cannot leave an order whose receipt says nothing happened.
     */
    OrderResult act(PreparedOrder prepared, Channel channel, String format, String via, String receiptId,
                    FormatResult.Acknowledgement ack, boolean single) {
        if (prepared.refused() != null) {
            return prepared.refused();
        }
        MappedOrder mapped = prepared.mapped();
        CanonicalOrder.Source source = new CanonicalOrder.Source(format, via, receiptId, mapped.documentId(),
                mapped.position());
        DocumentPurpose purpose = prepared.purpose();
        if (purpose == DocumentPurpose.CANCEL || purpose == DocumentPurpose.DUPLICATE) {
            return answer(mapped, amendments.apply(purpose, channel.id(), mapped.order().path("externalId").asText(),
                    null, source));
        }
        if (purpose == DocumentPurpose.CHANGE) {
            ChangeRequest request = prepared.change();
            return answer(mapped, amendments.change(channel.id(), request.externalId(), request.changes(),
                    request.header(), source, checks.changedOrderProblems(channel)));
        }
        CanonicalOrder order = prepared.order();
        if (purpose == DocumentPurpose.REPLACE) {
            return answer(mapped, amendments.apply(DocumentPurpose.REPLACE, channel.id(), order.externalId(), order,
                    source));
        }
        OrderService.Creation creation = orders.create(order, channel.id(), source,
                created -> {
                    if (single) {
                        receipts.decide(receiptId, ReceiptStatus.ACCEPTED, format, mapped.documentId(),
                                List.of(created.orderId()), List.of(), ack);
                    }
                });
        return new OrderResult(mapped.position(), mapped.documentId(),
                creation.created() ? OrderResult.Outcome.CREATED : OrderResult.Outcome.DUPLICATE,
                creation.order().orderId(), creation.order(), List.of());
    }

    private static OrderResult answer(MappedOrder mapped, OrderAmendments.Outcome outcome) {
        return switch (outcome.kind()) {
            case CANCELLED -> new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.CANCELLED,
                    outcome.order().orderId(), outcome.order(), List.of());
            case REPLACED -> new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.REPLACED,
                    outcome.order().orderId(), outcome.order(), List.of());
            case DUPLICATE -> new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.DUPLICATE,
                    outcome.order().orderId(), outcome.order(), List.of());
            // a refusal concerning a stored order keeps it (order, orderId) so the sender is told which order and 409
            case REFUSED -> new OrderResult(mapped.position(), mapped.documentId(), OrderResult.Outcome.REJECTED,
                    outcome.order() == null ? null : outcome.order().orderId(), outcome.order(),
                    List.of(FieldError.of("/purpose", outcome.reason())));
        };
    }

    /** Records the outcome on the receipt; a single rejected order refuses the whole request (422, or 409). */
    Submission decide(String receiptId, String format, List<OrderResult> results, FormatResult.Acknowledgement ack) {
        List<String> orderIds = results.stream().filter(r -> r.orderId() != null && r.status() != OrderResult.Outcome.REJECTED)
                .map(OrderResult::orderId).toList();
        List<FieldError> errors = new ArrayList<>();
        boolean many = results.size() > 1;
        for (OrderResult r : results) {
            for (FieldError e : r.errors()) {
                errors.add(many ? FieldError.of("order " + r.position() + (r.documentId() == null ? "" : " (" + r.documentId()
                        + ")") + " " + e.field(), e.message()) : e);
            }
        }
        ReceiptStatus status = results.stream().anyMatch(r -> r.status() == OrderResult.Outcome.CREATED
                || r.status() == OrderResult.Outcome.CANCELLED || r.status() == OrderResult.Outcome.REPLACED)
                ? ReceiptStatus.ACCEPTED
                : results.stream().anyMatch(r -> r.status() == OrderResult.Outcome.DUPLICATE) ? ReceiptStatus.DUPLICATE
                : ReceiptStatus.REJECTED;
        String documentId = results.size() == 1 ? results.get(0).documentId() : null;
        // a single new order has its receipt decided already, in the order's own transaction (act)
        if (many || results.get(0).status() != OrderResult.Outcome.CREATED) {
            receipts.decide(receiptId, status, format, documentId, orderIds, errors, ack);
        }
        if (!many && status == ReceiptStatus.REJECTED && results.get(0).order() != null) {
            // the document is valid but the order it names is past the point where it may change
            throw new DocumentRefused(Problem.CONFLICT, "the " + format + " document cannot act on order "
                    + results.get(0).orderId(), errors, results.get(0));
        }
        if (!many && status == ReceiptStatus.REJECTED) {
            throw new DocumentRefused(Problem.INVALID, "the order has " + errors.size()
                    + (errors.size() == 1 ? " problem" : " problems"), errors, results.get(0));
        }
        return new Submission(receiptId, format, results, ack);
    }
}
