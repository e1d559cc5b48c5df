package io.orderhub.messaging.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Collections;
import java.util.List;

import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsBinding;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.trait.message.MessageTrait;
import org.apache.camel.trait.message.RedeliveryTraitPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlainJmsMessagesTest {

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void aConsumedJmsMessageBecomesAPlainMessageWithItsBodyHeadersAndId() throws Exception {
        TextMessage received = mock(TextMessage.class);
        when(received.getText()).thenReturn("{\"eventId\":\"e-1\"}");
        when(received.getPropertyNames()).thenAnswer(i -> Collections.enumeration(List.of("eventType", "JMSXDeliveryCount")));
        when(received.getObjectProperty("eventType")).thenReturn("order.paid");
        when(received.getObjectProperty("JMSXDeliveryCount")).thenReturn(2);
        when(received.getJMSRedelivered()).thenReturn(true);
        when(received.getJMSMessageID()).thenReturn("ID:hub-1");
        Exchange exchange = new DefaultExchange(camel);
        exchange.setIn(new JmsMessage(exchange, received, null, new JmsBinding()));

        PlainJmsMessages.Detach.detach(exchange);

        assertThat(exchange.getIn()).isNotInstanceOf(JmsMessage.class);
        assertThat(exchange.getIn().getBody(String.class)).isEqualTo("{\"eventId\":\"e-1\"}");
        assertThat(exchange.getIn().getHeader("eventType")).isEqualTo("order.paid");
        assertThat(exchange.getIn().getHeader("JMSXDeliveryCount", Integer.class)).isEqualTo(2);
        assertThat(exchange.getIn().getHeader("JMSRedelivered", Boolean.class)).isTrue();
        assertThat(exchange.getIn().getMessageId()).isEqualTo("ID:hub-1");
        assertThat(exchange.getIn().getPayloadForTrait(MessageTrait.REDELIVERY))
                .isEqualTo(RedeliveryTraitPayload.IS_REDELIVERY);
        // the copy an error handler makes before each step is a plain message too
        assertThat(exchange.copy().getIn()).isNotInstanceOf(JmsMessage.class)
                .satisfies(copy -> assertThat(copy.getHeader("eventType")).isEqualTo("order.paid"));
    }

    @Test
    void aMessageThatIsNotAJmsMessageIsLeftAsItIs() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody("posted");
        var before = exchange.getIn();

        PlainJmsMessages.Detach.detach(exchange);

        assertThat(exchange.getIn()).isSameAs(before);
    }

    @Test
    void onlyRoutesThatConsumeFromJmsGetThePolicy() {
        var factory = new PlainJmsMessages.OnJmsRoutes();
        RouteDefinition fromJms = new RouteDefinition().from("jms:queue:orders.events::erp.sync");
        RouteDefinition fromDirect = new RouteDefinition().from("direct:relayOutboxBatch");

        assertThat(factory.createRoutePolicy(camel, "syncErp", fromJms)).isInstanceOf(PlainJmsMessages.Detach.class);
        assertThat(factory.createRoutePolicy(camel, "relayOutboxBatch", fromDirect)).isNull();
    }
}
