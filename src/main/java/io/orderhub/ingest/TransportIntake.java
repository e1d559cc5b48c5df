package io.orderhub.ingest;

import java.util.List;

import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import org.springframework.stereotype.Service;

/**
 * The common path of documents that arrive without an HTTP caller (e-mail, JMS): store the raw
 * document first, then run it through {@link OrderIntake} (no API key: the transport found the
 * channel), and read the outcome back from the receipt, which always holds it, whether the intake
 * accepted the document or refused it.
 */
@Service
public class TransportIntake {

    private final ReceiptStore receipts;
    private final OrderIntake intake;

    public TransportIntake(ReceiptStore receipts, OrderIntake intake) {
        this.receipts = receipts;
        this.intake = intake;
    }

    /** Stores the document as received; commits before anything else happens. */
    public String store(String channel, String via, String contentType, byte[] body, boolean truncated) {
        return receipts.store(new InboundDocument(channel, via, contentType, body, truncated));
    }

    /**
     * Creates the orders of a stored document. Refusals the sender must fix (unknown channel, format
     * not allowed, invalid order) end in a REJECTED receipt and answer; anything else (database down)
     * is thrown so that the transport retries.
     */
    public TransportAnswer process(String receiptId, String channel, String formatHint, String contentType, byte[] body,
                                   String via) {
        List<OrderResult> results = List.of();
        try {
            results = intake.submitDocument(receiptId, channel, formatHint, contentType, body, null, via).results();
        } catch (DocumentRefused refused) {
            // OrderIntake has recorded the refusal on the receipt; the order's own outcome says which order refused
            results = List.of(refused.result());
        } catch (OrderHubException refused) {
            // OrderIntake has recorded the refusal on the receipt
        }
        TransportAnswer recorded = answer(receiptId);
        return new TransportAnswer(recorded.receiptId(), recorded.status(), recorded.orderIds(), recorded.errors(),
                results, recorded.acknowledgement());
    }

    /** Refuses a stored document before the intake (no channel, too large, ...), with every reason. */
    public TransportAnswer reject(String receiptId, List<FieldError> errors) {
        receipts.rejectIfOpen(receiptId, errors);
        return answer(receiptId);
    }

    /** The receipt's outcome as the sender is told it. */
    public TransportAnswer answer(String receiptId) {
        Receipt r = receipts.find(receiptId)
                .orElseThrow(() -> new IllegalStateException("receipt " + receiptId + " vanished"));
        return new TransportAnswer(r.receiptId(), r.status().name(), r.orderIds(), r.errors(), List.of(), r.acknowledgement());
    }
}
