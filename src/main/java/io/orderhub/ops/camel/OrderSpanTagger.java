package io.orderhub.ops.camel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.apache.camel.tracing.ActiveSpanManager;
import org.apache.camel.tracing.SpanAdapter;

/**
 * Puts the order id on the Camel spans as the tag {@code orderhub.order.id} as soon as an exchange
 * names its order: the lifecycle events' {@code JMSXGroupID}, an {@code orderId} header, the REST path
 * parameter {@code id}, or the {@code Location} of an order just created. Once found it is kept as the
 * exchange property {@link #PROPERTY}, and set on the route's span after every step (an intercept
 * strategy) and on each call's span when the call returns (an event notifier registered before the
 * tracer's, so it runs while the call's span is still the active one, before the tracer ends it).
 */
public class OrderSpanTagger extends EventNotifierSupport {

    public static final String TAG = "orderhub.order.id";
    public static final String PROPERTY = "orderhub.orderId";
    private static final Pattern ORDER_ID = Pattern.compile("ORD-\\d{1,18}");
    private static final Pattern LOCATION = Pattern.compile("/api/orders/(ORD-\\d{1,18})");

    public OrderSpanTagger() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /** The order this exchange is about, or null while unknown. */
    public static String orderId(Exchange exchange) {
        String known = exchange.getProperty(PROPERTY, String.class);
        if (known != null) {
            return known;
        }
        for (String header : new String[] {"JMSXGroupID", "orderId", "id"}) {
            Object v = exchange.getMessage().getHeader(header);
            if (v instanceof String s && ORDER_ID.matcher(s).matches()) {
                return remember(exchange, s);
            }
        }
        Object location = exchange.getMessage().getHeader("Location");
        if (location instanceof String s) {
            Matcher m = LOCATION.matcher(s);
            if (m.find()) {
                return remember(exchange, m.group(1));
            }
        }
        return null;
    }

    /** Tags the exchange's active span when the order is known. */
    public static void tag(Exchange exchange) {
        SpanAdapter span = ActiveSpanManager.getSpan(exchange);
        if (span == null) {
            return;
        }
        String id = orderId(exchange);
        if (id != null) {
            span.setTag(TAG, id);
        }
    }

    private static String remember(Exchange exchange, String id) {
        exchange.setProperty(PROPERTY, id);
        return id;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            tag(sent.getExchange());
        }
    }

    /** Tags the route's span after every step; add it to the context before the routes are built. */
    public InterceptStrategy afterEachStep() {
        return OrderSpanTagger::wrap;
    }

    private static Processor wrap(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return processor.process(exchange, doneSync -> {
                    try {
                        tag(exchange);
                    } finally {
                        callback.done(doneSync);
                    }
                });
            }
        };
    }
}
