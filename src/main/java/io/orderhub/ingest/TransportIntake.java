package io.orderhub.ingest;

import java.util.List;

import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.security.Caller;
import org.springframework.stereotype.Service;

/**
 * The intake's steps for the routes that show them (routes/jms-intake, email-intake, orders-api): store the raw
 * document first, then run it through {@link OrderIntake} step by step (recognise, map, validate, create), and
 * read the outcome back from the receipt, which always holds it, whether the intake accepted the document or
 * refused it. E-mail and JMS documents come without an API key (the transport found the channel) and a refusal
 * decides them; a REST request's ({@link #openRequest}) carries its caller and a refusal is thrown for its
 * problem answer.
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

    /*
     * The steps, for the routes that show each one (routes/*-intake.camel.yaml, orders-api.camel.yaml): open,
     * recognise, map, validate, create, then answer. A refusal is recorded on the receipt and decides the document,
     * and the later steps pass it by (a REST request's is thrown on); anything else is thrown for the transport to
     * retry, and a step tried again in place goes on from where its document is.
     */

    /** A stored document about to go through the steps; {@code earlier}: an answer that already decides it. */
    public DocumentIntake open(String receiptId, String channel, String formatHint, String contentType, byte[] body,
                               String via, TransportAnswer earlier) {
        DocumentIntake document = new DocumentIntake(receiptId, channel, formatHint, contentType, body, null, via);
        if (earlier != null) {
            document.decidedBefore(earlier);
        }
        return document;
    }

    /**
     * A REST request's stored document ({@code channel} null for a canonical order, whose channel
     * {@link #readCanonical} finds): a refusal is recorded on its receipt and thrown on, for the problem answer.
     */
    public DocumentIntake openRequest(String receiptId, String channel, String formatHint, String contentType,
                                      byte[] body, Caller caller, String via) {
        DocumentIntake document = new DocumentIntake(receiptId, channel, formatHint, contentType, body, caller, via);
        document.refusalsThrown = true;
        return document;
    }

    /** Read a canonical JSON order (recognise and map in one: it has no mapping) and find its channel. */
    public void readCanonical(DocumentIntake document) {
        step(document, () -> intake.readCanonical(document));
    }

    /** Recognise the format and the mapping file it uses ({@link DocumentIntake#mapping()}). */
    public void recognise(DocumentIntake document) {
        step(document, () -> intake.recognise(document));
    }

    /** Map with {@code mapping}, a file under mappings/ (null: the format's own choice). */
    public void map(DocumentIntake document, String mapping) {
        step(document, () -> intake.map(document, mapping));
    }

    /** Validate each mapped order. */
    public void validate(DocumentIntake document) {
        step(document, () -> intake.validate(document));
    }

    /**
     * Create the orders and decide the receipt. Tried again in place (the database went away), it first looks
     * whether the earlier try committed: then that outcome stands.
     */
    public void create(DocumentIntake document) {
        if (document.decided()) {
            return;
        }
        if (document.creating) {
            TransportAnswer earlier = answer(document.receiptId());
            if (!ReceiptStatus.RECEIVED.name().equals(earlier.status())) {
                document.decidedBefore(earlier);
                return;
            }
        }
        document.creating = true;
        step(document, () -> document.decide(intake.create(document)));
    }

    /** The document's outcome as the sender is told it, read from its receipt. */
    public TransportAnswer answer(DocumentIntake document) {
        if (document.earlier() != null) {
            return document.earlier();
        }
        TransportAnswer recorded = answer(document.receiptId());
        return new TransportAnswer(recorded.receiptId(), recorded.status(), recorded.orderIds(), recorded.errors(),
                document.results(), recorded.acknowledgement());
    }

    private void step(DocumentIntake document, Runnable step) {
        if (document.decided()) {
            return;
        }
        try {
            intake.recording(document.receiptId(), () -> {
                step.run();
                return null;
            });
        } catch (DocumentRefused refused) {
            // OrderIntake has recorded the refusal on the receipt; the order's own outcome says which order refused
            document.decide(List.of(refused.result()));
            if (document.refusalsThrown()) {
                throw refused;
            }
        } catch (OrderHubException refused) {
            // OrderIntake has recorded the refusal on the receipt
            document.decide(List.of());
            if (document.refusalsThrown()) {
                throw refused;
            }
        }
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
