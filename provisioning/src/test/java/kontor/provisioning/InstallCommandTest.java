package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallCommandTest {
    @TempDir
    Path dir;
    Path site;
    Path root;
    Path lib;
    Path creds;

    @BeforeEach
    void prepare() throws Exception {
        site = dir.resolve("site.yaml");
        Files.writeString(site, SiteFiles.skeleton("test-site"));
        root = dir.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ngpio:x:997:pi\ni2c:x:998:pi\n");
        lib = dir.resolve("lib");
        Files.createDirectories(lib);
        Files.writeString(lib.resolve("kontor-controller-0.1.0.jar"), "jar");
        creds = dir.resolve("creds");
        assertThat(Cli.run("provision", "credentials", "--site", site.toString(), "--out", creds.toString()).exit()).isZero();
    }

    private Cli install(String... extra) {
        var args = new java.util.ArrayList<>(java.util.List.of("provision", "install", "--config", site.toString(),
                "--root", root.toString(), "--lib", lib.toString(), "--credentials", creds.toString()));
        args.addAll(java.util.List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.count();
        }
    }

    @Test
    void a_dry_run_prints_every_step_and_changes_nothing() throws Exception {
        long before = files(root);
        Cli r = install("--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Would install Kontor for site 'test-site'")
                .contains("create the system user kontor: useradd --system")
                .contains("directory /var/lib/kontor (mode rwx------, owner kontor:kontor)")
                .contains("to /etc/kontor/site.yaml")
                .contains("to /var/lib/kontor/site.secret (mode rw-------")
                .contains("to /etc/kontor/secrets/password")
                .contains("write /etc/systemd/system/kontor.service")
                .contains("systemctl enable kontor.service")
                .contains("Dry run: nothing was changed.");
        assertThat(files(root)).isEqualTo(before);
    }

    @Test
    void installs_a_hardened_unit_the_config_and_the_secrets_in_place() throws Exception {
        Cli r = install();
        assertThat(r.exit()).as(r.err()).isZero();
        String unit = Files.readString(root.resolve("etc/systemd/system/kontor.service"));
        assertThat(unit).contains("User=kontor", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ReadWritePaths=/var/lib/kontor", "PrivateTmp=yes", "SupplementaryGroups=gpio i2c",
                "ExecStart=/opt/kontor/bin/kontor run --config /etc/kontor/site.yaml --data /var/lib/kontor");
        assertThat(Files.readString(root.resolve("etc/kontor/site.yaml"))).isEqualTo(Files.readString(site));
        assertThat(Files.readAllBytes(root.resolve("var/lib/kontor/site.secret"))).isEqualTo(Files.readAllBytes(creds.resolve("site.secret")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/kontor/site.secret")))).isEqualTo("rw-------");
        assertThat(Files.readString(root.resolve("etc/kontor/secrets/password")))
                .isEqualTo(Files.readString(creds.resolve("users/kontor-test-site/password")));
        assertThat(root.resolve("opt/kontor/lib/kontor-controller-0.1.0.jar")).exists();
        assertThat(Files.isExecutable(root.resolve("opt/kontor/bin/kontor"))).isTrue();
        assertThat(r.out()).contains("[skipped: not the real root]");
    }

    @Test
    void the_installed_launcher_runs_java_with_the_gateways_options_and_the_services_class_archive() throws Exception {
        assertThat(install().exit()).isZero();
        assertThat(Files.readString(root.resolve("etc/systemd/system/kontor.service")))
                .contains("Environment=KONTOR_CLASS_ARCHIVE=/var/lib/kontor/kontor.jsa");
        Path launcher = root.resolve("opt/kontor/bin/kontor");

        // JAVA=echo: the launcher's java command line, as the shell expands it.
        assertThat(run(launcher, Map.of("JAVA", "echo", "KONTOR_CLASS_ARCHIVE", "/var/lib/kontor/kontor.jsa")))
                .startsWith("-Xms32m -Xmx256m -XX:+UseSerialGC -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=/var/lib/kontor/kontor.jsa ")
                .endsWith("kontor.cli.Main validate x");
        assertThat(run(launcher, Map.of("JAVA", "echo"))).as("no archive outside the service")
                .startsWith("-Xms32m -Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED");
        assertThat(run(launcher, Map.of("JAVA", "echo", "KONTOR_JAVA_OPTS", "-Xmx1g")))
                .startsWith("-Xmx1g --enable-native-access=ALL-UNNAMED");
    }

    private static String run(Path launcher, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", launcher.toString(), "validate", "x").redirectErrorStream(true);
        pb.environment().remove("KONTOR_JAVA_OPTS");
        pb.environment().remove("KONTOR_CLASS_ARCHIVE");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @Test
    void an_upgrade_replaces_the_jars_and_keeps_the_site_secret() throws Exception {
        assertThat(install().exit()).isZero();
        Files.writeString(root.resolve("var/lib/kontor/site.secret"), "x".repeat(32));
        Files.delete(lib.resolve("kontor-controller-0.1.0.jar"));
        Files.writeString(lib.resolve("kontor-controller-0.2.0.jar"), "jar");
        Cli r = install();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("keep the existing /var/lib/kontor/site.secret");
        assertThat(Files.readString(root.resolve("var/lib/kontor/site.secret"))).isEqualTo("x".repeat(32));
        assertThat(root.resolve("opt/kontor/lib/kontor-controller-0.2.0.jar")).exists();
        assertThat(root.resolve("opt/kontor/lib/kontor-controller-0.1.0.jar")).doesNotExist();
        assertThat(root.resolve("opt/kontor/lib.old/kontor-controller-0.1.0.jar")).exists();
    }

    @Test
    void the_unit_tells_systemd_when_to_give_up_and_names_documentation_the_install_writes() throws Exception {
        assertThat(install().exit()).isZero();
        String unit = Files.readString(root.resolve("etc/systemd/system/kontor.service"));
        String unitSection = unit.substring(unit.indexOf("[Unit]"), unit.indexOf("[Service]"));
        assertThat(unitSection).contains("StartLimitIntervalSec=", "StartLimitBurst=");
        assertThat(unit.substring(unit.indexOf("[Service]"))).doesNotContain("StartLimit");
        assertThat(unit).contains("RestartPreventExitStatus=2 3", "Type=notify", "NotifyAccess=main", "WatchdogSec=30s");
        String docs = unit.lines().filter(l -> l.startsWith("Documentation=")).findFirst().orElseThrow();
        for (String uri : docs.substring("Documentation=".length()).split(" ")) {
            assertThat(uri).startsWith("file:///");
            assertThat(root.resolve(uri.substring("file:///".length()))).as(uri).isRegularFile();
        }
        assertThat(Files.readString(root.resolve("opt/kontor/docs/installer.md"))).startsWith("# Installer's guide");
    }

    @Test
    void systemd_itself_finds_nothing_to_complain_about_in_the_unit() throws Exception {
        assertThat(install().exit()).isZero();
        // systemd-analyze checks that ExecStart's program exists; below --root it does not, so /bin/true stands in.
        Path unit = dir.resolve("kontor.service");
        Files.writeString(unit, Files.readString(root.resolve("etc/systemd/system/kontor.service"))
                .replace("ExecStart=/opt/kontor/bin/kontor ", "ExecStart=/bin/true "));
        Process p = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).as("systemd's warnings (an unknown key is only a warning)").isBlank();
    }

    @Test
    void credentials_of_another_site_are_refused_before_the_first_step_also_in_a_dry_run() throws Exception {
        Files.writeString(site, SiteFiles.skeleton("other-site"));
        for (String mode : new String[] {"--dry-run", null}) {
            Cli r = mode == null ? install() : install(mode);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("users/kontor-other-site/password").contains("made for site 'other-site'")
                    .contains("Nothing was changed.");
            assertThat(r.out()).doesNotContain("1.");
        }
        assertThat(root.resolve("etc/kontor")).doesNotExist();
        assertThat(root.resolve("opt")).doesNotExist();
    }

    @Test
    void a_broken_site_file_installs_nothing() throws Exception {
        Files.writeString(site, "id: x\n");
        Cli r = install();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(root.resolve("etc/kontor")).doesNotExist();
    }
}
