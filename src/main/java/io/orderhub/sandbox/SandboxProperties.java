package io.orderhub.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The in-hub sandboxes ({@code orderhub.sandbox.*}); defaults in {@code application.yaml}, on in the embedded default.
 *
 * @param enabled   the sandbox ERP, CRM, payment gateways and carrier under {@code /sandbox/...} (off in prod)
 * @param mail      GreenMail inside the hub
 * @param carrier   the EasyPost-compatible sandbox carrier
 * @param warehouse the sandbox warehouse, the only packer
 */
@ConfigurationProperties("orderhub.sandbox")
public record SandboxProperties(boolean enabled, Mail mail, Carrier carrier, Warehouse warehouse) {

    /** SMTP and IMAP on {@code host} (port 0 or less: a free one), with the orders mailbox. */
    public record Mail(boolean enabled, String host, int smtpPort, int imapPort, String ordersAddress,
                       String ordersPassword) {
    }

    /**
     * A parcel advances one tracking status per {@code step}, looked at every {@code tick}; tracker events go to
     * {@code webhookUrl} (blank: this hub), signed with {@code webhookSecret}, {@code webhookConcurrency} at once.
     */
    public record Carrier(Duration step, Duration tick, String apiKey, String webhookUrl, String webhookSecret,
                          boolean webhooks, int webhookConcurrency) {
    }

    /** With {@code autoPack}, allocated shipments are packed {@code packDelay} after allocation, looked at every tick. */
    public record Warehouse(boolean autoPack, Duration packDelay, Duration tick) {
    }
}
