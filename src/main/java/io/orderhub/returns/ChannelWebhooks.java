package io.orderhub.returns;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderhub.channel.Channel;
import io.orderhub.channel.ChannelRegistry;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Webhooks a channel's shop platform sends the hub itself ({@code POST /api/webhooks/channels/{channel}},
 * routes/channel-webhooks.camel.yaml), with no API key: the platform's HMAC-SHA256 signature under the channel's
 * {@code webhookSecret} (channels.yaml, a placeholder resolved here) proves the channel.
 * <ul>
 * <li><b>Shopify</b>: {@code X-Shopify-Hmac-Sha256}, {@code X-Shopify-Topic}, {@code X-Shopify-Webhook-Id};
 * {@code returns/request|approve|decline|cancel|close} go to {@link ChannelReturns} through
 * {@code mappings/returns/shopify.jsonata}, {@code refunds/create} to {@link ChannelRefunds} through
 * {@code mappings/refunds/shopify.jsonata}; another topic is acknowledged and ignored.</li>
 * <li><b>WooCommerce</b>: {@code X-WC-Webhook-Signature}, {@code X-WC-Webhook-Topic}, {@code X-WC-Webhook-Delivery-ID};
 * a topic naming a refund posts the refund ({@code mappings/refunds/woocommerce.jsonata}); another is ignored.</li>
 * </ul>
 * A missing or wrong signature, an unknown channel or one without a secret: 401 and nothing stored. Each applied
 * delivery is recorded by its id in {@code channel_webhooks}; the same id again answers the first outcome and
 * changes nothing. (The effects are idempotent by themselves too: one return per platform return, one per refund,
 * so a crash between the effect and the record is harmless when the platform sends the delivery again.) A delivery
 * that was refused (409, 404, 422) is not recorded: the platform's retry is taken again.
 */
@Component
public class ChannelWebhooks {

    private static final Logger log = LoggerFactory.getLogger(ChannelWebhooks.class);

    public static final String SHOPIFY = "shopify";
    public static final String WOOCOMMERCE = "woocommerce";

    /** A verified delivery: who sent it, what it is, and the mapping its body goes through (null: nothing to map). */
    public record Delivery(String channel, String platform, String topic, String webhookId, String mapping,
                           Map<String, Object> answer) {
    }

    private final ChannelRegistry channels;
    private final Environment environment;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final ChannelRefunds refunds;
    private final ChannelReturns returns;

    ChannelWebhooks(ChannelRegistry channels, Environment environment, NamedParameterJdbcTemplate jdbc, Clock clock,
                    ChannelRefunds refunds, ChannelReturns returns) {
        this.channels = channels;
        this.environment = environment;
        this.jdbc = jdbc;
        this.clock = clock;
        this.refunds = refunds;
        this.returns = returns;
    }

    /**
     * Checks the signature over the raw body (401), the platform's format for the channel and the delivery's topic
     * and id (422 naming the header); a delivery seen before or of a topic the hub does not take is answered at once
     * ({@link Delivery#answer}, no mapping).
     */
    public Delivery verify(String channelId, UnaryOperator<String> headers, byte[] body) {
        String platform;
        String signatureHeader;
        String topicHeader;
        String idHeader;
        if (headers.apply("X-Shopify-Hmac-Sha256") != null) {
            platform = SHOPIFY;
            signatureHeader = "X-Shopify-Hmac-Sha256";
            topicHeader = "X-Shopify-Topic";
            idHeader = "X-Shopify-Webhook-Id";
        } else if (headers.apply("X-WC-Webhook-Signature") != null) {
            platform = WOOCOMMERCE;
            signatureHeader = "X-WC-Webhook-Signature";
            topicHeader = "X-WC-Webhook-Topic";
            idHeader = "X-WC-Webhook-Delivery-ID";
        } else {
            throw OrderHubException.field(Problem.UNAUTHENTICATED, "X-Shopify-Hmac-Sha256",
                    "a channel webhook is signed: X-Shopify-Hmac-Sha256 (Shopify) or X-WC-Webhook-Signature (WooCommerce)"
                            + " is missing");
        }
        Optional<Channel> channel = channels.find(channelId);
        String secret = channel.map(Channel::webhookSecret).map(this::resolve).orElse(null);
        String problem = ChannelWebhookSignature.problem(headers.apply(signatureHeader), signatureHeader, body, secret);
        if (problem != null) {
            if (channel.isPresent() && channel.get().webhookSecret() != null && secret == null) {
                log.warn("channel {} webhook refused: its webhookSecret {} is not set", channelId,
                        channel.get().webhookSecret());
            }
            throw OrderHubException.field(Problem.UNAUTHENTICATED, signatureHeader, problem);
        }
        if (!channel.get().allowsFormat(platform)) {
            throw OrderHubException.field(Problem.INVALID, signatureHeader, "channel '" + channelId + "' may not send the "
                    + platform + " format; it allows " + channel.get().formats());
        }
        String topic = header(headers, topicHeader, 100);
        String webhookId = header(headers, idHeader, 200);
        Optional<Map<String, Object>> seen = jdbc.query("""
                select topic, outcome, return_id from channel_webhooks where channel = :channel and webhook_id = :id
                """, new MapSqlParameterSource("channel", channelId).addValue("id", webhookId), rs -> rs.next()
                ? Optional.of(answer(webhookId, rs.getString("topic"), "replay ignored (first: " + rs.getString("outcome")
                + ")", rs.getString("return_id"))) : Optional.empty());
        if (seen.isPresent()) {
            return new Delivery(channelId, platform, topic, webhookId, null, seen.get());
        }
        String mapping = mapping(platform, topic);
        if (mapping == null) {
            String outcome = "ignored: the hub takes no " + platform + " topic " + topic;
            record(channelId, platform, topic, webhookId, outcome, null);
            return new Delivery(channelId, platform, topic, webhookId, null, answer(webhookId, topic, outcome, null));
        }
        return new Delivery(channelId, platform, topic, webhookId, mapping, null);
    }

