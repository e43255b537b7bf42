package kontor.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import kontor.coap.CoapSettings;
import kontor.coap.PskFile;
import kontor.device.gpio.GpioAccess;
import kontor.device.gpio.Pi4jDevices;
import kontor.device.ipp.IppPrinter;
import kontor.console.Accounts;
import kontor.console.Console;
import kontor.gateway.Gateway;
import kontor.http.HttpFront;
import kontor.site.HttpSpec;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.site.PrinterSpec;
import kontor.site.CoapSpec;
import kontor.site.Site;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;
import kontor.site.SiteSettings;
import kontor.time.SystemScheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kontor run --config FILE}: production, on real hardware through Pi4J's gpiod provider. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a site on real hardware (Pi4J gpiod), with the broker named in the site file.")
public final class RunCommand implements Callable<Integer> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RunCommand.class);

    /**
     * The JVM options a gateway runs with: the installed launcher's defaults ({@code KONTOR_JAVA_OPTS}
     * replaces them), and what the footprint benchmark measures. A small initial heap: the JVM's own
     * default is 1/64 of the machine's memory, most of it touched at start-up and never given back.
     * The serial collector: a gateway keeps about 25 MB of live heap, and G1's regions, remembered sets and
     * threads cost some 40 MB of RSS more for it (docs/benchmarks.md); it is also what the JVM itself picks on a
     * board with less than 2 GB or 2 cores, so a bigger board now runs the same as a Pi Zero 2 W.
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC");

    /**
     * The JVM options that keep the classes a gateway loads in a class-data archive at {@code archive}: the
     * first start writes it, every later start maps it (about a second less on start-up). The JVM writes it
     * again when the JDK or the jars change.
     */
    public static List<String> classArchiveOptions(String archive) {
        return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
    }

    /** Passwords of the loopback-only demo; a production broker connection refuses them. */
    private static final Set<String> DEMO_PASSWORDS = Set.of("demo-operator", "demo-monitor");

    @Option(names = "--config", required = true, description = "The site file.")
    Path config;

    @Option(names = "--data", description = "Directory of the site's database and secret (default: ${DEFAULT-VALUE}).",
            defaultValue = "/var/lib/kontor")
    Path data;

    /** Where this machine's /dev and /proc are: the real root, but for tests. */
    Path machineRoot = Path.of("/");

    @Override
    public Integer call() throws Exception {
        Site site = load(config);
        if (site.mqtt() == null) {
            throw new UserError(config + ": the site file has no 'mqtt' section; production needs a broker");
        }
        requireWatchedPrinters(site, config);
        MqttSettings.Builder settings = mqttSettings(site);
        CoapSettings coap = coapSettings(site);
        GpioAccess.problem(machineRoot).ifPresent(problem -> {
            throw new UserError(problem, Main.NO_HARDWARE);
        });
        SystemScheduler scheduler = new SystemScheduler("site");
        Gateway.Builder builder = Gateway.builder(site)
                .dataDir(data)
                .scheduler(scheduler)
                .devices(Pi4jDevices.onThisPi(scheduler, IppPrinter::of))
                .mqtt(will -> new PahoMqttPort(settings.will(will.topic(), will.payload(), true).build()))
                .coap(coap)
                .clockSync(kontor.time.SystemClockSync.create())
                .version(Version.current());
        Console console = console(site, data, builder);
        Gateway gateway = builder.build();
        if (console != null) {
            console.attach(gateway);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ControlSocket[] control = new ControlSocket[1];
        SystemdNotify systemd = SystemdNotify.of(System.getenv("NOTIFY_SOCKET"));
        SiteWatchdog[] watchdog = new SiteWatchdog[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (systemd != null) {
                systemd.send("STOPPING=1");
            }
            if (watchdog[0] != null) {
                watchdog[0].close();
            }
            if (control[0] != null) {
                control[0].close();
            }
            gateway.close();
            scheduler.close();
            stopped.countDown();
        }, "kontor-shutdown"));
        gateway.start();
        control[0] = ControlSocket.start(data, gateway.context().db());
        if (systemd != null) {
            // Type=notify: systemd counts the gateway as started only now, with its outputs safe and its journal open.
            java.time.Duration beat = SiteWatchdog.interval(System.getenv("WATCHDOG_USEC"), System.getenv("WATCHDOG_PID"),
                    ProcessHandle.current().pid());
            if (beat != null) {
                watchdog[0] = new SiteWatchdog(scheduler, systemd::send).start(beat);
            }
            systemd.send("READY=1");
        }
        stopped.await();
        return 0;
    }

    /**
     * The host console over HTTPS with the site certificate, when the site file has an {@code http} section;
     * null without one. Never plain HTTP here: the session cookie is always {@code Secure}.
     */
    static Console console(Site site, Path data, Gateway.Builder builder) {
        HttpSpec spec = site.http();
        if (spec == null) {
            return null;
        }
        for (Path f : List.of(spec.certFile(), spec.keyFile())) {
            if (!Files.isReadable(f)) {
                throw new UserError(f + " cannot be read: the http section needs the site certificate and its key");
            }
        }
        Accounts accounts = new Accounts(data);
        if (accounts.count(kontor.console.Role.ADMIN) == 0) {
            log.warn("The host console has no admin account yet: create one with 'kontor provision console-user --role admin'");
        }
        Console console = new Console(accounts, false);
        builder.http(List.of(listener(spec))).httpRoutes(console);
        return console;
    }

    /**
     * The gateway's one HTTPS listener for the site file's {@code http} section: the console and every other route,
     * the print queue's {@code /ipp/print} among them (IPPS), with the site certificate.
     */
    public static HttpFront.Listener listener(HttpSpec spec) {
        return HttpFront.Listener.tls(spec.bind(), spec.port(), new HttpFront.Tls(spec.certFile(), spec.keyFile()));
    }

    /** Only the demo simulates printers: in production every printer needs its IPP URI. */
    static void requireWatchedPrinters(Site site, Path file) {
        List<String> unwatched = site.printers().stream().filter(PrinterSpec::simulated).map(PrinterSpec::id).toList();
        if (!unwatched.isEmpty()) {
            throw new UserError(file + ": printer " + String.join(", ", unwatched)
                    + " has no 'ipp' URI (e.g. ipp: ipp://192.168.1.40/ipp/print); only the demo simulates printers");
        }
    }

    static Site load(Path file) {
        try {
            return SiteFiles.load(file);
        } catch (SiteFileException e) {
            // One line per problem (FILE:LINE: …), or the one sentence when the file could not be read at all.
            throw new UserError(String.join("\n", e.lines()));
        }
    }

    /** TLS with verification whenever the broker is not on this machine; never a demo password. */
    private MqttSettings.Builder mqttSettings(Site site) throws IOException {
        var m = site.mqtt();
        URI url = m.url();
        if (!isLoopback(url.getHost()) && !"ssl".equals(url.getScheme())) {
            throw new UserError("the broker " + url.getHost() + " is not on this machine: use ssl:// with a ca_file");
        }
        char[] password = null;
        if (m.passwordFile() != null) {
            String pw = readPassword(m.passwordFile());
            if (DEMO_PASSWORDS.contains(pw)) {
                throw new UserError(m.passwordFile() + " holds a demo password; generate real ones with 'kontor provision credentials'");
            }
            password = pw.toCharArray();
        }
        MqttSettings.Builder b = MqttSettings.builder(url.toString(), m.clientId() != null ? m.clientId() : SiteSettings.defaultClientId(site.id()))
                .credentials(m.username(), password);
        if (m.caFile() != null) {
            b.trust(m.caFile());
        }
        if (m.clientCertFile() != null) {
            b.clientCertificate(m.clientCertFile(), m.clientKeyFile());
        }
        return b;
    }

    /** The broker password of the site file's {@code mqtt.password_file}; a missing or unreadable file is the installer's to fix. */
    static String readPassword(Path file) {
        try {
            String pw = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (pw.isEmpty()) {
                throw new UserError("mqtt.password_file " + file + " is empty");
            }
            return pw;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("mqtt.password_file " + file + " does not exist; 'kontor provision install --config FILE"
                    + " --credentials DIR' puts the gateway's password there (as secrets/password next to the site file)");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserError("mqtt.password_file " + file + " cannot be read by the user " + System.getProperty("user.name")
                    + " (it should be root:kontor, mode 640, as 'kontor provision install' leaves it)");
        } catch (IOException e) {
            throw new UserError("mqtt.password_file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** DTLS only, with the keys of the site file's {@code coap.psk_file}; no CoAP server without that section. */
    static CoapSettings coapSettings(Site site) throws UnknownHostException {
        CoapSpec spec = site.coap();
        if (spec == null) {
            if (!site.coapNodes().isEmpty()) {
                throw new UserError("the site file declares CoAP nodes (" + site.coapNodes().getFirst().id()
                        + " …) but no 'coap' section with the file of their pre-shared keys");
            }
            return null;
        }
        Map<String, byte[]> keys;
        try {
            keys = PskFile.read(spec.pskFile());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        for (Map.Entry<String, byte[]> key : keys.entrySet()) {
            if (new String(key.getValue(), StandardCharsets.UTF_8).startsWith("demo-psk-")) {
                throw new UserError(spec.pskFile() + " gives " + key.getKey() + " a demo key; give every node a key of its own");
            }
        }
        for (var node : site.coapNodes()) {
            if (!keys.containsKey(node.id())) {
                log.warn("CoAP node {} has no key in {}: it cannot report until it gets one", node.id(), spec.pskFile());
            }
        }
        return CoapSettings.dtlsOnly(InetAddress.getByName(spec.bind()), spec.port(), keys);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * A UNIX socket in the data directory through which local tools reach the running gateway's database.
     * H2 locks its file for the one process that has it open, so {@code kontor backup} cannot open the database
     * while the gateway runs; instead it asks the gateway, which runs H2's transactionally consistent
     * {@code BACKUP TO} into the data directory (the only place the hardened service may write) and answers with
     * the file's name. Only who may enter the data directory (mode 700: the kontor user and root) can connect.
     *
     * <p>Protocol: one line {@code backup}, answered by one line {@code ok FILE} or {@code error MESSAGE}.
     */
    public static final class ControlSocket implements AutoCloseable {
        /** The socket's name in the data directory. */
        public static final String NAME = "control.sock";
        /** The request that asks for a backup. */
        public static final String BACKUP = "backup";
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ControlSocket.class);

        private final Path path;
        private final java.nio.channels.ServerSocketChannel server;
        private final kontor.store.Database db;
        private final Thread thread;

        private ControlSocket(Path path, java.nio.channels.ServerSocketChannel server, kontor.store.Database db) {
            this.path = path;
            this.server = server;
            this.db = db;
            this.thread = new Thread(this::serve, "kontor-control");
            this.thread.setDaemon(true);
        }

        /** Listens on {@code dataDir/control.sock}; a failure only costs online backups, so it is logged, not thrown. */
        public static ControlSocket start(Path dataDir, kontor.store.Database db) {
            Path path = dataDir.toAbsolutePath().resolve(NAME);
            try {
                Files.deleteIfExists(path); // left over from a gateway that did not stop cleanly
                var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                server.bind(java.net.UnixDomainSocketAddress.of(path));
                ControlSocket socket = new ControlSocket(path, server, db);
                socket.thread.start();
                return socket;
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("No control socket {} ({}): 'kontor backup' needs the gateway stopped", path, e.toString());
                return null;
            }
        }

        private void serve() {
            while (server.isOpen()) {
                try (var channel = server.accept();
                     var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                             java.nio.channels.Channels.newInputStream(channel), StandardCharsets.UTF_8));
                     var out = new java.io.PrintWriter(java.nio.channels.Channels.newOutputStream(channel), true,
                             StandardCharsets.UTF_8)) {
                    String request = in.readLine();
                    out.println(BACKUP.equals(request) ? backup() : "error unknown request");
                } catch (java.nio.channels.ClosedChannelException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    log.warn("Control request failed: {}", e.toString());
                }
            }
        }

        private String backup() {
            Path file = path.getParent().resolve("backup-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + ".zip");
            try {
                // H2 writes into a file that exists and keeps its mode: the backup holds what the database holds.
                kontor.store.PrivateFiles.create(file);
                db.read(tx -> {
                    try (var s = tx.connection().createStatement()) {
                        s.execute("BACKUP TO '" + file.toString().replace("'", "''") + "'");
                    }
                    return null;
                });
                log.info("Online backup written to {}", file);
                return "ok " + file.getFileName();
            } catch (IOException | RuntimeException e) {
                log.warn("Online backup failed: {}", e.toString());
                return "error " + e.getMessage();
            }
        }

        @Override
        public void close() {
            try {
                server.close();
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.debug("Closing the control socket: {}", e.toString());
            }
        }
    }
}
