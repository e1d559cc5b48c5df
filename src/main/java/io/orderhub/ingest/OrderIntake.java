package io.orderhub.ingest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.format.CanonicalJsonFormat;
import io.orderhub.format.DocumentFormat;
import io.orderhub.format.FormatException;
import io.orderhub.format.FormatRegistry;
import io.orderhub.format.FormatResult;
import io.orderhub.format.MappedOrder;
import io.orderhub.format.MappingContext;
import io.orderhub.mapping.MappingFiles;
import io.orderhub.order.CanonicalOrderValidator;
import io.orderhub.order.OrderAmendments;
import io.orderhub.order.OrderService;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import org.springframework.stereotype.Service;

/**
 * Turns a stored inbound document into orders, step by step: recognise (find the channel, check it may send this
 * format over this transport, the mapping file), map the document to canonical orders, validate each
 * ({@link OrderChecks}), create each ({@link OrderCreation}). Whatever the outcome, the receipt records it: the
 * orders made (ACCEPTED), the orders it repeats (DUPLICATE) or every problem found (REJECTED). A document with one
 * order that cannot be taken is refused as a whole (422); in a document with several orders, each order succeeds or
 * fails on its own. The intake routes run the steps one by one ({@link TransportIntake}); {@link #submitDocument} and
 * {@link #submitCanonical} run them in one call (replay, tests).
 */
@Service
public class OrderIntake {

    private final ReceiptStore receipts;
    private final ChannelRegistry channels;
    private final ObjectMapper json;
    private final FormatRegistry formats;
    private final MappingFiles mappings;
    private final OrderChecks checks;
    private final OrderCreation creation;
    private final IntakePreview previews;

    public OrderIntake(ReceiptStore receipts, ChannelRegistry channels, CanonicalOrderValidator validator,
                       OrderService orders, ObjectMapper json, FormatRegistry formats, MappingFiles mappings,
                       List<IntakeCheck> checks, OrderAmendments amendments, List<LineTranslation> translations) {
        this.receipts = receipts;
        this.channels = channels;
        this.json = json;
        this.formats = formats;
        this.mappings = mappings;
        this.checks = new OrderChecks(validator, json, checks, translations);
        this.creation = new OrderCreation(receipts, orders, amendments, this.checks);
        this.previews = new IntakePreview(channels, formats, mappings, orders, amendments, this.checks);
    }

    /**
     * A canonical JSON order sent to {@code POST /api/orders}: the channel is the caller's own for
     * CHANNEL keys, and the document's {@code channel} field for OPS and ADMIN.
     */
    public Submission submitCanonical(String receiptId, byte[] body, Caller caller, String via) {
        DocumentIntake document = new DocumentIntake(receiptId, null, null, null, body, caller, via);
        return recording(receiptId, () -> {
            readCanonical(document);
            validate(document);
            return create(document);
        });
    }

    /**
     * A raw document sent for a channel ({@code POST /api/channels/{channel}/orders}, e-mail, JMS):
     * the format is the one named, or the one recognised from the content and content type.
     */
    public Submission submitDocument(String receiptId, String channelId, String formatHint, String contentType,
                                     byte[] body, Caller caller, String via) {
        DocumentIntake document = new DocumentIntake(receiptId, channelId, formatHint, contentType, body, caller, via);
        return recording(receiptId, () -> {
            recognise(document);
            map(document, document.mapping());
            validate(document);
            return create(document);
        });
    }

    /*
     * The steps, one by one, for the intake routes (TransportIntake runs them, each recording a refusal on the
     * receipt). A step throws OrderHubException for a refusal the sender must fix; anything else (the database
     * away) is the transport's to retry.
     */

    /**
     * Read a canonical order (instead of recognise and map: it needs no mapping): parsed once; the channel is the
     * caller's own for CHANNEL keys and the document's {@code channel} field for OPS and ADMIN.
     */
    void readCanonical(DocumentIntake document) {
        JsonNode order = parseCanonical(document.body());
        Channel channel = channelOf(order, document.caller());
        receipts.assignChannel(document.receiptId(), channel.id());
        allow(channel, CanonicalJsonFormat.ID, document.via());
        JsonNode externalId = order.path("externalId");
        document.channel = channel;
        document.formatId = CanonicalJsonFormat.ID;
        document.read = FormatResult.of(List.of(MappedOrder.of(order, externalId.isTextual() ? externalId.asText() : null,
                1)));
    }

    /** Recognise: the channel, whether it may send, the format (named or recognised) and the mapping it uses. */
    void recognise(DocumentIntake document) {
        Channel channel = channels.require(document.channelId(), "channel");
        Caller caller = document.caller();
        if (caller != null && !caller.maySee(channel.id())) {
            throw OrderHubException.field(Problem.FORBIDDEN, "channel", "your API key is bound to channel '"
                    + caller.channel() + "' and may not submit for '" + channel.id() + "'");
        }
        receipts.assignChannel(document.receiptId(), channel.id());
        DocumentFormat format = formats.resolve(document.formatHint(), document.body(), document.contentType());
        allow(channel, format.id(), document.via());
        document.channel = channel;
        document.format = format;
        document.formatId = format.id();
        document.mapping = format.mappingFile(new MappingContext(channel, mappings));
    }

