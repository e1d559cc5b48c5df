package io.orderhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** What the prod profile refuses to start with: plain HTTP, PostgreSQL without verify-full, plain IMAP. */
class TransportSecurityTest {

    private static MockEnvironment prod() {
        return new MockEnvironment().withProperty("orderhub.tls.required", "true")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/orderhub?sslmode=verify-full&sslrootcert=/ca.pem")
                .withProperty("server.ssl.key-store", "/secrets/hub.p12")
                .withProperty("orderhub.mail.enabled", "true").withProperty("orderhub.mail.imap.protocol", "imaps");
    }

    @Test
    void everythingEncryptedStarts() {
        assertThat(TransportSecurity.problems(prod())).isEmpty();
        new TransportSecurity(prod()).afterPropertiesSet();
    }

    @Test
    void plainHttpIsRefusedUnlessAProxyTerminatesTls() {
        MockEnvironment env = prod();
        env.setProperty("server.ssl.key-store", "");
        assertThat(TransportSecurity.problems(env)).singleElement().asString().contains("plain HTTP", "ORDERHUB_TLS_TERMINATED_UPSTREAM");
        assertThatThrownBy(() -> new TransportSecurity(env).afterPropertiesSet()).hasMessageContaining("TLS is required");
        env.setProperty("server.ssl.certificate", "/secrets/hub.crt");
        assertThat(TransportSecurity.problems(env)).isEmpty();
        env.setProperty("server.ssl.enabled", "false");
        assertThat(TransportSecurity.problems(env)).hasSize(1);
        env.setProperty("orderhub.tls.terminated-upstream", "true");
        assertThat(TransportSecurity.problems(env)).isEmpty();
    }

    @Test
    void postgresWithoutVerifyFullAndPlainImapAreRefusedUnlessAllowed() {
        MockEnvironment env = prod();
        env.setProperty("spring.datasource.url", "jdbc:postgresql://db:5432/orderhub?sslmode=require");
        env.setProperty("orderhub.mail.imap.protocol", "imap");
        assertThat(TransportSecurity.problems(env)).hasSize(2).anySatisfy(p -> assertThat(p).contains("sslmode=verify-full"))
                .anySatisfy(p -> assertThat(p).contains("imaps"));
        env.setProperty("orderhub.tls.db-allow-plain", "true");
        env.setProperty("orderhub.tls.mail-allow-plain", "true");
        assertThat(TransportSecurity.problems(env)).isEmpty();
    }

    @Test
    void withoutTheRequirementNothingIsChecked() {
        assertThat(TransportSecurity.problems(new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/x"))).isEmpty();
    }
}
