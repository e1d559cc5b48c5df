package io.orderhub.notify.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The notifier's text parts choose their transfer encoding from the string, as Jakarta Mail would from the bytes. */
class MailTextPartsTest {

    static final String EN = "Hello Ada,\n\nyour order WEB-10001 is confirmed.\n\tTotal: EUR 85.00\n";
    static final String ZH = "您好，\n\n您的订单 WEB-10001 已确认。\n合计：85.00 欧元\n";
    static final String MOSTLY_ASCII = "Dear Jürgen Müller,\nyour order WEB-10001 is confirmed. Total: 85.00 €\n";

    @ParameterizedTest
    @ValueSource(strings = {EN, ZH, MOSTLY_ASCII, "", "😀 emoji only 😀😀😀", "line\r\nwith CRLF\r\n"})
    void theEncodingIsWhatJakartaMailChoosesFromTheBytes(String text) throws Exception {
        MimeBodyPart reference = new MimeBodyPart();
        reference.setText(text, "UTF-8", "plain");

        assertThat(NotificationAdapter.transferEncoding(text))
                .isEqualTo(MimeUtility.getEncoding(reference.getDataHandler()));
    }

    @Test
    void aLineOverTheSmtpLimitIsNotSentAs7bit() {
        assertThat(NotificationAdapter.transferEncoding("x".repeat(999))).isEqualTo("quoted-printable");
        assertThat(NotificationAdapter.transferEncoding("x".repeat(998) + "\n" + "y".repeat(998))).isEqualTo("7bit");
    }

    @ParameterizedTest
    @ValueSource(strings = {EN, ZH, MOSTLY_ASCII})
    void theMailReadsBackAsWritten(String text) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMessage mail = new MimeMessage(session);
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(NotificationAdapter.textPart(text, "plain"));
        alternative.addBodyPart(NotificationAdapter.textPart("<p>" + text + "</p>", "html"));
        mail.setContent(alternative);
        mail.saveChanges();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        mail.writeTo(wire);

        MimeMessage read = new MimeMessage(session, new ByteArrayInputStream(wire.toByteArray()));
        MimeMultipart parts = (MimeMultipart) read.getContent();
        // quoted-printable text travels with CRLF line ends, as SMTP has them
        assertThat(lf(parts.getBodyPart(0).getContent())).isEqualTo(text);
        assertThat(parts.getBodyPart(0).getContentType()).contains("text/plain").containsIgnoringCase("utf-8");
        assertThat(lf(parts.getBodyPart(1).getContent())).isEqualTo("<p>" + text + "</p>");
        assertThat(parts.getBodyPart(0).getHeader("Content-Transfer-Encoding"))
                .containsExactly(NotificationAdapter.transferEncoding(text));
    }

    private static String lf(Object content) {
        return content.toString().replace("\r\n", "\n");
    }
}
