package io.orderhub.sync.outbound.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.TypeConversionException;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The partner routes' CamelHttpMethod text becomes the http producer's enum through the exact converter. */
class PartnerCallConvertersTest {

    DefaultCamelContext camel;

    @BeforeEach
    void registerTheConverter() {
        camel = new DefaultCamelContext();
        new PartnerCallConverters().httpMethodTypeConverter().beforeApplicationStart(camel);
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void theExactPairIsRegistered() {
        assertThat(camel.getTypeConverterRegistry().lookup(HttpMethods.class, String.class))
                .isInstanceOf(PartnerCallConverters.TextToHttpMethod.class);
    }

    @Test
    void readsMethodsAsTheGenericConverterDid() {
        assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, "PATCH")).isEqualTo(HttpMethods.PATCH);
        assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, " post ")).isEqualTo(HttpMethods.POST);
        assertThat(camel.getTypeConverter().convertTo(HttpMethods.class, "Put")).isEqualTo(HttpMethods.PUT);
    }

    @Test
    void anUnknownMethodIsAClearError() {
        assertThatThrownBy(() -> camel.getTypeConverter().mandatoryConvertTo(HttpMethods.class, "FETCH"))
                .isInstanceOf(TypeConversionException.class)
                .hasStackTraceContaining("CamelHttpMethod 'FETCH' is not an HTTP method");
    }
}
