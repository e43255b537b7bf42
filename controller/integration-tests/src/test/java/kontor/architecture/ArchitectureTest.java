package kontor.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shape of the house, kept by tests (see docs/architecture.md): layers whose arrows only point
 * down, no package loop, no loop between files, and Pi4J only in the driver module (device-drivers and the modules
 * inside it).
 */
class ArchitectureTest {
    private static final JavaClasses KONTOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Other modules arrive as jars: keep their main classes, not their test jars.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("kontor");

    /** The repository: surefire runs this module's tests in controller/integration-tests. */
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    private static final String[] INFRASTRUCTURE = {"kontor.site..", "kontor.store..", "kontor.mqtt..", "kontor.journal..", "kontor.members..",
            "kontor.http..", "kontor.tls.."};
    private static final String[] SERVICES = {"kontor.access..", "kontor.safety..", "kontor.rooms..", "kontor.entrance..",
            "kontor.lockers..", "kontor.money..", "kontor.copying..", "kontor.printing..", "kontor.field..",
            "kontor.discovery..", "kontor.coap..", "kontor.fleet..", "kontor.calendars.."};

    /** The rules below are only as good as what they see: one class of every module, from its jar or its classes. */
    @Test
    void every_module_is_checked() {
        assertThat(java.util.List.of("kontor.device.Lock", "kontor.sim.hardware.SimulatedBoard", "kontor.testing.HelperProcess", "kontor.gateway.Gateway",
                "kontor.provisioning.ValidateCommand", "kontor.sim.demo.DemoCommand", "kontor.bench.BenchCommand"))
                .allSatisfy(name -> assertThat(KONTOR.contain(name)).as(name).isTrue());
        // The Pi4J rule tells the modules apart by where their classes were loaded from (the reactor's target/).
        assertThat(moduleOf(KONTOR.get("kontor.device.gpio.Pi4jDevices"))).isEqualTo("device-drivers");
        assertThat(moduleOf(KONTOR.get("kontor.sim.hardware.SimulatedBoard"))).isEqualTo("device-drivers/simulated-board");
        assertThat(moduleOf(KONTOR.get("kontor.sim.demo.DemoCommand"))).isEqualTo("simulator");
    }

    @Test
    void every_arrow_points_down_the_layers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                // A new package must be given its place here, or this fails.
                .ensureAllClassesAreContainedInArchitecture()
                .layer("Drivers").definedBy("kontor.device..", "kontor.time..")
                .layer("Infrastructure").definedBy(INFRASTRUCTURE)
                .layer("Kernel").definedBy("kontor.core..")
                .layer("Services").definedBy(SERVICES)
                .layer("Composition").definedBy("kontor.gateway..", "kontor.console..", "kontor.cli..")
                .layer("Tools").definedBy("kontor.sim..", "kontor.bench..", "kontor.provisioning..")
                // kontor-testing: the tests' real peers; main code only in the bench, which starts brokers.
                .layer("Test fixtures").definedBy("kontor.testing..")
                .whereLayer("Test fixtures").mayOnlyBeAccessedByLayers("Tools")
                .whereLayer("Tools").mayNotBeAccessedByAnyLayer()
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

    /** Pi4J belongs to the driver module: device-drivers and the modules inside it (the simulated board). */
    static final ArchRule PI4J_ONLY_IN_THE_DRIVER_MODULE = noClasses()
            .that(new DescribedPredicate<JavaClass>("are outside the driver module (device-drivers and its submodules)") {
                @Override
                public boolean test(JavaClass c) {
                    String module = moduleOf(c);
                    return !module.equals("device-drivers") && !module.startsWith("device-drivers/");
                }
            })
            .should().dependOnClassesThat().resideInAPackage("com.pi4j..");

    @Test
    void pi4j_only_in_the_driver_module() {
        PI4J_ONLY_IN_THE_DRIVER_MODULE.check(KONTOR);
    }

    /** A Pi4J import anywhere else (here: in this module) breaks the rule, so the rule above can fail. */
    @Test
    void the_pi4j_rule_fails_on_a_pi4j_import_outside_the_driver_module() {
        JavaClasses outside = new ClassFileImporter().importClasses(UsesPi4j.class);
        assertThat(moduleOf(outside.get(UsesPi4j.class))).isEqualTo("controller/integration-tests");
        assertThat(PI4J_ONLY_IN_THE_DRIVER_MODULE.evaluate(outside).hasViolation()).isTrue();
    }

    static final class UsesPi4j {
        com.pi4j.context.Context context;
    }

    @Test
    void the_site_reaches_hardware_only_through_the_device_ports() {
        noClasses().that().resideInAnyPackage(append(append(INFRASTRUCTURE, SERVICES), "kontor.core..", "kontor.gateway.."))
                .should().dependOnClassesThat().resideInAnyPackage("kontor.device.gpio..", "kontor.device.ipp..", "kontor.device.wiegand..")
                .because("only the production entry point (kontor run) and the simulator choose a backend")
                .check(KONTOR);
    }

    /**
     * The Maven module a class was loaded from, as its folder in the repository ("device-drivers/simulated-board"):
     * the folder above the target/ that holds its classes or its jar. Empty for a class from outside the repository
     * (a jar in the local Maven repository), which no rule then counts as the driver module's.
     */
    static String moduleOf(JavaClass c) {
        String uri = c.getSource().orElseThrow().getUri().toString();
        String file = uri.startsWith("jar:") ? uri.substring(4, uri.indexOf("!/")) : uri;
        Path path = Path.of(URI.create(file)).toAbsolutePath().normalize();
        if (!path.startsWith(ROOT)) {
            return "";
        }
        Path inRepository = ROOT.relativize(path);
        for (int i = 0; i < inRepository.getNameCount(); i++) {
            if (inRepository.getName(i).toString().equals("target")) {
                return i == 0 ? "" : inRepository.subpath(0, i).toString().replace('\\', '/');
            }
        }
        return "";
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
