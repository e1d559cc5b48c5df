package io.orderhub.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.orderhub.mapping.MappingFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The template files (Freemarker over the mappings directory): locale fallback, subject line, escaping, formats. */
@SuppressWarnings("unchecked")
class NotificationTemplatesTest {

    private final NotificationTemplates packaged = new NotificationTemplates(new MappingFiles(Path.of("mappings"), Clock.systemUTC()));

    @Test
    void aLocaleFallsBackToItsLanguageThenEnglish() {
        assertThat(NotificationTemplates.chain("zh-CN")).containsExactly("zh-CN", "zh", "en");
        assertThat(NotificationTemplates.chain("zh_CN")).containsExactly("zh-CN", "zh", "en");
        assertThat(NotificationTemplates.chain("de")).containsExactly("de", "en");
        assertThat(NotificationTemplates.chain(null)).containsExactly("en");

        NotificationTemplates.Rendered german = packaged.render("order-delivered", "de-AT", model("Anna"));
        assertThat(german.locale()).isEqualTo("en");
        assertThat(german.subject()).isEqualTo("Your order ORD-1 has been delivered");
        assertThat(packaged.render("order-delivered", "zh-CN", model("Anna")).subject()).isEqualTo("您的订单 ORD-1 已送达");
    }

    @Test
    void everyEventHasBothPartsInEveryLocale() {
        for (String locale : List.of("en", "zh-CN")) {
            for (String event : List.of("order-confirmed", "order-paid", "order-shipped", "order-delivered",
                    "order-cancelled", "receipt-rejected")) {
                assertThat(Files.isRegularFile(Path.of("mappings/templates", locale, event + ".txt.ftl"))).as(locale + " " + event).isTrue();
                assertThat(Files.isRegularFile(Path.of("mappings/templates", locale, event + ".html.ftlh"))).as(locale + " " + event).isTrue();
            }
        }
    }

    @Test
    void customerDataIsEscapedInHtmlOnly() {
        NotificationTemplates.Rendered r = packaged.render("order-delivered", "en", model("<b>Bob & Co</b>"));
        assertThat(r.html()).contains("Hello &lt;b&gt;Bob &amp; Co&lt;/b&gt;").doesNotContain("<b>Bob");
        assertThat(r.text()).startsWith("Hello <b>Bob & Co</b>,");
    }

    @Test
    void aTemplateWithoutSubjectLineOrOneThatFailsIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("templates/en"));
        Files.writeString(dir.resolve("templates/en/no-subject.txt.ftl"), "Hello\n");
        Files.writeString(dir.resolve("templates/en/no-subject.html.ftlh"), "<p>Hello</p>");
        Files.writeString(dir.resolve("templates/en/broken.txt.ftl"), "Subject: ${order.missing.field}\n");
        Files.writeString(dir.resolve("templates/en/broken.html.ftlh"), "<p/>");
        NotificationTemplates templates = new NotificationTemplates(new MappingFiles(dir, Clock.systemUTC()));
        assertThatThrownBy(() -> templates.render("no-subject", "en", model("A")))
                .hasMessageContaining("templates/en/no-subject.txt.ftl must start with a 'Subject: ...' line");
        assertThatThrownBy(() -> templates.render("broken", "en", model("A")))
                .hasMessageContaining("templates/en/broken.txt.ftl").hasMessageContaining("order.missing");
        assertThatThrownBy(() -> templates.render("order-paid", "en", model("A")))
                .hasMessageContaining("no template templates/<locale>/order-paid.txt.ftl");
        assertThat(templates.exists("../etc/passwd", "en")).isFalse();
    }

    @Test
    void amountsFollowTheCurrencyAndTheLocale() {
        MailFormats en = new MailFormats("en", ZoneId.of("UTC"));
        assertThat(en.money(new BigDecimal("1234.5"), "EUR")).isEqualTo("1,234.50 EUR");
        assertThat(en.money(new BigDecimal("1500"), "JPY")).isEqualTo("1,500 JPY");
        assertThat(en.money(new BigDecimal("0.125"), "USD")).isEqualTo("0.125 USD");
        assertThat(new MailFormats("de", ZoneId.of("UTC")).money(new BigDecimal("1234.5"), "EUR")).isEqualTo("1.234,50 EUR");
        assertThat(en.quantity(new BigDecimal("2.000"))).isEqualTo("2");
        assertThat(en.date("2026-11-20T14:32:00+01:00")).isEqualTo("2026-11-20 13:32 UTC");
        assertThat(new MailFormats("zh-CN", ZoneId.of("Asia/Shanghai")).date("2026-11-20T13:32:00Z"))
                .isEqualTo("2026-11-20 21:32 Asia/Shanghai");
    }

    private static Map<String, Object> confirmed(List<Map<String, Object>> charges, String shipping) {
        Map<String, Object> m = model("Anna");
        Map<String, Object> order = new HashMap<>((Map<String, Object>) m.get("order"));
        order.put("externalId", "PO-1");
        order.put("lines", List.of(Map.of("sku", "A", "quantity", new BigDecimal("1"), "unitPrice", new BigDecimal("10.00"),
                "lineTotal", new BigDecimal("10.00"))));
        BigDecimal ship = new BigDecimal(shipping);
        order.put("totals", Map.of("subtotal", new BigDecimal("10.00"), "discount", BigDecimal.ZERO, "shipping", ship,
                "tax", BigDecimal.ZERO, "grandTotal", new BigDecimal("10.00").add(ship)));
        if (charges != null) {
            order.put("charges", charges);
        }
        m.put("order", order);
        return m;
    }

    @Test
    void theOrdersChargesAreListedByNameAndOnlyTheRestIsCalledShipping() {
        // the totals' shipping holds every order-level charge: each is named as the document named it
        NotificationTemplates.Rendered withCharges = packaged.render("order-confirmed", "en", confirmed(List.of(
                Map.of("amount", new BigDecimal("4.90"), "reason", "FC", "description", "Freight"),
                Map.of("amount", new BigDecimal("2.00"), "reason", "HD")), "6.90"));
        assertThat(withCharges.text()).contains("Freight:  4.90 EUR").contains("HD:  2.00 EUR").doesNotContain("Shipping");
        assertThat(withCharges.html()).contains(">Freight<").contains(">HD<").doesNotContain("Shipping");

        NotificationTemplates.Rendered partly = packaged.render("order-confirmed", "en", confirmed(List.of(
                Map.of("amount", new BigDecimal("2.00"), "description", "Handling")), "6.90"));
        assertThat(partly.text()).contains("Handling:  2.00 EUR").contains("Shipping:  4.90 EUR");

        NotificationTemplates.Rendered plain = packaged.render("order-confirmed", "en", confirmed(null, "4.90"));
        assertThat(plain.text()).contains("Shipping:  4.90 EUR");
        assertThat(packaged.render("order-confirmed", "zh-CN", confirmed(List.of(
                Map.of("amount", new BigDecimal("2.00"))), "2.00")).text()).contains("附加费").doesNotContain("运费");
    }

    private static Map<String, Object> model(String name) {
        Map<String, Object> m = new HashMap<>();
        m.put("order", Map.of("orderId", "ORD-1", "orderDate", "2026-11-20T14:32:00+01:00", "currency", "EUR"));
        m.put("event", Map.of("at", "2026-11-22T10:00:00Z", "status", "DELIVERED"));
        m.put("customerName", name);
        m.put("channel", Map.of("id", "webshop", "name", "Demo web shop"));
        m.put("fmt", new MailFormats("en", ZoneId.of("UTC")));
        return m;
    }
}
