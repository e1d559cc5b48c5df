package io.orderhub.inventory;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.FieldError;
import io.orderhub.common.ItemNumbers;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.ingest.LineTranslation;
import io.orderhub.order.CanonicalOrder;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The per-channel item cross-reference: a partner's item number (the buyer's own number, our article number
 * as the partner writes it, or a GTIN) -> our SKU. Kept by operators ({@code PUT/DELETE /api/item-xref/{channel}})
 * and by the ERP catalogue feed ({@code products[].crossReferences}). At intake each line's {@code sku}, then
 * its {@code buyerSku}, is looked up for the sending channel; a hit makes the line's sku ours and keeps the
 * document's number in {@code partnerSku} (a buyerSku hit keeps it in buyerSku). A number with no entry is
 * left as the document wrote it: the catalogue check then decides.
 */
@Service
public class ItemCrossReference implements LineTranslation {

    /** What the partner's number is. */
    public enum Kind { BUYER, SUPPLIER, GTIN }

    public record Entry(String channel, String partnerItem, Kind kind, String sku, String source) {
    }

    public record Stored(Entry entry, boolean created) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ChannelRegistry channels;
    private final Clock clock;

    public ItemCrossReference(NamedParameterJdbcTemplate jdbc, ChannelRegistry channels, Clock clock) {
        this.jdbc = jdbc;
        this.channels = channels;
        this.clock = clock;
    }

    /** {@code PUT /api/item-xref/{channel}} {@code {partnerItem, sku, kind?}} (kind defaults to BUYER). */
    public Stored put(String channel, JsonNode body, String source) {
        channels.require(channel, "channel");
        if (body == null || !body.isObject()) {
            throw OrderHubException.field(Problem.MALFORMED, "body", "must be a JSON object {partnerItem, sku, kind?}");
        }
        List<FieldError> errors = new ArrayList<>();
        String partnerItem = itemNumber(body, "partnerItem", errors);
        String sku = itemNumber(body, "sku", errors);
        Kind kind = Kind.BUYER;
        JsonNode k = body.get("kind");
        if (k != null && !k.isNull()) {
            try {
                kind = Kind.valueOf(k.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("/kind", "must be BUYER, SUPPLIER or GTIN"));
            }
        }
        if (!errors.isEmpty()) {
            throw new OrderHubException(Problem.INVALID, "the cross-reference entry has " + errors.size() + " problem(s)", errors);
        }
        return put(new Entry(channel, partnerItem, kind, sku, source));
    }

    /** Stores one entry (the ERP feed calls this inside its own transaction). */
    public Stored put(Entry e) {
        MapSqlParameterSource params = new MapSqlParameterSource("channel", e.channel())
                .addValue("item", e.partnerItem()).addValue("kind", e.kind().name()).addValue("sku", e.sku())
                .addValue("source", e.source()).addValue("now", Timestamp.from(clock.instant()));
        int updated = jdbc.update("""
                update item_cross_reference set kind = :kind, sku = :sku, source = :source, updated_at = :now
                 where channel = :channel and partner_item = :item
                """, params);
        if (updated == 0) {
            jdbc.update("""
                    insert into item_cross_reference (channel, partner_item, kind, sku, source, updated_at)
                    values (:channel, :item, :kind, :sku, :source, :now)
                    """, params);
        }
        return new Stored(e, updated == 0);
    }

    /** {@code DELETE /api/item-xref/{channel}?partnerItem=}: 404 when there is no such entry. */
    public void delete(String channel, String partnerItem) {
        channels.require(channel, "channel");
        int deleted = jdbc.update("delete from item_cross_reference where channel = :channel and partner_item = :item",
                new MapSqlParameterSource("channel", channel).addValue("item", partnerItem == null ? "" : partnerItem));
        if (deleted == 0) {
            throw OrderHubException.field(Problem.NOT_FOUND, "partnerItem", "channel '" + channel
                    + "' has no cross-reference for '" + partnerItem + "'");
        }
    }

    /** {@code GET /api/item-xref/{channel}}: every entry of the channel, by partner item number. */
    public List<Entry> list(String channel) {
        channels.require(channel, "channel");
        return jdbc.query("""
                select channel, partner_item, kind, sku, source from item_cross_reference
                 where channel = :channel order by partner_item
                """, new MapSqlParameterSource("channel", channel), (rs, n) -> new Entry(rs.getString("channel"),
                rs.getString("partner_item"), Kind.valueOf(rs.getString("kind")), rs.getString("sku"), rs.getString("source")));
    }

    @Override
    public CanonicalOrder translate(CanonicalOrder order, String channel) {
        if (channel == null || order.lines() == null || order.lines().isEmpty()) {
            return order;
        }
        Set<String> numbers = new LinkedHashSet<>();
        for (CanonicalOrder.Line line : order.lines()) {
            if (line.sku() != null) {
                numbers.add(line.sku());
            }
            if (line.buyerSku() != null) {
                numbers.add(line.buyerSku());
            }
        }
        if (numbers.isEmpty()) {
            return order;
        }
        Map<String, String> ours = jdbc.query("""
                select partner_item, sku from item_cross_reference where channel = :channel and partner_item in (:items)
                """, new MapSqlParameterSource("channel", channel).addValue("items", numbers),
                (rs, n) -> Map.entry(rs.getString("partner_item"), rs.getString("sku")))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (ours.isEmpty()) {
            return order;
        }
        List<CanonicalOrder.Line> lines = order.lines().stream().map(translateLine(ours)).toList();
        return order.withLines(lines);
    }

    private static Function<CanonicalOrder.Line, CanonicalOrder.Line> translateLine(Map<String, String> ours) {
        return line -> {
            if (line.sku() != null && ours.containsKey(line.sku())) {
                String sku = ours.get(line.sku());
                return sku.equals(line.sku()) ? line : line.withSku(sku, line.sku());
            }
            if (line.buyerSku() != null && ours.containsKey(line.buyerSku())) {
                String sku = ours.get(line.buyerSku());
                return sku.equals(line.sku()) ? line : line.withSku(sku, line.sku());
            }
            return line;
        };
    }

    private static String itemNumber(JsonNode body, String field, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual() || !ItemNumbers.valid(n.asText())) {
            errors.add(FieldError.of("/" + field, ItemNumbers.RULE));
            return null;
        }
        return n.asText();
    }
}
