package io.orderhub.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/**
 * The packaged mappings (no ORDERHUB_MAPPINGS_DIR) are looked up in the jar once (issue 17): what exists and what a
 * file holds stay as packaged, and a caller that changes the bytes it was given changes nobody else's.
 */
class PackagedMappingFilesTest {

    private final MappingFiles packaged = new MappingFiles("");

    @Test
    void aPackagedFileReadsAsPackagedEveryTimeWhateverACallerDoesWithItsCopy() throws IOException {
        byte[] inJar;
        try (InputStream in = new ClassPathResource("mappings/erp/sales-order.jsonata").getInputStream()) {
            inJar = in.readAllBytes();
        }
        byte[] first = packaged.read("erp/sales-order.jsonata");
        assertThat(first).isEqualTo(inJar);
        first[0] = 'X';
        assertThat(packaged.read("erp/sales-order.jsonata")).isEqualTo(inJar);
        assertThat(packaged.exists("erp/sales-order.jsonata")).isTrue();
        assertThat(packaged.location()).isEqualTo("classpath:mappings/");
    }

    @Test
    void aFileTheJarDoesNotHoldDoesNotExistAndCannotBeRead() {
        assertThat(packaged.exists("templates/xx/order.paid.txt.ftl")).isFalse();
        assertThat(packaged.exists("templates/xx/order.paid.txt.ftl")).isFalse();
        assertThatThrownBy(() -> packaged.read("erp/no-such-mapping.jsonata")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("erp/no-such-mapping.jsonata");
    }
}
