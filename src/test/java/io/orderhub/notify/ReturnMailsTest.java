package io.orderhub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;

/** The customer mails of returns (authorized with the label link, received, refunded) in en and zh-CN. */
class ReturnMailsTest {

    private final NotificationTemplates packaged = new NotificationTemplates(new MappingFiles(Path.of("mappings"), Clock.systemUTC()));

    @Test
    void authorizedCarriesTheLabelLinkReceivedAndRefundedTheMoney() {
        for (String locale : List.of("en", "zh-CN")) {
            NotificationTemplates.Rendered authorized = packaged.render("return-authorized", locale, model(locale));
            assertThat(authorized.locale()).isEqualTo(locale);
            assertThat(authorized.subject()).contains("RMA-000000007", "ORD-1");
            assertThat(authorized.text()).contains("http://carrier.example/labels/shp_1.png", "SBX123", "2 × MUG-BLUE".replace(
                    "×", locale.equals("en") ? "x" : "×"));
            assertThat(authorized.html()).contains("href=\"http://carrier.example/labels/shp_1.png\"");

            NotificationTemplates.Rendered received = packaged.render("return-received", locale, model(locale));
            assertThat(received.text()).contains("RMA-000000007", "19.00 EUR");

            NotificationTemplates.Rendered refunded = packaged.render("return-refunded", locale, model(locale));
            assertThat(refunded.subject()).contains("RMA-000000007");
            assertThat(refunded.text()).contains("19.00 EUR");
            assertThat(refunded.html()).contains("19.00 EUR");
        }
        assertThat(packaged.render("return-refunded", "en", model("en")).text()).contains("to your card");
        assertThat(packaged.render("return-refunded", "zh-CN", model("zh-CN")).text()).contains("银行卡");
    }

    private static Map<String, Object> model(String locale) {
        Map<String, Object> m = new HashMap<>();
        m.put("order", Map.of("orderId", "ORD-1", "orderDate", "2026-11-20T14:32:00+01:00", "currency", "EUR"));
        m.put("event", Map.of("at", "2026-11-22T10:00:00Z", "status", "AUTHORIZED"));
        m.put("customerName", "Erika");
        m.put("channel", Map.of("id", "webshop", "name", "Demo web shop"));
        m.put("fmt", new MailFormats(locale, ZoneId.of("UTC")));
        m.put("rma", Map.of("returnId", "RMA-000000007", "lines", List.of(Map.of("lineNo", 1, "sku", "MUG-BLUE",
                "quantity", 2, "reason", "too small"))));
        m.put("label", Map.of("carrier", "SandboxPost", "trackingNumber", "SBX123", "labelUrl",
                "http://carrier.example/labels/shp_1.png"));
        m.put("refund", Map.of("amount", new BigDecimal("19.00"), "currency", "EUR", "method", "card"));
        return m;
    }
}
