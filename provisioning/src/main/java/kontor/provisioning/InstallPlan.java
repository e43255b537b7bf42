package kontor.provisioning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import kontor.site.MqttSpec;
import kontor.site.Site;

/**
 * The steps that install (or upgrade) Kontor on a Pi, each one printable before it is done. File steps happen
 * below {@code root} ({@code /} for real; a scratch directory in tests); system commands (useradd, chown,
 * systemctl) run only against the real root.
 */
final class InstallPlan {
    static final String USER = "kontor";
    static final List<String> HARDWARE_GROUPS = List.of("gpio", "i2c");

    /** One step: what it does, in words and, for commands, the command line. */
    interface Step {
        String describe();

        void apply() throws IOException, InterruptedException;
    }

    private final Path root;
    private final List<Step> steps = new ArrayList<>();
    /** The files the steps copy, so that a missing one is found before the first step (also in a dry run). */
    private final List<Path> sources = new ArrayList<>();

    InstallPlan(Path root) {
        this.root = root;
    }

    List<Step> steps() {
        return steps;
    }

    /** The files the steps will copy that are not there: an install stops before its first step if there are any. */
    List<Path> missingSources() {
        return sources.stream().filter(f -> !Files.isRegularFile(f)).toList();
    }

    private static String resource(String name) {
        try (var in = InstallPlan.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    boolean realRoot() {
        return root.toAbsolutePath().normalize().equals(Path.of("/"));
    }

    /** The path {@code absolute} (e.g. /etc/kontor) under this plan's root. */
    Path at(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /**
     * @param site        the checked site file
     * @param siteFile    where it is now
     * @param credentials the output of {@code provision credentials}, or null
     * @param jars        Kontor's jars to install, or null to leave /opt/kontor/lib as it is
     * @param java        the java binary the launcher runs
     * @param userExists  whether the system user exists already
     */
    static InstallPlan of(Path root, Site site, Path siteFile, Path credentials, List<Path> jars, String java,
                          boolean userExists, List<String> groups) {
        InstallPlan p = new InstallPlan(root);
        if (!userExists) {
            p.command("create the system user " + USER, "useradd", "--system", "--user-group", "--home-dir", "/var/lib/kontor",
                    "--no-create-home", "--shell", "/usr/sbin/nologin", USER);
        }
        p.directory("/etc/kontor", "rwxr-x---", "root:" + USER);
        p.directory("/etc/kontor/secrets", "rwxr-x---", "root:" + USER);
        p.directory("/var/lib/kontor", "rwx------", USER + ":" + USER);
        p.directory("/opt/kontor", "rwxr-xr-x", null);
        p.directory("/opt/kontor/bin", "rwxr-xr-x", null);
        p.copy(siteFile, "/etc/kontor/site.yaml", "rw-r-----", "root:" + USER);
        Path siteDir = siteFile.toAbsolutePath().getParent();
        if (credentials != null) {
            String gateway = BrokerPlan.of(site, List.of(), List.of(), false).gateway().name();
            Path user = credentials.resolve("users").resolve(gateway);
            for (String f : List.of("password", "ca.pem", "client.pem", "client.key")) {
                p.copy(user.resolve(f), "/etc/kontor/secrets/" + f, "rw-r-----", "root:" + USER);
            }
            Path secret = credentials.resolve(SiteData.SECRET_FILE);
            if (Files.exists(p.at("/var/lib/kontor/site.secret"))) {
                p.note("keep the existing /var/lib/kontor/site.secret (a new one would make every enrolled card unknown)");
            } else {
                p.copy(secret, "/var/lib/kontor/site.secret", "rw-------", USER + ":" + USER);
            }
        }
        MqttSpec mqtt = site.mqtt();
        if (mqtt != null) {
            for (Path referenced : Stream.of(mqtt.passwordFile(), mqtt.caFile(), mqtt.clientCertFile(), mqtt.clientKeyFile())
                    .filter(Objects::nonNull).toList()) {
                Path relative = siteDir.relativize(referenced.toAbsolutePath().normalize());
                if (!relative.startsWith("..") && Files.exists(referenced)) {
                    p.copy(referenced, "/etc/kontor/" + relative.toString().replace('\\', '/'), "rw-r-----", "root:" + USER);
                }
            }
        }
        if (jars != null) {
            p.jars(jars);
        }
        p.file("/opt/kontor/bin/kontor", launcher(java), "rwxr-xr-x");
        p.directory(SystemdUnit.DOCS_DIR, "rwxr-xr-x", null);
        for (String doc : SystemdUnit.DOCS) {
            p.file(SystemdUnit.DOCS_DIR + "/" + doc, resource(SystemdUnit.DOCS_RESOURCE + doc), "rw-r--r--");
        }
        p.link("/usr/local/bin/kontor", "/opt/kontor/bin/kontor");
        p.file("/etc/systemd/system/kontor.service", SystemdUnit.text(site.id(), groups), "rw-r--r--");
        if (AvahiService.announces(site)) {
            // Avahi picks the file up by itself; without avahi-daemon installed it waits there, harmless.
            p.file(AvahiService.PATH, AvahiService.text(site, localName()), "rw-r--r--");
        } else if (Files.isRegularFile(p.at(AvahiService.PATH))) {
            // The site no longer serves a print queue: an announcement left behind would send phones to nothing.
            String content;
            try {
                content = Files.readString(p.at(AvahiService.PATH));
            } catch (IOException e) {
                content = "";
            }
            if (AvahiService.ours(content)) {
                p.remove(AvahiService.PATH, "the site serves no print queue now");
            } else {
                p.note("leave " + AvahiService.PATH + " alone: Kontor did not write it");
            }
        }
        p.command("let systemd read the unit", "systemctl", "daemon-reload");
        p.command("start Kontor at boot", "systemctl", "enable", "kontor.service");
        p.command("(re)start Kontor now", "systemctl", "restart", "kontor.service");
        return p;
    }

    /** This machine's name on the local network, as Avahi announces it ({@code kontor-pi.local}). */
    private static String localName() {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            return (dot > 0 ? name.substring(0, dot) : name) + ".local";
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    static String launcher(String java) {
        return """
                #!/bin/sh
                # Kontor, as 'kontor provision install' put it here. JAVA and KONTOR_JAVA_OPTS may be set in the environment;
                # KONTOR_CLASS_ARCHIVE (set by the service) is where the gateway keeps its class-data archive.
                exec "${JAVA:-%s}" ${KONTOR_JAVA_OPTS:-%s} ${KONTOR_CLASS_ARCHIVE:+%s} --enable-native-access=ALL-UNNAMED -cp '/opt/kontor/lib/*' kontor.cli.Main "$@"
                """.formatted(java, String.join(" ", kontor.cli.RunCommand.JVM_OPTIONS),
                String.join(" ", kontor.cli.RunCommand.classArchiveOptions("$KONTOR_CLASS_ARCHIVE")));
    }

    void note(String text) {
        steps.add(new Step() {
            @Override
            public String describe() {
                return text;
            }

            @Override
            public void apply() { }
        });
    }

    void directory(String absolute, String mode, String owner) {
        Path dir = at(absolute);
        steps.add(new Step() {
            @Override
            public String describe() {
                return "directory " + absolute + " (mode " + mode + (owner == null ? "" : ", owner " + owner) + ")";
            }

            @Override
            public void apply() throws IOException, InterruptedException {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
                chown(owner, dir);
            }
        });
    }

    void copy(Path from, String absolute, String mode, String owner) {
        Path to = at(absolute);
        sources.add(from);
        steps.add(new Step() {
            @Override
            public String describe() {
                return "copy " + from + " to " + absolute + " (mode " + mode + (owner == null ? "" : ", owner " + owner) + ")";
            }

            @Override
            public void apply() throws IOException, InterruptedException {
                if (!Files.isRegularFile(from)) {
                    throw new IOException(from + " does not exist");
                }
                OutputFiles.write(to, Files.readAllBytes(from), mode);
                chown(owner, to);
            }
        });
    }

    void file(String absolute, String content, String mode) {
        Path to = at(absolute);
        steps.add(new Step() {
            @Override
            public String describe() {
                return "write " + absolute + " (mode " + mode + ")";
            }

            @Override
            public void apply() throws IOException {
                OutputFiles.write(to, content.getBytes(StandardCharsets.UTF_8), mode);
            }
        });
    }

    void remove(String absolute, String why) {
        Path file = at(absolute);
        steps.add(new Step() {
            @Override
            public String describe() {
                return "remove " + absolute + " (" + why + ")";
            }

            @Override
            public void apply() throws IOException {
                Files.deleteIfExists(file);
            }
        });
    }

    void link(String absolute, String target) {
        Path link = at(absolute);
        steps.add(new Step() {
            @Override
            public String describe() {
                return "link " + absolute + " to " + target;
            }

            @Override
            public void apply() throws IOException {
                Files.createDirectories(link.getParent());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of(target));
            }
        });
    }

    /** Replaces /opt/kontor/lib as a whole, so that no jar of an older version stays on the class path. */
    void jars(List<Path> jars) {
        Path lib = at("/opt/kontor/lib");
        Path fresh = at("/opt/kontor/lib.new");
        Path old = at("/opt/kontor/lib.old");
        steps.add(new Step() {
            @Override
            public String describe() {
                return "install " + jars.size() + " jars into /opt/kontor/lib (the previous version is kept in /opt/kontor/lib.old)";
            }

            @Override
            public void apply() throws IOException {
                deleteTree(fresh);
                Files.createDirectories(fresh);
                for (Path jar : jars) {
                    Files.copy(jar, fresh.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(fresh.resolve(jar.getFileName()), PosixFilePermissions.fromString("rw-r--r--"));
                }
                Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
                deleteTree(old);
                if (Files.exists(lib)) {
                    Files.move(lib, old);
                }
                Files.move(fresh, lib);
            }
        });
    }

    void command(String what, String... command) {
        steps.add(new Step() {
            @Override
            public String describe() {
                return what + ": " + String.join(" ", command) + (realRoot() ? "" : "   [skipped: not the real root]");
            }

            @Override
            public void apply() throws IOException, InterruptedException {
                if (realRoot()) {
                    run(command);
                }
            }
        });
    }

    private void chown(String owner, Path path) throws IOException, InterruptedException {
        if (owner != null && realRoot()) {
            run("chown", owner, path.toString());
        }
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = p.waitFor();
        if (code != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + code + ")" + (out.isEmpty() ? "" : ": " + out));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
