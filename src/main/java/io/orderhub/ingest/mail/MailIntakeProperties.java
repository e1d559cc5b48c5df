package io.orderhub.ingest.mail;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The e-mail intake's settings read by {@link MailSenderAuth} (under {@code orderhub.mail}); defaults in
 * {@code application.yaml}. The IMAP/SMTP settings are read by routes/email-intake.camel.yaml.
 *
 * @param enabled orders by e-mail on: the channels' sender authentication is checked at start
 * @param auth    sender authentication
 */
@ConfigurationProperties("orderhub.mail")
public record MailIntakeProperties(boolean enabled, Auth auth) {

    /**
     * Sender authentication (docs/transports.md).
     *
     * @param defaultMode        the mode of a channel without its own mailAuth (authentication-results, dkim or none)
     * @param trustedAuthservIds the authserv-ids (comma-separated) whose Authentication-Results header is trusted
     * @param allowNone          channels with mailAuth none (the From alone) are allowed; false: the hub refuses to start
     */
    public record Auth(String defaultMode, String trustedAuthservIds, boolean allowNone) {
    }
}
