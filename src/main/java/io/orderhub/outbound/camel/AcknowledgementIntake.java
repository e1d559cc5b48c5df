package io.orderhub.outbound.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.ingest.DocumentIntake;
import io.orderhub.ingest.ReceiptStatus;
import io.orderhub.ingest.ReceiptStore;
import io.orderhub.ingest.camel.IntakeSteps;
import io.orderhub.outbound.Acknowledgements;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The e-mail and JMS intake's step for a partner's functional acknowledgement (routes/email-intake and
 * routes/jms-intake, before the order steps): a stored document of a known channel that is an X12 997/999 or
 * an EDIFACT CONTRL, or a UBL ApplicationResponse ({@link Acknowledgements#kind}), is matched to the channel's documents like one posted to
 * {@code POST /api/channels/{channel}/acknowledgements}; its receipt is decided ACCEPTED (format {@code x12-997},
 * {@code edifact-contrl} or {@code ubl-application-response}), or REJECTED when it names none of our documents or cannot be read, and the order
 * steps pass it by (no order, and no 997 answering the 997). Any other document goes on to the order steps.
 */
@Component("acknowledgementIntake")
public class AcknowledgementIntake {

    private static final Logger log = LoggerFactory.getLogger(AcknowledgementIntake.class);

    private final Acknowledgements acknowledgements;
    private final ReceiptStore receipts;

    public AcknowledgementIntake(Acknowledgements acknowledgements, ReceiptStore receipts) {
        this.acknowledgements = acknowledgements;
        this.receipts = receipts;
    }

    public void take(Exchange exchange) {
        DocumentIntake document = IntakeSteps.document(exchange);
        if (document == null || document.decided() || document.channelName() == null) {
            return;
        }
        Optional<String> kind = Acknowledgements.kind(document.content());
        if (kind.isEmpty()) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        try {
            List<Acknowledgements.Outcome> outcomes = acknowledgements.apply(document.channelName(), document.content());
            for (Acknowledgements.Outcome o : outcomes) {
                if (o.matched()) {
                    documents.add(o.documentId());
                } else if (io.orderhub.outbound.UblDocuments.UBL.equals(o.standard())) {
                    errors.add(new FieldError("body", "the ApplicationResponse names " + o.groupControl()
                            + ", no UBL document sent to channel " + document.channelName() + " that it can answer"
                            + (o.reason() == null ? "" : " (" + o.reason() + ")")));
                } else {
                    errors.add(new FieldError("body", "the acknowledgement names group " + o.groupControl()
                            + (o.setControl() == null ? "" : " set " + o.setControl()) + ", no document sent to channel "
                            + document.channelName()));
                }
            }
        } catch (OrderHubException e) {
            errors.addAll(e.errors().isEmpty() ? List.of(new FieldError("body", e.getMessage())) : e.errors());
        }
        ReceiptStatus status = documents.isEmpty() ? ReceiptStatus.REJECTED : ReceiptStatus.ACCEPTED;
        receipts.decide(document.receiptId(), status, kind.get(), documents.isEmpty() ? null : String.join(",", documents),
                List.of(), errors);
        document.takenElsewhere();
        log.info("{} of channel {} (receipt {}): {} matched {}", kind.get(), document.channelName(), document.receiptId(),
                status, documents);
    }
}
