package io.orderhub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.orderhub.common.AfterCommitHook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules the build enforces, on the production classes (target/classes, bytecode, so a fully qualified
 * reference counts as much as an import):
 * <ul>
 *   <li>no cycle between the top-level packages {@code io.orderhub.(*)} (each a module: messaging, audit, order,
 *   inventory, sync, ops, api, …; docs/architecture.md draws the layers);</li>
 *   <li>the domain packages do not use Camel: routes reach them through adapters ({@code api}, {@code ..camel..});</li>
 *   <li>no production class depends on the fault-injection test code (io.orderhub.reliability, test sources only),
 *   implements the after-commit hook or halts the JVM.</li>
 * </ul>
 */
class ArchitectureTest {

    /** The domain: business rules and their transactions, reached from routes through adapters. */
    static final String[] DOMAIN = {"io.orderhub.order..", "io.orderhub.inventory..", "io.orderhub.payment..",
            "io.orderhub.shipping..", "io.orderhub.planning..", "io.orderhub.returns.."};

    static final ArchRule NO_CYCLES = slices().matching("io.orderhub.(*)..").should().beFreeOfCycles();

    static final ArchRule DOMAIN_WITHOUT_CAMEL = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAPackage("org.apache.camel..");

    static final ArchRule NO_TEST_HOOK_IN_PRODUCTION = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.orderhub.reliability..")
            .orShould().implement(AfterCommitHook.class)
            .orShould().callMethod(Runtime.class, "halt", int.class);

    static JavaClasses production;

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.orderhub");
    }

    @Test
    void theTopLevelPackagesHaveNoCycle() {
        NO_CYCLES.check(production);
    }

    @Test
    void theDomainDoesNotUseCamel() {
        DOMAIN_WITHOUT_CAMEL.check(production);
    }

    @Test
    void noProductionClassReachesTheFaultInjectionTestCode() {
        NO_TEST_HOOK_IN_PRODUCTION.check(production);
    }

    /** The rules see what they are meant to: every module, and a cycle, Camel and the halting hook where they are. */
    @Test
    void theRulesCanFail() {
        Set<String> modules = new TreeSet<>();
        for (JavaClass c : production) {
            String rest = c.getPackageName().startsWith("io.orderhub.") ? c.getPackageName().substring(12) : "";
            if (!rest.isEmpty()) {
                modules.add(rest.split("\\.")[0]);
            }
        }
        assertThat(modules).contains("messaging", "audit", "sync", "ops", "order", "inventory", "payment", "shipping",
                "planning", "returns", "ingest", "format", "channel", "common", "security", "api");

        JavaClasses cycle = new ClassFileImporter().importPackages("io.orderhub.architecture.fixture.cycle");
        assertThatThrownBy(() -> slices().matching("io.orderhub.architecture.fixture.cycle.(*)..").should()
                .beFreeOfCycles().check(cycle)).isInstanceOf(AssertionError.class).hasMessageContaining("Cycle");

        JavaClasses withTests = new ClassFileImporter().importPackages("io.orderhub.reliability", "io.orderhub.api");
        assertThatThrownBy(() -> NO_TEST_HOOK_IN_PRODUCTION.check(withTests)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("FaultInjection");
        assertThatThrownBy(() -> noClasses().that().resideInAPackage("io.orderhub.api..").should()
                .dependOnClassesThat().resideInAPackage("org.apache.camel..").check(withTests))
                .isInstanceOf(AssertionError.class);
    }
}
