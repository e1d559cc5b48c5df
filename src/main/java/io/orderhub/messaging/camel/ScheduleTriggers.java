package io.orderhub.messaging.camel;

import io.orderhub.common.WakeableSchedule;
import io.orderhub.messaging.RelaySchedule;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The schedulers of the routes whose {@code scheduler:} consumer waits for work instead of ticking
 * ({@code scheduler: "#name"} in the route): each runs its route's poll from a {@link WakeableSchedule}.
 */
@Configuration(proxyBeanMethods = false)
public class ScheduleTriggers {

    /** The outbox relay (routes/outbox-relay.camel.yaml): woken by each commit that appended events. */
    @Bean
    ScheduleTrigger relayTrigger(RelaySchedule schedule) {
        return new ScheduleTrigger("orderhub-outbox-relay", schedule);
    }

    /** The label dispatcher (routes/shipping.camel.yaml): woken by each packing committed on this instance. */
    @Bean
    ScheduleTrigger dispatchTrigger(@Qualifier("dispatchSchedule") WakeableSchedule schedule) {
        return new ScheduleTrigger("orderhub-shipping-dispatch", schedule);
    }

    /** The completion of delivered orders (routes/shipping.camel.yaml): its interval, backing off while idle. */
    @Bean
    ScheduleTrigger completionTrigger(@Qualifier("completionSchedule") WakeableSchedule schedule) {
        return new ScheduleTrigger("orderhub-shipping-completion", schedule);
    }
}
