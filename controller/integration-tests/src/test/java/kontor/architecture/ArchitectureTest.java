package kontor.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The shape of the house, kept by tests (see docs/architecture.md): layers whose arrows only point
 * down, no package loop, no loop between files, and Pi4J only where the drivers are.
 */
class ArchitectureTest {
    private static final JavaClasses KONTOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Other modules arrive as jars: keep their main classes, not their test jars.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("kontor");

    private static final String[] INFRASTRUCTURE = {"kontor.site..", "kontor.store..", "kontor.mqtt..", "kontor.journal..", "kontor.members..",
            "kontor.http..", "kontor.tls.."};
    private static final String[] SERVICES = {"kontor.access..", "kontor.safety..", "kontor.rooms..", "kontor.entrance..",
            "kontor.lockers..", "kontor.money..", "kontor.copying..", "kontor.printing..", "kontor.field..",
            "kontor.discovery..", "kontor.coap..", "kontor.fleet..", "kontor.calendars.."};

    /** The rules below are only as good as what they see: one class of every module, from its jar or its classes. */
    @Test
    void every_module_is_checked() {
        assertThat(java.util.List.of("kontor.device.Lock", "kontor.testing.HelperProcess", "kontor.gateway.Gateway",
                "kontor.provisioning.ValidateCommand", "kontor.sim.demo.DemoCommand", "kontor.bench.BenchCommand"))
                .allSatisfy(name -> assertThat(KONTOR.contain(name)).as(name).isTrue());
    }

    @Test
    void every_arrow_points_down_the_layers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Drivers").definedBy("kontor.device..", "kontor.time..")
                .layer("Infrastructure").definedBy(INFRASTRUCTURE)
                .layer("Kernel").definedBy("kontor.core..")
                .layer("Services").definedBy(SERVICES)
                .layer("Composition").definedBy("kontor.gateway..", "kontor.console..", "kontor.cli..")
                .layer("Tools").definedBy("kontor.sim..", "kontor.bench..", "kontor.provisioning..")
                .whereLayer("Composition").mayOnlyBeAccessedByLayers("Tools")
                .whereLayer("Services").mayOnlyBeAccessedByLayers("Composition", "Tools")
                .whereLayer("Kernel").mayOnlyBeAccessedByLayers("Services", "Composition", "Tools")
                .whereLayer("Infrastructure").mayOnlyBeAccessedByLayers("Kernel", "Services", "Composition", "Tools")
                .whereLayer("Drivers").mayOnlyBeAccessedByLayers("Infrastructure", "Kernel", "Services", "Composition", "Tools")
                .check(KONTOR);
    }

    @Test
    void no_package_loop() {
        slices().matching("kontor.(*)..").should().beFreeOfCycles().check(KONTOR);
        slices().matching("kontor.sim.(*)..").should().beFreeOfCycles().check(KONTOR);
        slices().matching("kontor.device.(*)..").should().beFreeOfCycles().check(KONTOR);
    }

    @Test
    void no_loop_between_files() {
        slices().assignedFrom(BY_FILE).should().beFreeOfCycles().check(KONTOR);
    }

    @Test
    void pi4j_only_in_the_drivers_and_the_simulated_board() {
        noClasses().that().resideOutsideOfPackages("kontor.device.gpio..", "kontor.sim.hardware..")
                .should().dependOnClassesThat().resideInAPackage("com.pi4j..")
                .check(KONTOR);
    }

    @Test
    void the_site_reaches_hardware_only_through_the_device_ports() {
        noClasses().that().resideInAnyPackage(append(append(INFRASTRUCTURE, SERVICES), "kontor.core..", "kontor.gateway.."))
                .should().dependOnClassesThat().resideInAnyPackage("kontor.device.gpio..", "kontor.device.ipp..", "kontor.device.wiegand..")
                .because("only the production entry point (kontor run) and the simulator choose a backend")
                .check(KONTOR);
    }

    /** One slice per source file: a class and its nested classes. */
    private static final SliceAssignment BY_FILE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            JavaClass outer = c;
            while (outer.getEnclosingClass().isPresent()) {
                outer = outer.getEnclosingClass().get();
            }
            return SliceIdentifier.of(outer.getName());
        }

        @Override
        public String getDescription() {
            return "source files";
        }
    };

    private static String[] append(String[] a, String... more) {
        String[] all = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, all, a.length, more.length);
        return all;
    }
}
