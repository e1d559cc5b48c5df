package io.orderhub.order;

import java.time.LocalDate;
import java.time.Period;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The canonical validation's settings ({@code orderhub.validation.*}); defaults in {@code application.yaml}.
 *
 * @param orderDate plausible order dates: from {@code earliest} (UTC) up to {@code maxAhead} after now
 */
@ConfigurationProperties("orderhub.validation")
public record ValidationProperties(OrderDate orderDate) {

    public record OrderDate(LocalDate earliest, Period maxAhead) {
    }
}
