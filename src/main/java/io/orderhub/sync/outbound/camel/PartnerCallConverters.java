package io.orderhub.sync.outbound.camel;

import java.util.Locale;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.TypeConverterSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The partner routes set {@code CamelHttpMethod} from their mapping's call as text ({@code POST}, {@code PUT}), and
 * the {@code http:} producer reads it as its {@link HttpMethods} enum. Camel has no converter for that exact pair,
 * so each call fell back to its generic enum converter, which first searches every registered converter for a
 * better match: about a tenth of an ERP consumer's CPU (issue 17, JFR). This registers the exact pair, so the
 * lookup is one map hit. Same reading as the generic converter: case does not matter, surrounding blanks neither.
 */
@Configuration(proxyBeanMethods = false)
public class PartnerCallConverters {

    @Bean
    CamelContextConfiguration httpMethodTypeConverter() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getTypeConverterRegistry().addTypeConverter(HttpMethods.class, String.class,
                        new TextToHttpMethod());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing after the start
            }
        };
    }

    /** Text to {@link HttpMethods}, the one pair it is registered for. */
    static final class TextToHttpMethod extends TypeConverterSupport {

        @Override
        public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
            if (type != HttpMethods.class || value == null) {
                return null;
            }
            String name = value.toString().strip().toUpperCase(Locale.ROOT);
            try {
                return type.cast(HttpMethods.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(value, type, new IllegalArgumentException("CamelHttpMethod '" + value
                        + "' is not an HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, TRACE)"));
            }
        }
    }
}
