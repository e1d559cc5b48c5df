package io.orderhub.ingest.mail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.orderhub.common.FieldError;
import io.orderhub.format.FormatResult;
import io.orderhub.ingest.OrderResult;
import io.orderhub.ingest.TransportAnswer;

/**
 * The answer to an order mail: the subject says what became of it (accepted, cancelled, replaced, partly accepted,
 * rejected, change refused), the text each document's outcome with its receipt and every reason, and the EDI
 * acknowledgements travel as attachments.
 */
final class MailAnswers {

    private MailAnswers() {
    }

    static MailReply compose(String messageId, String to, String subject, List<OrderMail.Outcome> outcomes,
                             List<String> notRead, int maxAttachments) {
        long accepted = outcomes.stream().filter(o -> o.answer().accepted()).count();
        // what the documents did, when they all did the same: a cancellation is not an "accepted order"
        Set<OrderResult.Outcome> did = outcomes.stream().flatMap(o -> o.answer().results().stream())
                .map(OrderResult::status).collect(Collectors.toSet());
        String allDone = did.equals(Set.of(OrderResult.Outcome.CANCELLED)) ? "cancelled"
                : did.equals(Set.of(OrderResult.Outcome.REPLACED)) ? "replaced" : "accepted";
        boolean refusal = did.contains(OrderResult.Outcome.REJECTED) && outcomes.stream().flatMap(o -> o.answer().results()
                .stream()).allMatch(r -> r.status() == OrderResult.Outcome.REJECTED && r.orderId() != null);
        String verdict = accepted == outcomes.size() && notRead.isEmpty() ? allDone
                : accepted == 0 ? (refusal ? "change refused" : "rejected") : "partly accepted";
        StringBuilder text = new StringBuilder("Hello,\n\n");
        text.append("thank you for your order e-mail. Here is what became of it:\n");
        for (OrderMail.Outcome o : outcomes) {
            describe(text, o);
        }
        for (String name : notRead) {
            text.append("\n").append(name).append(": not read; an e-mail may carry at most ").append(maxAttachments)
                    .append(" attachments. Please send it again in another e-mail.\n");
        }
        text.append("\nKind regards,\nOrderHub\n");
        List<MailReply.Attachment> attachments = new ArrayList<>();
        for (OrderMail.Outcome o : outcomes) {
            FormatResult.Acknowledgement ack = o.answer().acknowledgement();
            if (ack != null && ack.body() != null) {
                attachments.add(new MailReply.Attachment(o.answer().receiptId() + "-" + ack.type() + ".edi",
                        ack.contentType() == null ? "application/edi-x12" : ack.contentType(),
                        ack.body().getBytes(StandardCharsets.UTF_8)));
            }
        }
        String subjectLine = "Order " + verdict + (subject.isBlank() ? "" : ": " + subject);
        return new MailReply(messageId, to, subjectLine, text.toString(), attachments, accepted > 0);
    }

    /** One document's paragraph: what it did (per order where it acted on stored orders), its receipt, every reason. */
    private static void describe(StringBuilder text, OrderMail.Outcome o) {
        TransportAnswer a = o.answer();
        text.append("\n").append(o.name()).append(": ");
        boolean acted = a.results().stream().anyMatch(r -> r.status() == OrderResult.Outcome.CANCELLED
                || r.status() == OrderResult.Outcome.REPLACED
                || r.status() == OrderResult.Outcome.REJECTED && r.orderId() != null);
        if (acted) {
            // a cancellation or replacement: say what it did to which order, per order of the document
            List<String> said = new ArrayList<>();
            for (OrderResult r : a.results()) {
                said.add(switch (r.status()) {
                    case CREATED -> "accepted, order number " + r.orderId();
                    case CANCELLED -> "cancelled order " + r.orderId();
                    case REPLACED -> "replaced order " + r.orderId() + " (" + r.order().status() + ")";
                    case DUPLICATE -> "received before, order number " + r.orderId();
                    case REJECTED -> r.orderId() == null ? "rejected"
                            : "refused for order " + r.orderId() + " (" + r.order().status() + ")";
                });
            }
            text.append(String.join("; ", said));
        } else {
            switch (a.status()) {
                // no orders: a document taken as something else (the partner's 997/CONTRL for our documents)
                case "ACCEPTED" -> text.append(a.orderIds().isEmpty() ? "received (it holds no order)"
                        : "accepted, order number" + (a.orderIds().size() > 1 ? "s " : " ") + String.join(", ", a.orderIds()));
                case "DUPLICATE" -> text.append("received before, order number")
                        .append(a.orderIds().size() > 1 ? "s " : " ").append(String.join(", ", a.orderIds()));
                default -> text.append("rejected");
            }
        }
        text.append(" (receipt ").append(a.receiptId()).append(")\n");
        for (FieldError e : a.errors()) {
            text.append("  - ").append(e.field() == null || e.field().isEmpty() ? "" : e.field() + ": ")
                    .append(e.message()).append("\n");
        }
    }
}
