package io.orderhub.messaging.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.trait.message.MessageTrait;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Each route that consumes from {@code jms:} works on a plain Camel message with the JMS message's body and headers,
 * not on Camel's {@link JmsMessage}.
 * <p>
 * Why: a route whose error handler may redeliver (every event consumer: {@code waitForDatabase}, {@code syncErrors})
 * copies its exchange before each step, so that a retry starts from the step's input. Copying a {@link JmsMessage}
 * makes an empty one first, and Camel 4.17 then asks that empty message's missing JMS message whether it was
 * redelivered: a {@link NullPointerException}, caught and dropped, on every step of every event, about 75 per order.
 * Warm compiled code makes that cheap (the hub's CPU per order was the same with this policy), but each showed in the
 * JVM's exception statistics and 3 % of the samples of a lifecycle profile (issue 17, docs/benchmarks.md, fourteenth
 * round).
 * <p>
 * What stays the same: the body, every header the JMS binding maps (the message's properties, {@code JMSMessageID},
 * {@code JMSRedelivered}, {@code JMSXDeliveryCount}, {@code JMSXGroupID}, ...), the message id and whether the
 * broker redelivered the message. The JMS message itself is still acknowledged, committed or rolled back by its
 * listener after the route, as before; a reply to {@code JMSReplyTo} is made from the route's result as before.
 */
@Configuration(proxyBeanMethods = false)
public class PlainJmsMessages {

    /** Camel adds every {@link RoutePolicyFactory} bean to its context before it creates the routes. */
    @Bean
    RoutePolicyFactory plainJmsMessagesOnJmsRoutes() {
        return new OnJmsRoutes();
    }

    /** A {@link Detach} policy for each route whose consumer is a {@code jms:} endpoint; none for the others. */
    static final class OnJmsRoutes implements RoutePolicyFactory {

        @Override
        public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
            if (route instanceof RouteDefinition definition && definition.getInput() != null
                    && definition.getInput().getEndpointUri() != null
                    && definition.getInput().getEndpointUri().startsWith("jms:")) {
                return new Detach();
            }
            return null;
        }
    }

    /** Replaces the exchange's {@link JmsMessage} with a plain message before the route's first step. */
    static final class Detach extends RoutePolicySupport {

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            detach(exchange);
        }

        static void detach(Exchange exchange) {
            if (exchange.getIn() instanceof JmsMessage jms) {
                DefaultMessage plain = new DefaultMessage(exchange);
                // body and headers (the binding maps the JMS message's on first access)
                plain.copyFrom(jms);
                // the JMSMessageID (copyFrom keeps an id only once it was asked for)
                plain.setMessageId(jms.getMessageId());
                // whether the broker redelivered it (Exchange#isExternalRedelivered); copyFrom does not carry it
                if (jms.hasTrait(MessageTrait.REDELIVERY)) {
                    plain.setPayloadForTrait(MessageTrait.REDELIVERY, jms.getPayloadForTrait(MessageTrait.REDELIVERY));
                }
                exchange.setIn(plain);
            }
        }
    }
}
