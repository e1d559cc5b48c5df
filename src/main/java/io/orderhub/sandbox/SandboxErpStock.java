package io.orderhub.sandbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderhub.common.OrderHubException;
import io.orderhub.common.Problem;
import io.orderhub.security.ApiKeyAuthenticator;
import io.orderhub.security.Caller;
import io.orderhub.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sandbox ERP's stock levels, what the hub's scheduled pull reads: {@code GET /sandbox/erp/stock-levels}
 * answers {@code {levels: [{sku, warehouse, onHand, updatedAt}]}}; operators set a level with
 * {@code PUT /sandbox/erp/stock-levels/{sku}} {@code {warehouse, onHand}} (OPS or ADMIN key), as the ERP's
 * warehouse staff would. Empty at start, so the pull changes nothing until a level is set here.
 */
@RestController
@RequestMapping("/sandbox/erp/stock-levels")
@ConditionalOnProperty(name = "orderhub.sandbox.enabled", havingValue = "true")
public class SandboxErpStock {

    private final NamedParameterJdbcTemplate jdbc;
    private final SandboxSupport sandbox;
    private final ApiKeyAuthenticator authenticator;
    private final Clock clock;

    public SandboxErpStock(NamedParameterJdbcTemplate jdbc, SandboxSupport sandbox, ApiKeyAuthenticator authenticator, Clock clock) {
        this.jdbc = jdbc;
        this.sandbox = sandbox;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    @GetMapping
    public ResponseEntity<Object> levels() {
        List<Map<String, Object>> levels = jdbc.query(
                "select sku, warehouse, on_hand, updated_at from sandbox_erp_stock order by sku, warehouse",
                (rs, n) -> Map.of("sku", rs.getString(1), "warehouse", rs.getString(2), "onHand", rs.getInt(3),
                        "updatedAt", rs.getTimestamp(4).toInstant().toString()));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Map.of("levels", levels));
    }

    @PutMapping(path = "/{sku}", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Object> set(@PathVariable String sku, @RequestBody(required = false) String body,
                                      @RequestHeader(name = ApiKeyAuthenticator.HEADER, required = false) String apiKey,
                                      HttpServletRequest request) {
        try {
            Caller caller = authenticator.authenticate(apiKey);
            if (!EnumSet.of(Role.OPS, Role.ADMIN).contains(caller.role())) {
                throw OrderHubException.field(Problem.FORBIDDEN, ApiKeyAuthenticator.HEADER,
                        "a " + caller.role() + " key may not call this endpoint; it needs [OPS, ADMIN]");
            }
        } catch (OrderHubException e) {
            return sandbox.problem(e, request.getRequestURI());
        }
        ObjectNode level = sandbox.object(body);
        if (level == null || !level.path("warehouse").isTextual() || !level.path("onHand").isInt() || level.get("onHand").intValue() < 0) {
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("error", "Bad Request", "message", "send {warehouse: string, onHand: whole number >= 0}"));
        }
        MapSqlParameterSource p = new MapSqlParameterSource("sku", sku).addValue("warehouse", level.get("warehouse").asText())
                .addValue("onHand", level.get("onHand").intValue()).addValue("at", Timestamp.from(clock.instant()));
        if (jdbc.update("update sandbox_erp_stock set on_hand = :onHand, updated_at = :at where sku = :sku and warehouse = :warehouse", p) == 0) {
            jdbc.update("insert into sandbox_erp_stock (sku, warehouse, on_hand, updated_at) values (:sku, :warehouse, :onHand, :at)", p);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("sku", sku, "warehouse", level.get("warehouse").asText(), "onHand", level.get("onHand").intValue()));
    }
}
