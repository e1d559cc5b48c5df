package io.orderhub.ingest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.common.FieldError;
import io.orderhub.format.FormatResult;

/**
 * What a document would become, without storing anything: the format it is read as, problems with the
 * document as a whole (including the channel's rules: a format it may not send), and per order the
 * canonical order, every problem a submission would find (mapping, validation, catalogue and the other
 * intake checks) and what the submission would do with it.
 */
public record Preview(String format, List<FieldError> documentErrors, List<PreviewOrder> orders,
                      FormatResult.Acknowledgement acknowledgement) {

    /** What a submission of the order would do. */
    public enum Outcome {
        /** a new order would be created */
        CREATE,
        /** the channel already has an order with this external id: it would be answered, nothing created */
        DUPLICATE,
        /** the order would be refused with the errors given */
        REJECT,
        /** valid, but without a channel the hub cannot tell whether it repeats an existing order */
        VALID_WITHOUT_CHANNEL
    }

    /**
     * One order: {@code valid} when no problem was found; {@code existingOrderId} names the order it
     * repeats when the outcome is DUPLICATE.
     */
    public record PreviewOrder(int position, String documentId, boolean valid, JsonNode order, List<FieldError> errors,
                               Outcome outcome, String existingOrderId) {
    }
}