    /** The mapping a topic's body goes through, or null for a topic the hub does not take. */
    static String mapping(String platform, String topic) {
        String t = topic.toLowerCase(Locale.ROOT);
        if (SHOPIFY.equals(platform)) {
            if (t.equals("refunds/create")) {
                return "refunds/shopify.jsonata";
            }
            if (t.startsWith("returns/") && ChannelReturns.ACTIONS.contains(t.substring("returns/".length()))) {
                return "returns/shopify.jsonata";
            }
            return null;
        }
        return t.contains("refund") ? "refunds/woocommerce.jsonata" : null;
    }

    /** The mapped body applied for its topic, the delivery recorded by its id: the answer. */
    public Map<String, Object> apply(Delivery d, JsonNode mapped) {
        Caller caller = Caller.channel(d.platform() + "-webhook", d.channel());
        String outcome;
        String returnId;
        Map<String, Object> view;
        if (d.mapping().startsWith("refunds/")) {
            ChannelRefunds.Recorded r = refunds.record(d.channel(), d.platform(), mapped, caller);
            outcome = r.created() ? "refund recorded" : "refund known already";
            view = r.view();
            returnId = (String) view.get("returnId");
        } else {
            ChannelReturns.Outcome o = returns.apply(d.channel(), d.platform(),
                    d.topic().toLowerCase(Locale.ROOT).substring("returns/".length()), mapped, caller);
            outcome = o.outcome();
            returnId = o.returnId();
            view = o.view();
        }
        record(d.channel(), d.platform(), d.topic(), d.webhookId(), outcome, returnId);
        Map<String, Object> answer = answer(d.webhookId(), d.topic(), outcome, returnId);
        answer.put("return", view);
        return answer;
    }

    private void record(String channel, String platform, String topic, String webhookId, String outcome, String returnId) {
        try {
            jdbc.update("""
                    insert into channel_webhooks (channel, webhook_id, platform, topic, outcome, return_id, received_at)
                    values (:channel, :id, :platform, :topic, :outcome, :returnId, :at)
                    """, new MapSqlParameterSource("channel", channel).addValue("id", webhookId)
                    .addValue("platform", platform).addValue("topic", topic)
                    .addValue("outcome", outcome.length() > 500 ? outcome.substring(0, 500) : outcome)
                    .addValue("returnId", returnId).addValue("at", Timestamp.from(clock.instant())));
        } catch (DuplicateKeyException e) {
            // the same delivery applied at the same time: its effect is idempotent, the first record stays
        }
    }

    private static Map<String, Object> answer(String webhookId, String topic, String outcome, String returnId) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("received", true);
        a.put("webhookId", webhookId);
        a.put("topic", topic);
        a.put("outcome", outcome);
        a.put("returnId", returnId);
        return a;
    }

    private static String header(UnaryOperator<String> headers, String name, int max) {
        String v = headers.apply(name);
        if (v == null || v.isBlank()) {
            throw OrderHubException.field(Problem.INVALID, name, "is missing: the hub needs it to take the webhook");
        }
        if (v.strip().length() > max) {
            throw OrderHubException.field(Problem.INVALID, name, "is longer than " + max + " characters");
        }
        return v.strip();
    }

    /** The secret a {@code ${NAME}} placeholder names; null when it is not set. */
    private String resolve(String placeholder) {
        try {
            String v = environment.resolveRequiredPlaceholders(placeholder);
            return v.isBlank() ? null : v;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
