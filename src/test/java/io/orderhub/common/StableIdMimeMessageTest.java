package io.orderhub.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StableIdMimeMessageTest {

    @Test
    void theMessageIdComesFromTheSeedAndTheSendersDomainAndSurvivesSaving() throws Exception {
        String id = StableIdMimeMessage.messageId("notification:ev-1:customer", "Shop <notifications@shop.example>");
        assertThat(id).matches("<[0-9a-f]{32}@shop\\.example>");
        assertThat(StableIdMimeMessage.messageId("notification:ev-1:customer", "notifications@shop.example")).isEqualTo(id);
        assertThat(StableIdMimeMessage.messageId("notification:ev-1:sender", "notifications@shop.example")).isNotEqualTo(id);
        assertThat(StableIdMimeMessage.messageId("x", "not an address")).endsWith("@orderhub.local>");
        assertThat(StableIdMimeMessage.messageId("x", null)).endsWith("@orderhub.local>");

        StableIdMimeMessage mail = new StableIdMimeMessage(id);
        mail.setText("hello", "UTF-8");
        mail.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.writeTo(out);
        assertThat(mail.getMessageID()).isEqualTo(id);
        assertThat(out.toString(StandardCharsets.US_ASCII)).contains("Message-ID: " + id);
    }
}
