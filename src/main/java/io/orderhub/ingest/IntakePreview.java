package io.orderhub.ingest;

import java.util.ArrayList;
import java.util.List;

import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.format.DocumentFormat;
import io.orderhub.format.FormatRegistry;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrder;
import io.orderhub.order.DocumentPurpose;
import io.orderhub.order.OrderAmendments;
import io.orderhub.order.OrderService;

/**
 * Runs a document through every check a submission runs, storing nothing, and says what the submission would do
 * ({@link OrderIntake#preview}): the same validate step ({@link OrderChecks}) and, instead of acting, what the action
 * would do.
 */
final class IntakePreview {

    private final ChannelRegistry channels;
    private final FormatRegistry formats;
    private final MappingFiles mappings;
    private final OrderService orders;
    private final OrderAmendments amendments;
    private final OrderChecks checks;

    IntakePreview(ChannelRegistry channels, FormatRegistry formats, MappingFiles mappings, OrderService orders,
                  OrderAmendments amendments, OrderChecks checks) {
        this.channels = channels;
        this.formats = formats;
        this.mappings = mappings;
        this.orders = orders;
        this.amendments = amendments;
        this.checks = checks;
    }

    Preview preview(String formatHint, String channelId, String contentType, byte[] body) {
        Channel channel = channelId == null || channelId.isBlank() ? null : channels.require(channelId, "channel");
        DocumentFormat format = formats.resolve(formatHint, body, contentType);
        FormatResult read = format.read(body, new MappingContext(channel, mappings));
        List<FieldError> documentErrors = new ArrayList<>(read.documentErrors());
        if (channel != null && !channel.allowsFormat(format.id())) {
            documentErrors.add(FieldError.of("format", "channel '" + channel.id() + "' may not send the " + format.id()
                    + " format; it allows " + channel.formats()));
        }
        List<Preview.PreviewOrder> previewed = new ArrayList<>();
        for (MappedOrder asMapped : read.orders()) {
            // as a submission: ids trimmed and NFC-normalised before the checks and the duplicate lookup
            previewed.add(foresee(checks.normalized(asMapped), channel, !documentErrors.isEmpty()));
        }
        return new Preview(format.id(), documentErrors, previewed, read.acknowledgement());
    }

    /**
     * One order of a previewed document: the same steps as the validate step in the same order (purpose, then the
     * checks that purpose needs), and instead of acting, what the action would do ({@link OrderAmendments#foresee}
     * for a cancellation, replacement, change or copy).
     */
    private Preview.PreviewOrder foresee(MappedOrder mapped, Channel channel, boolean documentRefused) {
        OrderChecks.Purpose named = OrderChecks.purposeOf(mapped);
        if (named.error() != null) {
            return previewed(mapped, false, List.of(named.error()), Preview.Outcome.REJECT, null, null);
        }
        DocumentPurpose purpose = named.purpose();
        List<FieldError> errors;
        String externalId = null;
        CanonicalOrder order = null;
        ChangeRequest change = null;
        if (purpose == DocumentPurpose.CANCEL || purpose == DocumentPurpose.DUPLICATE) {
            errors = OrderChecks.referenceErrors(purpose, mapped, channel);
            externalId = mapped.order().path("externalId").asText();
        } else if (purpose == DocumentPurpose.CHANGE) {
            change = ChangeRequest.of(mapped, channel);
            errors = change.errors();
            externalId = change.externalId();
        } else {
            errors = new ArrayList<>();
            if (mapped.order() != null && mapped.order().path("lines").size() > checks.maxLines()) {
                errors.add(FieldError.of("/lines", "has " + mapped.order().path("lines").size()
                        + " lines; at most " + checks.maxLines() + " are accepted in one order"));
            }
            OrderChecks.Checked checked = errors.isEmpty() ? checks.check(mapped, channel)
                    : new OrderChecks.Checked(null, errors);
            errors = checked.errors();
            order = checked.order();
            externalId = order == null ? null : order.externalId();
        }
        boolean valid = errors.isEmpty() && mapped.order() != null;
        if (!errors.isEmpty() || documentRefused) {
            return previewed(mapped, valid, errors, Preview.Outcome.REJECT, null, null);
        }
        if (channel == null) {
            return previewed(mapped, true, errors, Preview.Outcome.VALID_WITHOUT_CHANNEL, null, null);
        }
        if (purpose == DocumentPurpose.ORIGINAL) {
            String existing = orders.existing(channel.id(), externalId).map(CanonicalOrder::orderId).orElse(null);
            return existing == null
                    ? previewed(mapped, true, errors, Preview.Outcome.CREATE, null, "a new order would be created")
                    : previewed(mapped, true, errors, Preview.Outcome.DUPLICATE, existing, "the channel sent externalId '"
                            + externalId + "' before: answered with order " + existing + ", nothing created");
        }
        OrderAmendments.Outcome would = amendments.foresee(purpose, channel.id(), externalId, order,
                change == null ? null : change.changes(), change == null ? null : change.header(),
                change == null ? null : checks.changedOrderProblems(channel));
        return switch (would.kind()) {
            case CANCELLED -> previewed(mapped, true, errors, Preview.Outcome.CANCEL, would.order().orderId(), would.reason());
            case REPLACED -> previewed(mapped, true, errors, purpose == DocumentPurpose.CHANGE ? Preview.Outcome.CHANGE
                    : Preview.Outcome.REPLACE, would.order().orderId(), would.reason());
            case DUPLICATE -> previewed(mapped, true, errors, Preview.Outcome.DUPLICATE, would.order().orderId(),
                    would.reason());
            case REFUSED -> would.order() == null
                    ? previewed(mapped, false, List.of(FieldError.of("/purpose", would.reason())),
                            Preview.Outcome.UNKNOWN_ORDER, null, would.reason())
                    : previewed(mapped, false, List.of(FieldError.of("/purpose", would.reason())),
                            Preview.Outcome.REFUSE, would.order().orderId(), would.reason());
        };
    }

    private static Preview.PreviewOrder previewed(MappedOrder mapped, boolean valid, List<FieldError> errors,
                                                  Preview.Outcome outcome, String existing, String detail) {
        return new Preview.PreviewOrder(mapped.position(), mapped.documentId(), valid, mapped.order(), errors, outcome,
                existing, detail);
    }
}
