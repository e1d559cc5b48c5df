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
        /**
         * the channel already has an order with this external id, or the document is a copy (purpose DUPLICATE), or
         * a replacement/change/cancellation that changes nothing: it would be answered, nothing created or changed
         */
        DUPLICATE,
        /** a cancellation (purpose CANCEL): order {@code existingOrderId} would be cancelled with compensation */
        CANCEL,
        /** a replacement (purpose REPLACE): order {@code existingOrderId}'s content would be replaced */
        REPLACE,
        /** a change document (X12 860, EDIFACT ORDCHG): order {@code existingOrderId}'s lines would be changed */
        CHANGE,
        /**
         * a cancellation, replacement or change that order {@code existingOrderId} refuses in its present state
         * (e.g. SHIPPED, PAID, ALLOCATED, stock short): the reason is the error on {@code /purpose}; 409
         */
        REFUSE,
        /** a cancellation, replacement, change or copy naming an externalId the channel never sent; 422 */
        UNKNOWN_ORDER,
        /** the order would be refused with the errors given */
        REJECT,
        /** valid, but without a channel the hub cannot tell whether it repeats an existing order */
        VALID_WITHOUT_CHANNEL
    }

    /**
     * One order: {@code valid} when no problem was found; {@code existingOrderId} names the stored order the
     * document repeats or acts on (DUPLICATE, CANCEL, REPLACE, CHANGE, REFUSE); {@code detail} says in words what
     * would happen (the order's state, the lines and total before and after, the reason of a refusal).
     */
    public record PreviewOrder(int position, String documentId, boolean valid, JsonNode order, List<FieldError> errors,
                               Outcome outcome, String existingOrderId, String detail) {
    }
}
