package io.orderhub.ingest.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.orderhub.ingest.mail.MailReply;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/** The answer to an order mail refers to it only by a valid Message-ID (issue 20, section 5). */
class MailAnswerHeadersTest {

    private final MailIntakeAdapter adapter = new MailIntakeAdapter(null, "orders@orderhub.local");

    @Test
    void anAnswerRefersToTheOrderMailsMessageId() throws Exception {
        MimeMessage answer = adapter.answer(new MailReply("<po-4711@webshop.example>", "buyer@webshop.example",
                "Order accepted: PO 4711", "text", List.of(), true));
        assertThat(answer.getHeader("In-Reply-To")).containsExactly("<po-4711@webshop.example>");
        assertThat(answer.getHeader("References")).containsExactly("<po-4711@webshop.example>");
    }

    @Test
    void aMailWithoutMessageIdIsNotReferredToByItsDigest() throws Exception {
        MimeMessage answer = adapter.answer(new MailReply("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "buyer@webshop.example", "Order accepted", "text", List.of(), true));
        assertThat(answer.getHeader("In-Reply-To")).isNull();
        assertThat(answer.getHeader("References")).isNull();
        answer.saveChanges();
        assertThat(answer.getMessageID()).startsWith("<").endsWith(">");
    }

    @Test
    void onlyMsgIdsCount() {
        assertThat(MailReply.isMessageId("<a.b@c.example>")).isTrue();
        assertThat(MailReply.isMessageId("sha256:abc")).isFalse();
        assertThat(MailReply.isMessageId("a@b")).isFalse();
        assertThat(MailReply.isMessageId("<a b@c>")).isFalse();
    }
}
