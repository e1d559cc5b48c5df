package io.orderhub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;

import io.orderhub.security.Role;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;

/**
 * The access table the guard reads: built from the {@code security} of the rest verbs, and every operation
 * without a valid declaration listed (the hub then refuses to start). The hub's own routes are checked at
 * every start of the Spring tests ({@link ApiAccess#readDeclarations}); {@code AccessMatrixTest} checks the
 * answers.
 */
class ApiAccessTest {

    @Test
    void eachDeclarationBecomesTheAccessOfTheRouteTheVerbHandsOverTo() throws Exception {
        ApiAccess.Table table = table(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/things").get("/{id}").security(ApiAccess.API_KEY, "CHANNEL,OPS,ADMIN").to("direct:getThing")
                        .post().security(ApiAccess.API_KEY, "ADMIN").to("direct:postThing")
                        .post("/callback").security(ApiAccess.SIGNATURE).to("direct:thingCallback")
                        .post("/upload").security(ApiAccess.API_KEY, "OPS, ADMIN").to("direct:uploadThing");
                api("direct:getThing", "getThing").to("mock:get");
                api("direct:postThing", "postThing").to("mock:post");
                api("direct:thingCallback", "thingCallback").to("mock:callback");
                api("direct:uploadThing", "uploadThing").bean("orderApi", "storeReceipt").bean("apiGuard", "authorize");
            }

            RouteDefinition api(String uri, String id) {
                return from(uri).routeId(id).routeConfigurationId(ApiAccess.ROUTE_CONFIGURATION);
            }
        });

        assertThat(table.undeclared()).isEmpty();
        assertThat(table.byRouteId().get("getThing").roles()).containsExactly(Role.CHANNEL, Role.OPS, Role.ADMIN);
        assertThat(table.byRouteId().get("getThing").inRoute()).isFalse();
        assertThat(table.byRouteId().get("postThing").roles()).containsExactly(Role.ADMIN);
        assertThat(table.byRouteId().get("thingCallback").signed()).isTrue();
        assertThat(table.byRouteId().get("uploadThing").roles()).isEqualTo(EnumSet.of(Role.OPS, Role.ADMIN));
        assertThat(table.byRouteId().get("uploadThing").inRoute()).isTrue();
    }

    @Test
    void anOperationWithoutAValidDeclarationIsListedAndClosed() throws Exception {
        ApiAccess.Table table = table(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/things").get("/{id}").to("direct:forgotten")
                        .put("/{id}").security(ApiAccess.API_KEY, "OPERATOR").to("direct:unknownRole")
                        .delete("/{id}").security("basic", "ADMIN").to("direct:unknownKey")
                        .post().security(ApiAccess.API_KEY, "OPS").to("direct:noGuard")
                        .patch("/{id}").security(ApiAccess.API_KEY, "OPS").to("direct:nowhere");
                from("direct:forgotten").routeId("forgotten").routeConfigurationId(ApiAccess.ROUTE_CONFIGURATION).to("mock:a");
                from("direct:unknownRole").routeId("unknownRole").routeConfigurationId(ApiAccess.ROUTE_CONFIGURATION).to("mock:b");
                from("direct:unknownKey").routeId("unknownKey").routeConfigurationId(ApiAccess.ROUTE_CONFIGURATION).to("mock:c");
                from("direct:noGuard").routeId("noGuard").to("mock:d");
            }
        });

        assertThat(table.undeclared()).hasSize(5);
        assertThat(String.join("\n", table.undeclared()))
                .contains("GET /things/{id} (route forgotten) declares no access")
                .contains("PUT /things/{id} (route unknownRole) scopes 'OPERATOR' name no roles")
                .contains("DELETE /things/{id} (route unknownKey) security key 'basic'")
                .contains("POST /things (route noGuard) its route noGuard does not use routeConfigurationId: apiErrors")
                .contains("PATCH /things/{id} (hands over to direct:nowhere");
        // none of them is in the table, so the guard answers 403 to every call
        assertThat(table.byRouteId()).isEmpty();
    }

    @Test
    void theHubRefusesToStartWithAnUndeclaredOperation() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                rest("/things").get().to("direct:forgotten");
                from("direct:forgotten").routeId("forgotten").routeConfigurationId(ApiAccess.ROUTE_CONFIGURATION).to("mock:a");
            }
        });
        ApiAccess access = new ApiAccess(new StaticProvider(context));
        org.assertj.core.api.Assertions.assertThatThrownBy(access::readDeclarations)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET /things (route forgotten) declares no access");
        assertThat(access.of("forgotten")).isNull();
    }

    private static ApiAccess.Table table(RouteBuilder routes) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(routes);
        return ApiAccess.table(context.getCamelContextExtension().getContextPlugin(Model.class));
    }

    /** The CamelContext as the Spring bean provider hands it to {@link ApiAccess}. */
    private record StaticProvider(CamelContext context) implements org.springframework.beans.factory.ObjectProvider<CamelContext> {
        @Override
        public CamelContext getObject(Object... args) {
            return context;
        }

        @Override
        public CamelContext getIfAvailable() {
            return context;
        }

        @Override
        public CamelContext getIfUnique() {
            return context;
        }

        @Override
        public CamelContext getObject() {
            return context;
        }
    }
}
