package io.orderhub.channel;

import java.util.List;
import java.util.Locale;

/**
 * A sales channel as configured in {@code mappings/channels.yaml}: which formats and transports it
 * may use, which sender addresses are its own, whether it allows backorders, its payment gateway,
 * and its API keys (by id; the secrets are configuration), the payment methods its orders may use
 * (unset: card and prepaid; invoice only where listed) and how its e-mail senders are authenticated
 * ({@code mailAuth}: {@value #MAIL_AUTH_RESULTS}, {@value #MAIL_AUTH_DKIM} or {@value #MAIL_AUTH_NONE}; unset: the hub's
 * {@code orderhub.mail.auth.default-mode}), and the TLS client certificates bound to it ({@code clientCertificates}: each
 * a subject DN or a SHA-256 fingerprint; a request presenting one authenticates as the channel like its API key), and
 * the secret its shop platform signs webhooks with ({@code webhookSecret}: a placeholder such as
 * {@code ${ORDERHUB_MARKETPLACE_WEBHOOK_SECRET}}, resolved when a webhook arrives; unset: the channel's webhooks are
 * refused, docs/returns.md "Channels' webhooks").
 */
public record Channel(
        String id,
        String name,
        List<String> formats,
        List<String> transports,
        List<String> senders,
        boolean backorders,
        String paymentGateway,
        List<String> apiKeys,
        String locale,
        java.util.Map<String, String> mappings,
        Notifications notifications,
        List<String> paymentMethods,
        String mailAuth,
        Outbound outbound,
        List<String> clientCertificates,
        String webhookSecret) {

    public static final String ANY = "*";
    /** The payment methods of the canonical order (DESIGN §4). */
    public static final List<String> PAYMENT_METHODS = List.of("card", "prepaid", "invoice");
    /** What a channel allows when channels.yaml does not say: invoice is only for channels that list it. */
    public static final List<String> DEFAULT_PAYMENT_METHODS = List.of("card", "prepaid");
    /** Mail senders must be authenticated by the receiving MTA's Authentication-Results header (RFC 8601). */
    public static final String MAIL_AUTH_RESULTS = "authentication-results";
    /** Mail senders must carry a DKIM signature the hub verifies itself, aligned to the From domain. */
    public static final String MAIL_AUTH_DKIM = "dkim";
    /** Mail senders are taken on their From address alone (only where the deployment allows it). */
    public static final String MAIL_AUTH_NONE = "none";
    public static final List<String> MAIL_AUTH_MODES = List.of(MAIL_AUTH_RESULTS, MAIL_AUTH_DKIM, MAIL_AUTH_NONE);

    /** As the canonical constructor, without a webhook secret (the channel's platform webhooks are refused). */
    public Channel(String id, String name, List<String> formats, List<String> transports, List<String> senders,
                   boolean backorders, String paymentGateway, List<String> apiKeys, String locale,
                   java.util.Map<String, String> mappings, Notifications notifications, List<String> paymentMethods,
                   String mailAuth, Outbound outbound, List<String> clientCertificates) {
        this(id, name, formats, transports, senders, backorders, paymentGateway, apiKeys, locale, mappings, notifications,
                paymentMethods, mailAuth, outbound, clientCertificates, null);
    }

    /** As the canonical constructor, without outbound documents (the channel gets none). */
    public Channel(String id, String name, List<String> formats, List<String> transports, List<String> senders,
                   boolean backorders, String paymentGateway, List<String> apiKeys, String locale,
                   java.util.Map<String, String> mappings, Notifications notifications, List<String> paymentMethods,
                   String mailAuth) {
        this(id, name, formats, transports, senders, backorders, paymentGateway, apiKeys, locale, mappings, notifications,
                paymentMethods, mailAuth, null, null);
    }

    /** As the canonical constructor, without client certificates (the channel authenticates by API key only). */
    public Channel(String id, String name, List<String> formats, List<String> transports, List<String> senders,
                   boolean backorders, String paymentGateway, List<String> apiKeys, String locale,
                   java.util.Map<String, String> mappings, Notifications notifications, List<String> paymentMethods,
                   String mailAuth, Outbound outbound) {
        this(id, name, formats, transports, senders, backorders, paymentGateway, apiKeys, locale, mappings, notifications,
                paymentMethods, mailAuth, outbound, null);
    }

    /**
     * The business documents the hub answers the channel's partner with (docs/b2b-outbound.md): which
     * {@code documents} ({@code order-response}, {@code ship-notice}, {@code invoice}), the {@code format}
     * when the partner wants another standard than the one its order came in ({@code x12}, {@code edifact},
     * {@code ubl}, {@code cxml}), when the invoice goes ({@code invoiceOn}: {@code SHIPPED} or
     * {@code DELIVERED}), the {@code transport}, the window within which the partner's acknowledgement is
     * expected, and the envelope ids per standard. For UBL ({@code ubl}) the ids are Peppol-style endpoints:
     * {@code receiverQualifier}/{@code receiverId} the partner's endpoint scheme (ISO 6523 ICD, e.g. 0088) and id,
     * {@code senderQualifier}/{@code senderId} ours when this channel's differs from orderhub.outbound.ubl.seller.*;
     * for {@code cxml} the credentials (qualifier = domain, id = identity).
     * Unset: the channel gets no outbound documents.
     */
    public record Outbound(List<String> documents, String format, String invoiceOn, Transport transport,
                           String acknowledgementWindow, PartnerIds x12, PartnerIds edifact, PartnerIds ubl,
                           PartnerIds cxml) {

        /** As the canonical constructor, without UBL endpoints and cXML credentials. */
        public Outbound(List<String> documents, String format, String invoiceOn, Transport transport,
                        String acknowledgementWindow, PartnerIds x12, PartnerIds edifact) {
            this(documents, format, invoiceOn, transport, acknowledgementWindow, x12, edifact, null, null);
        }

        public static final List<String> TYPES = List.of("order-response", "ship-notice", "invoice", "credit-note");
        public static final List<String> FORMATS = List.of("x12", "edifact", "ubl", "cxml");

        public Outbound {
            documents = documents == null ? TYPES : List.copyOf(documents);
            format = format == null || format.isBlank() ? null : format.trim().toLowerCase(Locale.ROOT);
            invoiceOn = invoiceOn == null || invoiceOn.isBlank() ? "SHIPPED" : invoiceOn.trim().toUpperCase(Locale.ROOT);
            transport = transport == null ? new Transport(null, null, null, null, null) : transport;
            acknowledgementWindow = acknowledgementWindow == null || acknowledgementWindow.isBlank() ? "PT24H"
                    : acknowledgementWindow.trim();
        }

        public boolean sends(String type) {
            return documents.contains(type);
        }
    }

    /**
     * How a channel's outbound documents travel: {@code jms} (the queue {@code queue}, default the hub's
     * {@code orders.outbound}, with the {@code channel} property), {@code mail} (a reply to the sender's
     * address, or {@code to}, the document attached), or {@code rest} (POST to {@code url}, signed with HMAC-SHA256
     * under {@code secret}: a placeholder such as {@code ${ORDERHUB_ACME_CALLBACK_SECRET}}, resolved from the
     * environment when a document is sent, so the secret itself is never in the file).
     */
    public record Transport(String type, String queue, String to, String url, String secret) {

        public static final List<String> TYPES = List.of("jms", "mail", "rest");

        public Transport {
            type = type == null || type.isBlank() ? "jms" : type.trim().toLowerCase(Locale.ROOT);
            url = url == null || url.isBlank() ? null : url.trim();
            to = to == null || to.isBlank() ? null : to.trim();
            secret = secret == null || secret.isBlank() ? null : secret.trim();
        }

        /** A secret setting names where the secret is: one placeholder {@code ${NAME}}, no default. */
        public static boolean isPlaceholder(String secret) {
            return secret != null && secret.matches("\\$\\{[A-Za-z0-9_.\\-]+}");
        }
    }

    /**
     * The envelope ids of a standard: ours ({@code sender...}) and the partner's ({@code receiver...}),
     * with their qualifiers (X12 ISA05/ISA07, EDIFACT UNB 0007), the group ids (X12 GS02/GS03; unset: the
     * interchange ids) and the usage ({@code P} production, {@code T} test).
     */
    public record PartnerIds(String senderQualifier, String senderId, String receiverQualifier, String receiverId,
                             String applicationSender, String applicationReceiver, String usage) {

        public PartnerIds {
            usage = usage == null || usage.isBlank() ? "P" : usage.trim().toUpperCase(Locale.ROOT);
            applicationSender = applicationSender == null || applicationSender.isBlank() ? senderId : applicationSender;
            applicationReceiver = applicationReceiver == null || applicationReceiver.isBlank() ? receiverId
                    : applicationReceiver;
        }

        /** The partner as the control numbers are counted: its qualifier and id. */
        public String partnerKey() {
            return (receiverQualifier == null ? "" : receiverQualifier.trim()) + ":" + (receiverId == null ? "" : receiverId.trim());
        }
    }

    public Channel {
        formats = formats == null ? List.of(ANY) : List.copyOf(formats);
        transports = transports == null ? List.of(ANY) : List.copyOf(transports);
        senders = senders == null ? List.of() : List.copyOf(senders);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        mappings = mappings == null ? java.util.Map.of() : java.util.Map.copyOf(mappings);
        locale = locale == null ? "en" : locale;
        notifications = notifications == null ? Notifications.DEFAULT : notifications;
        paymentMethods = paymentMethods == null ? DEFAULT_PAYMENT_METHODS
                : paymentMethods.stream().map(m -> m == null ? "" : m.trim().toLowerCase(Locale.ROOT)).toList();
        mailAuth = mailAuth == null || mailAuth.isBlank() ? null : mailAuth.trim().toLowerCase(Locale.ROOT);
        clientCertificates = clientCertificates == null ? List.of()
                : clientCertificates.stream().map(c -> c == null ? "" : c.trim()).toList();
        webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? null : webhookSecret.trim();
    }

    /**
     * Customer and sender notifications of the channel (docs/notifications.md): off for channels that
     * notify their customers themselves; which lifecycle events mail the customer (unset: every one
     * with a template); the From and Reply-To addresses (unset: the hub's); the locale by ship-to
     * country (else the channel's locale); and where mail about rejected REST/JMS documents goes
     * (unset: nowhere; e-mailed documents are answered to their sender anyway).
     */
    public record Notifications(Boolean enabled, List<String> events, String from, String replyTo,
                                java.util.Map<String, String> localeByCountry, String rejectionsTo) {

        public static final Notifications DEFAULT = new Notifications(null, null, null, null, null, null);

        public Notifications {
            enabled = enabled == null ? Boolean.TRUE : enabled;
            events = events == null ? null : List.copyOf(events);
            localeByCountry = localeByCountry == null ? java.util.Map.of() : java.util.Map.copyOf(localeByCountry);
        }

        /** True when the customer is to hear of this event type (the channel has not opted out). */
        public boolean notifies(String eventType) {
            return enabled && (events == null || events.contains(eventType));
        }
    }

    /** A channel with the default notification settings. */
    public Channel(String id, String name, List<String> formats, List<String> transports, List<String> senders,
                   boolean backorders, String paymentGateway, List<String> apiKeys, String locale,
                   java.util.Map<String, String> mappings) {
        this(id, name, formats, transports, senders, backorders, paymentGateway, apiKeys, locale, mappings, null);
    }

    /** A channel with the default payment methods and mail authentication. */
    public Channel(String id, String name, List<String> formats, List<String> transports, List<String> senders,
                   boolean backorders, String paymentGateway, List<String> apiKeys, String locale,
                   java.util.Map<String, String> mappings, Notifications notifications) {
        this(id, name, formats, transports, senders, backorders, paymentGateway, apiKeys, locale, mappings, notifications,
                null, null);
    }

    /** True when orders of this channel may use the payment method (card, prepaid, invoice). */
    public boolean allowsPaymentMethod(String method) {
        return method != null && paymentMethods.contains(method.trim().toLowerCase(Locale.ROOT));
    }

    /** The channel's mail authentication mode, or {@code defaultMode} when channels.yaml leaves it unset. */
    public String mailAuthOr(String defaultMode) {
        return mailAuth == null ? defaultMode : mailAuth;
    }

    /** True when the channel takes orders by e-mail: it has sender addresses and the email transport. */
    public boolean takesMail() {
        return !senders.isEmpty() && allowsTransport("email");
    }

    public boolean allowsFormat(String format) {
        return formats.contains(ANY) || formats.contains(format);
    }

    public boolean allowsTransport(String via) {
        return transports.contains(ANY) || transports.contains(via);
    }

    /** True when the address matches one of the sender patterns ({@code *@domain} or an exact address). */
    public boolean isSender(String address) {
        if (address == null) {
            return false;
        }
        String a = address.trim().toLowerCase(Locale.ROOT);
        for (String pattern : senders) {
            String p = pattern.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("*@") ? a.endsWith(p.substring(1)) : a.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
