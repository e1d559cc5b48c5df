package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderhub.common.FieldError;
import org.junit.jupiter.api.Test;

class QueryParameterFilterTest {

    @Test
    void plainAndEncodedValuesPass() {
        assertThat(QueryParameterFilter.check("status=CREATED&channel=web%20shop&externalId=%E4%B8%AD")).isNull();
        assertThat(QueryParameterFilter.check("reason=%27%20or%201%3D1%20--&flag")).isNull();
    }

    @Test
    void controlCharactersAreRefusedNamingTheParameter() {
        FieldError nul = QueryParameterFilter.check("status=CREATED&target=%00");
        assertThat(nul.field()).isEqualTo("target");
        assertThat(nul.message()).contains("control characters");
        assertThat(QueryParameterFilter.check("reason=a%0Ab").field()).isEqualTo("reason");
    }

    @Test
    void brokenEscapesAreRefused() {
        FieldError broken = QueryParameterFilter.check("externalId=%E4%B8%A&channel=%zz");
        assertThat(broken.field()).isEqualTo("externalId");
        assertThat(broken.message()).contains("URL encoding");
    }
}