    /** Map: the document to canonical order candidates with {@code mapping} (null: the format's own choice). */
    void map(DocumentIntake document, String mapping) {
        DocumentFormat format = document.format;
        FormatResult read = format.read(document.body(), new MappingContext(document.channel, mappings, mapping));
        if (read.orders().isEmpty()) {
            List<FieldError> errors = read.documentErrors().isEmpty()
                    ? List.of(FieldError.of("body", "holds no order")) : read.documentErrors();
            receipts.decide(document.receiptId(), ReceiptStatus.REJECTED, format.id(), null, List.of(), errors,
                    read.acknowledgement());
            throw new OrderHubException(Problem.INVALID, "the " + format.id() + " document cannot be read", errors);
        }
        document.read = read;
    }

    /** Validate: each mapped order (purpose, schema and rules, intake checks); nothing is stored. */
    void validate(DocumentIntake document) {
        List<PreparedOrder> prepared = new ArrayList<>();
        for (MappedOrder mapped : document.read.orders()) {
            prepared.add(checks.prepare(mapped, document.channel));
        }
        document.prepared = prepared;
    }

    /** Create: each valid order (or its cancellation, replacement, change), then the receipt's outcome. */
    Submission create(DocumentIntake document) {
        List<OrderResult> results = new ArrayList<>();
        boolean single = document.prepared.size() == 1;
        for (PreparedOrder prepared : document.prepared) {
            results.add(creation.act(prepared, document.channel, document.formatId, document.via(),
                    document.receiptId(), document.read.acknowledgement(), single));
        }
        return creation.decide(document.receiptId(), document.formatId, results, document.read.acknowledgement());
    }

    /**
     * Runs a document through every check {@link #submitDocument} runs, storing nothing, and says what the
     * submission would do: for integration engineers trying a mapping and partners testing a document.
     * With a channel: its mapping variants, the formats it may send, and whether an order repeats one the
     * channel already has (same external id). The catalogue and the other intake checks run either way.
     */
    public Preview preview(String formatHint, String channelId, String contentType, byte[] body) {
        return previews.preview(formatHint, channelId, contentType, body);
    }

    /**
     * Runs a stored document again through today's mappings, on the same receipt (its outcome is
     * replaced). Orders it already made are found again by (channel, externalId), never made twice.
     */
    public Submission replay(Receipt receipt, byte[] body) {
        if (receipt.channel() == null) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " has no channel (it was refused before its channel was known) and cannot be replayed");
        }
        if (receipt.truncated()) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " keeps only the start of an oversized document and cannot be replayed");
        }
        if (receipts.contentRemoved(receipt.receiptId())) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " no longer holds its document (removed by retention) and cannot be replayed");
        }
        if (new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).contains(io.orderhub.common.CardNumbers.REDACTED)) {
            throw OrderHubException.field(Problem.CONFLICT, "receiptId", "receipt " + receipt.receiptId()
                    + " held a payment card number, which was removed; the sender must send the document again without it");
        }
        receipts.reopen(receipt.receiptId());
        return submitDocument(receipt.receiptId(), receipt.channel(), null, receipt.contentType(), body, null,
                receipt.via());
    }

    private void allow(Channel channel, String format, String via) {
        if (!channel.allowsTransport(via)) {
            throw OrderHubException.field(Problem.FORBIDDEN, "channel",
                    "channel '" + channel.id() + "' may not send orders by " + via);
        }
        if (!channel.allowsFormat(format)) {
            throw OrderHubException.field(Problem.INVALID, "format",
                    "channel '" + channel.id() + "' may not send the " + format + " format; it allows " + channel.formats());
        }
    }

    private Channel channelOf(JsonNode document, Caller caller) {
        JsonNode named = document.path("channel");
        if (caller.role() == Role.CHANNEL) {
            if (named.isTextual() && !named.asText().equals(caller.channel())) {
                throw OrderHubException.field(Problem.FORBIDDEN, "/channel",
                        "your API key is bound to channel '" + caller.channel() + "' and may not submit for another");
            }
            return channels.require(caller.channel(), "channel");
        }
        if (!named.isTextual() || named.asText().isBlank()) {
            throw OrderHubException.field(Problem.INVALID, "/channel",
                    "is required when an " + caller.role() + " key submits an order");
        }
        String bad = io.orderhub.channel.ChannelIds.problem(named.asText());
        if (bad != null) {
            throw OrderHubException.field(Problem.INVALID, "/channel", bad);
        }
        return channels.find(named.asText()).orElseThrow(() -> OrderHubException.field(Problem.INVALID, "/channel",
                "channel " + io.orderhub.channel.ChannelIds.quoted(named.asText()) + " is not configured"));
    }

    private JsonNode parseCanonical(byte[] body) {
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "is empty; send one order as a JSON object");
        }
        try {
            JsonNode node = CanonicalJsonFormat.parse(json, body);
            if (!node.isObject()) {
                throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object holding one order");
            }
            return node;
        } catch (FormatException e) {
            throw new OrderHubException(Problem.MALFORMED, e.getMessage(), e.errors());
        }
    }

    /** Runs an intake step; a refusal is recorded on the receipt (if not already) before it is passed on. */
    <T> T recording(String receiptId, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (OrderHubException e) {
            receipts.rejectIfOpen(receiptId, e.errors().isEmpty() ? List.of(FieldError.of("", e.getMessage())) : e.errors());
            throw e;
        } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
            // a value the bounds let through but the arithmetic refuses: the sender's to fix, never left RECEIVED
            OrderHubException refused = OrderHubException.field(Problem.INVALID, "body",
                    "holds a value the hub cannot compute with (" + e.getClass().getSimpleName() + ")");
            receipts.rejectIfOpen(receiptId, refused.errors());
            throw refused;
        }
    }
}
