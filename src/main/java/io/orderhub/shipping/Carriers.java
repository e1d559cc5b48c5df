package io.orderhub.shipping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.PartnerHttp;
import io.orderhub.common.Problem;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The configured carrier accounts, each an {@link EasyPostClient}. An account without a base URL
 * talks to the in-hub sandbox carrier ({@code http://localhost:<port>/sandbox/carrier}), resolved at
 * call time so it also works on a random port.
 */
@Component
public class Carriers {

    private final Map<String, CarrierGateway> gateways = new LinkedHashMap<>();
    private final ShippingProperties settings;
    /** The accounts' calls share one pool of connections, closed with this registry. */
    private final PartnerHttp http;

    public Carriers(ShippingProperties settings, ObjectMapper json, Environment env) {
        this.settings = settings;
        this.http = new PartnerHttp(settings.connectTimeout());
        settings.accounts().forEach((name, account) -> {
            String configured = account.baseUrl();
            java.util.function.Supplier<String> base = configured != null && !configured.isBlank()
                    ? () -> strip(configured)
                    : () -> "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"))
                            + "/sandbox/carrier";
            gateways.put(name, new EasyPostClient(name, base, account.apiKey() == null ? "" : account.apiKey(),
                    http, settings.requestTimeout(), json));
        });
    }

    @jakarta.annotation.PreDestroy
    void closeConnections() {
        http.close();
    }

    public CarrierGateway gateway(String account) {
        CarrierGateway g = gateways.get(account);
        if (g == null) {
            throw new IllegalStateException("no carrier account '" + account + "' (orderhub.shipping.accounts)");
        }
        return g;
    }

    /** Every carrier account's gateway, by account name. */
    public Map<String, CarrierGateway> all() {
        return java.util.Collections.unmodifiableMap(gateways);
    }

    public Optional<ShippingProperties.Account> account(String name) {
        return Optional.ofNullable(settings.accounts().get(name));
    }

    /** The account a webhook path names; 404 for an unknown one. */
    public ShippingProperties.Account webhookAccount(String name) {
        return account(name).orElseThrow(() -> OrderHubException.field(Problem.NOT_FOUND, "carrier",
                "no carrier account '" + name + "'"));
    }

    /** Register a gateway under a name (another protocol behind the same SPI). */
    public void register(CarrierGateway gateway) {
        gateways.put(gateway.account(), gateway);
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
