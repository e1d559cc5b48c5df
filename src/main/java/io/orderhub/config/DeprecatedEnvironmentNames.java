package io.orderhub.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The environment variable names the hub documented before every name was derived from its key
 * ({@code orderhub.inventory.reservation-ttl} ↔ {@code ORDERHUB_INVENTORY_RESERVATION_TTL}: the key path with dots
 * and dashes as underscores, in upper case). A deployment that still sets an old name keeps working: its value is
 * passed on under the new name, with a warning at start naming the successor; when both are set the new one wins.
 * Where the setting became a duration, a plain number keeps the unit the old name had ({@code _MS}, {@code _SECONDS}).
 * The README lists them ("Deprecated environment variable names"), checked by {@code SettingsTableTest}. The
 * names of the design contract ({@link #CONTRACT_NAMES}) are translated the same way but are kept, without warning.
 */
public class DeprecatedEnvironmentNames implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "orderhubDeprecatedEnvironmentNames";

    /** old name → the name derived from the key. */
    public static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("ORDERHUB_BROKER_DISK_SCAN_PERIOD_MS", "ORDERHUB_BROKER_DISK_SCAN_PERIOD"),
            Map.entry("ORDERHUB_CRM_CUSTOMER_CONSUMERS", "ORDERHUB_CRM_INBOUND_CONSUMERS"),
            Map.entry("ORDERHUB_CRM_CUSTOMER_DLQ", "ORDERHUB_CRM_INBOUND_DEAD_LETTER_QUEUE"),
            Map.entry("ORDERHUB_CRM_CUSTOMER_QUEUE", "ORDERHUB_CRM_INBOUND_QUEUE"),
            Map.entry("ORDERHUB_ERP_STOCK_AUTHORIZATION", "ORDERHUB_ERP_INBOUND_AUTHORIZATION"),
            Map.entry("ORDERHUB_ERP_STOCK_BASE_URL", "ORDERHUB_ERP_INBOUND_BASE_URL"),
            Map.entry("ORDERHUB_ERP_STOCK_CONSUMERS", "ORDERHUB_ERP_INBOUND_CONSUMERS"),
            Map.entry("ORDERHUB_ERP_STOCK_DLQ", "ORDERHUB_ERP_INBOUND_DEAD_LETTER_QUEUE"),
            Map.entry("ORDERHUB_ERP_STOCK_MAX_DELIVERIES", "ORDERHUB_ERP_INBOUND_MAX_DELIVERIES"),
            Map.entry("ORDERHUB_ERP_STOCK_POLL_MS", "ORDERHUB_ERP_INBOUND_POLL_INTERVAL_MS"),
            Map.entry("ORDERHUB_ERP_STOCK_QUEUE", "ORDERHUB_ERP_INBOUND_QUEUE"),
            Map.entry("ORDERHUB_ALLOCATION_STRATEGY", "ORDERHUB_INVENTORY_DEFAULT_STRATEGY"),
            Map.entry("ORDERHUB_RESERVATION_EXPIRY_INTERVAL_MS", "ORDERHUB_INVENTORY_EXPIRY_INTERVAL_MS"),
            Map.entry("ORDERHUB_RESERVATION_TTL", "ORDERHUB_INVENTORY_RESERVATION_TTL"),
            Map.entry("ORDERHUB_JMS_INBOUND_DLQ", "ORDERHUB_JMS_INBOUND_DEAD_LETTER_QUEUE"),
            Map.entry("ORDERHUB_JMS_REQUIRE_BROKER_USER", "ORDERHUB_JMS_INBOUND_REQUIRE_BROKER_USER"),
            Map.entry("ORDERHUB_SHIPPING_JOB_LEASE", "ORDERHUB_JOBS_LEASE"),
            Map.entry("ORDERHUB_MAIL_FOLDER", "ORDERHUB_MAIL_IMAP_FOLDER"),
            Map.entry("ORDERHUB_MAIL_MAX_PER_POLL", "ORDERHUB_MAIL_IMAP_MAX_MESSAGES_PER_POLL"),
            Map.entry("ORDERHUB_MAIL_PASSWORD", "ORDERHUB_MAIL_IMAP_PASSWORD"),
            Map.entry("ORDERHUB_MAIL_POLL_MS", "ORDERHUB_MAIL_IMAP_POLL_DELAY_MS"),
            Map.entry("ORDERHUB_MAIL_USERNAME", "ORDERHUB_MAIL_IMAP_USERNAME"),
            Map.entry("ORDERHUB_MAIL_FROM", "ORDERHUB_MAIL_SMTP_FROM"),
            Map.entry("ORDERHUB_BROKER_DLQ", "ORDERHUB_OPS_BROKER_DEAD_LETTER_QUEUE"),
            Map.entry("ORDERHUB_OPS_BROKER_REPLAY_TIMEOUT_MS", "ORDERHUB_OPS_BROKER_REPLAY_TIMEOUT"),
            Map.entry("ORDERHUB_HEALTH_CONNECTOR_FAILURES", "ORDERHUB_OPS_HEALTH_CONNECTOR_FAILURES"),
            Map.entry("ORDERHUB_METRICS_BROWSE_CAP", "ORDERHUB_OPS_METRICS_BROWSE_CAP"),
            Map.entry("ORDERHUB_METRICS_REFRESH_MS", "ORDERHUB_OPS_METRICS_REFRESH"),
            Map.entry("ORDERHUB_OUTBOX_POLL_MS", "ORDERHUB_OUTBOX_POLL_INTERVAL_MS"),
            Map.entry("ORDERHUB_ADYEN_API_KEY", "ORDERHUB_PAYMENT_GATEWAYS_ADYEN_API_KEY"),
            Map.entry("ORDERHUB_ADYEN_BASE_URL", "ORDERHUB_PAYMENT_GATEWAYS_ADYEN_BASE_URL"),
            Map.entry("ORDERHUB_ADYEN_MERCHANT_ACCOUNT", "ORDERHUB_PAYMENT_GATEWAYS_ADYEN_MERCHANT_ACCOUNT"),
            Map.entry("ORDERHUB_STRIPE_API_KEY", "ORDERHUB_PAYMENT_GATEWAYS_STRIPE_API_KEY"),
            Map.entry("ORDERHUB_STRIPE_BASE_URL", "ORDERHUB_PAYMENT_GATEWAYS_STRIPE_BASE_URL"),
            Map.entry("ORDERHUB_STRIPE_WEBHOOK_SECRET", "ORDERHUB_PAYMENT_GATEWAYS_STRIPE_WEBHOOK_SECRET"),
            Map.entry("ORDERHUB_PLANNING_HOLDING_COST", "ORDERHUB_PLANNING_DEFAULTS_HOLDING_COST"),
            Map.entry("ORDERHUB_PLANNING_ORDERING_COST", "ORDERHUB_PLANNING_DEFAULTS_ORDERING_COST"),
            Map.entry("ORDERHUB_PLANNING_PACK_SIZE", "ORDERHUB_PLANNING_DEFAULTS_PACK_SIZE"),
            Map.entry("ORDERHUB_PLANNING_SERVICE_LEVEL", "ORDERHUB_PLANNING_DEFAULTS_SERVICE_LEVEL"),
            Map.entry("ORDERHUB_PLANNING_REORDER_SEND_TIMEOUT_MS", "ORDERHUB_PLANNING_REORDER_SEND_TIMEOUT"),
            Map.entry("ORDERHUB_RETENTION_INTERVAL_MS", "ORDERHUB_RETENTION_INTERVAL"),
            Map.entry("ORDERHUB_RETURNS_JOB_MS", "ORDERHUB_RETURNS_JOB_INTERVAL_MS"),
            Map.entry("ORDERHUB_SANDBOX_CARRIER_STEP_SECONDS", "ORDERHUB_SANDBOX_CARRIER_STEP"),
            Map.entry("ORDERHUB_SANDBOX_CARRIER_TICK_MS", "ORDERHUB_SANDBOX_CARRIER_TICK"),
            Map.entry("ORDERHUB_SANDBOX_IMAP_PORT", "ORDERHUB_SANDBOX_MAIL_IMAP_PORT"),
            Map.entry("ORDERHUB_SANDBOX_SMTP_PORT", "ORDERHUB_SANDBOX_MAIL_SMTP_PORT"),
            Map.entry("ORDERHUB_SANDBOX_AUTO_PACK", "ORDERHUB_SANDBOX_WAREHOUSE_AUTO_PACK"),
            Map.entry("ORDERHUB_SANDBOX_PACK_DELAY_SECONDS", "ORDERHUB_SANDBOX_WAREHOUSE_PACK_DELAY"),
            Map.entry("ORDERHUB_SANDBOX_PACK_INTERVAL_MS", "ORDERHUB_SANDBOX_WAREHOUSE_TICK"),
            Map.entry("ORDERHUB_AUTH_FAILURES_BLOCK_FOR", "ORDERHUB_SECURITY_AUTH_FAILURES_BLOCK_FOR"),
            Map.entry("ORDERHUB_AUTH_FAILURES_EXEMPT_SOURCES", "ORDERHUB_SECURITY_AUTH_FAILURES_EXEMPT_SOURCES"),
            Map.entry("ORDERHUB_AUTH_FAILURES_MAX", "ORDERHUB_SECURITY_AUTH_FAILURES_MAX_FAILURES"),
            Map.entry("ORDERHUB_AUTH_FAILURES_WINDOW", "ORDERHUB_SECURITY_AUTH_FAILURES_WINDOW"),
            Map.entry("ORDERHUB_CARRIER_API_KEY", "ORDERHUB_SHIPPING_ACCOUNTS_EASYPOST_API_KEY"),
            Map.entry("ORDERHUB_CARRIER_BASE_URL", "ORDERHUB_SHIPPING_ACCOUNTS_EASYPOST_BASE_URL"),
            Map.entry("ORDERHUB_CARRIER_POLL_TRACKING", "ORDERHUB_SHIPPING_ACCOUNTS_EASYPOST_POLL_TRACKING"),
            Map.entry("ORDERHUB_CARRIER_WEBHOOK_SECRET", "ORDERHUB_SHIPPING_ACCOUNTS_EASYPOST_WEBHOOK_SECRET"),
            Map.entry("ORDERHUB_COMPLETION_HOLD", "ORDERHUB_SHIPPING_COMPLETION_HOLD"),
            Map.entry("ORDERHUB_SHIPPING_COMPLETION_MS", "ORDERHUB_SHIPPING_COMPLETION_INTERVAL_MS"),
            Map.entry("ORDERHUB_CARRIER_CONNECT_TIMEOUT", "ORDERHUB_SHIPPING_CONNECT_TIMEOUT"),
            Map.entry("ORDERHUB_SHIPPING_DISPATCH_BATCH", "ORDERHUB_SHIPPING_DISPATCH_BATCH_SIZE"),
            Map.entry("ORDERHUB_SHIPPING_DISPATCH_MS", "ORDERHUB_SHIPPING_DISPATCH_INTERVAL_MS"),
            Map.entry("ORDERHUB_SHIPPING_POLL_MS", "ORDERHUB_SHIPPING_POLL_INTERVAL_MS"),
            Map.entry("ORDERHUB_CARRIER_REQUEST_TIMEOUT", "ORDERHUB_SHIPPING_REQUEST_TIMEOUT"),
            Map.entry("ORDERHUB_CRM_API_VERSION", "ORDERHUB_SYNC_CRM_API_VERSION"),
            Map.entry("ORDERHUB_CRM_AUTHORIZATION", "ORDERHUB_SYNC_CRM_AUTHORIZATION"),
            Map.entry("ORDERHUB_CRM_BASE_URL", "ORDERHUB_SYNC_CRM_BASE_URL"),
            Map.entry("ORDERHUB_CRM_CONSUMERS", "ORDERHUB_SYNC_CRM_CONSUMERS"),
            Map.entry("ORDERHUB_CRM_LATEST_STATE_ONLY", "ORDERHUB_SYNC_CRM_LATEST_STATE_ONLY"),
            Map.entry("ORDERHUB_CRM_MAPPING", "ORDERHUB_SYNC_CRM_MAPPING"),
            Map.entry("ORDERHUB_ERP_AUTHORIZATION", "ORDERHUB_SYNC_ERP_AUTHORIZATION"),
            Map.entry("ORDERHUB_ERP_BASE_URL", "ORDERHUB_SYNC_ERP_BASE_URL"),
            Map.entry("ORDERHUB_ERP_CONSUMERS", "ORDERHUB_SYNC_ERP_CONSUMERS"),
            Map.entry("ORDERHUB_ERP_MAPPING", "ORDERHUB_SYNC_ERP_MAPPING"),
            Map.entry("ORDERHUB_DB_ALLOW_PLAIN", "ORDERHUB_TLS_DB_ALLOW_PLAIN"),
            Map.entry("ORDERHUB_MAIL_ALLOW_PLAIN", "ORDERHUB_TLS_MAIL_ALLOW_PLAIN"),
            Map.entry("ORDERHUB_TRACING_EXCLUDE", "ORDERHUB_TRACING_EXCLUDE_PATTERNS"),
            Map.entry("ORDERHUB_ORDER_DATE_EARLIEST", "ORDERHUB_VALIDATION_ORDER_DATE_EARLIEST"),
            Map.entry("ORDERHUB_ORDER_DATE_MAX_AHEAD", "ORDERHUB_VALIDATION_ORDER_DATE_MAX_AHEAD"));

    /**
     * Old names that are part of the design contract (DESIGN.md §8: the sandbox mail ports and the carrier's step):
     * other systems and their checks set them, so they stay accepted for good and start no warning.
     */
    public static final Set<String> CONTRACT_NAMES = Set.of("ORDERHUB_SANDBOX_SMTP_PORT", "ORDERHUB_SANDBOX_IMAP_PORT",
            "ORDERHUB_SANDBOX_CARRIER_STEP_SECONDS");

    private static final Pattern PLAIN_NUMBER = Pattern.compile("\\s*\\d+(\\.\\d+)?\\s*");

    private final Log log;

    public DeprecatedEnvironmentNames(DeferredLogFactory logs) {
        this.log = logs.getLog(DeprecatedEnvironmentNames.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        List<String> warnings = new ArrayList<>();
        Map<String, Object> values = translate(env::getProperty, warnings);
        warnings.forEach(log::warn);
        if (values.isEmpty()) {
            return;
        }
        MapPropertySource source = new MapPropertySource(SOURCE, values);
        if (env.getPropertySources().contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            env.getPropertySources().addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source);
        } else {
            env.getPropertySources().addLast(source);
        }
    }

    /** The new names' values for the old names that are set (and whose new name is not), with a warning each. */
    static Map<String, Object> translate(UnaryOperator<String> lookup, List<String> warnings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (var alias : new TreeMap<>(ALIASES).entrySet()) {
            String old = alias.getKey();
            String successor = alias.getValue();
            String value = lookup.apply(old);
            if (value == null) {
                continue;
            }
            if (lookup.apply(successor) != null) {
                warnings.add(old + " is deprecated and ignored: " + successor + " is set as well");
                continue;
            }
            values.put(successor, withUnit(old, successor, value));
            if (!CONTRACT_NAMES.contains(old)) {
                warnings.add(old + " is deprecated: set " + successor + " instead");
            }
        }
        return values;
    }

    /**
     * A plain number under an old name whose unit the new name no longer carries gets that unit spelled out
     * (seconds and days may have decimals: {@code 0.5} seconds is {@code 500ms}).
     */
    static String withUnit(String old, String successor, String value) {
        if (!PLAIN_NUMBER.matcher(value).matches()) {
            return value;
        }
        BigDecimal number = new BigDecimal(value.trim());
        if (old.endsWith("_MS") && !successor.endsWith("_MS")) {
            return number.toBigInteger() + "ms";
        }
        if (old.endsWith("_SECONDS") && !successor.endsWith("_SECONDS")) {
            return number.movePointRight(3).setScale(0, RoundingMode.HALF_UP).toBigInteger() + "ms";
        }
        if (old.endsWith("_DAYS") && !successor.endsWith("_DAYS")) {
            return number.multiply(BigDecimal.valueOf(24)).setScale(0, RoundingMode.HALF_UP).toBigInteger() + "h";
        }
        return value;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }
}
