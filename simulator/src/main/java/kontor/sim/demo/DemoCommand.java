package kontor.sim.demo;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kontor.cli.KontorSubcommand;
import kontor.cli.UserError;
import kontor.coap.CoapFront;
import kontor.coap.CoapSettings;
import kontor.console.Accounts;
import kontor.console.Console;
import kontor.console.Role;
import kontor.gateway.Gateway;
import kontor.http.HttpFront;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.sim.broker.BrokerUser;
import kontor.sim.broker.DemoBroker;
import kontor.time.SimulatedTime;
import kontor.site.Site;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;
import kontor.time.Scheduler;
import kontor.time.SystemScheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kontor demo}: the whole demo site on simulated hardware, with an embedded MQTT 5 broker on loopback. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the demo site on simulated hardware with an embedded MQTT broker on loopback.")
public final class DemoCommand implements KontorSubcommand, Callable<Integer> {

    /** The demo's broker users (docs/reference.md). Loopback only: nowhere else are these passwords accepted. */
    static final String OPERATOR = "operator";
    static final String OPERATOR_PASSWORD = "demo-operator";
    static final String MONITOR = "monitor";
    static final String MONITOR_PASSWORD = "demo-monitor";

    /** The demo key of a CoAP node (node-room-3 has demo-psk-room-3). Loopback only. */
    static String demoPsk(String node) {
        return "demo-psk-" + (node.startsWith("node-") ? node.substring("node-".length()) : node);
    }

    @Option(names = "--data", description = "Directory of the demo's database (default: ${DEFAULT-VALUE}).", defaultValue = "kontor-data")
    Path data;

    @Option(names = "--clock", description = "Start the site clock at this local time (e.g. 2026-12-01T07:55:00) and make it movable over sim/clock.")
    String clock;

    @Option(names = "--scenario", description = "Simulated visitors: 'day' keeps the site busy.")
    String scenario;

    @Option(names = "--mqtt", description = "Use this external broker (tcp://host:port or ssl://host:port) instead of the embedded one.")
    URI mqtt;

    /** The environment variable that may hold the external broker's password (never a command-line argument). */
    static final String PASSWORD_ENV = "KONTOR_MQTT_PASSWORD";

    @Option(names = "--mqtt-user", paramLabel = "NAME", description = "The user for the external broker (--mqtt).")
    String mqttUser;

    @Option(names = "--mqtt-password-file", paramLabel = "FILE",
            description = "A file holding that user's password; or set " + PASSWORD_ENV + ". Never on the command line, where every local user could read it.")
    Path mqttPasswordFile;

    @Option(names = "--mqtt-ca", paramLabel = "FILE", description = "PEM CA certificates that sign an ssl:// broker's certificate.")
    Path mqttCa;

    @Option(names = "--mqtt-client-cert", paramLabel = "FILE",
            description = "PEM client certificate for an ssl:// broker that asks for one (with --mqtt-client-key).")
    Path mqttClientCert;

    @Option(names = "--mqtt-client-key", paramLabel = "FILE", description = "PEM PKCS#8 key of --mqtt-client-cert.")
    Path mqttClientKey;

    /** The environment the password may come from; tests replace it. */
    java.util.function.Function<String, String> env = System::getenv;

    @Option(names = "--mqtt-port", description = "Port of the embedded broker on 127.0.0.1 (default: ${DEFAULT-VALUE}).", defaultValue = "1883")
    int mqttPort;

    @Option(names = "--coap-port", description = "CoAP port on 127.0.0.1; DTLS listens on the next one (default: ${DEFAULT-VALUE}).", defaultValue = "5683")
    int coapPort;

    @Option(names = "--http-port", description = "Port of the host console (plain HTTP on 127.0.0.1; default: ${DEFAULT-VALUE}).", defaultValue = "8080")
    int httpPort;

    @Option(names = "--ipp-port", description = "Port of the held print queue (IPP, plain on 127.0.0.1; default: ${DEFAULT-VALUE}).", defaultValue = "8631")
    int ippPort;

    @Option(names = "--ippeveprinter", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run CUPS' ippeveprinter (when installed) as printer-1, the real printer the held print queue releases to "
                    + "(default: on; --no-ippeveprinter keeps printer-1 simulated).")
    boolean ippeveprinter;

    @Option(names = "--caldav", paramLabel = "URL", description = "Link each room to the CalDAV collection URL/{room id}/ "
            + "(created if missing), synced every 10 s. A user:password in the URL is never printed.")
    String caldav;

    @Option(names = "--site", description = "A site file to run instead of the bundled demo site.")
    Path siteFile;

    @Override
    public Integer call() throws Exception {
        Demo demo = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "demo-shutdown"));
        System.out.println(demo.banner());
        stopped.await();
        return 0;
    }

    /** Starts the demo and returns it running; tests use this directly. */
    public Demo start() {
        Site loaded = caldav == null ? loadSite() : DemoCalendars.link(loadSite(), caldav, data);
        if (scenario != null && !scenario.equals("day")) {
            throw new UserError("unknown scenario '" + scenario + "'; the only one is 'day'");
        }
        if (mqttPort < 0 || mqttPort > 65535 || coapPort < 0 || coapPort > 65534 || httpPort < 0 || httpPort > 65535
                || ippPort < 0 || ippPort > 65535) {
            throw new UserError("ports must be 0..65535");
        }
        SimulatedTime movable = clock == null ? null : SimulatedTime.flowing(startTime(loaded));
        Scheduler time = movable != null ? movable : new SystemScheduler("site");
        Demo demo = new Demo(loaded, time, movable);
        demo.dataDir = data;
        demo.bundled = siteFile == null;
        try {
            if (ippeveprinter && siteFile == null) {
                Files.createDirectories(data);
                demo.printer = DemoPrinter.start(data).orElse(null);
                if (demo.printer != null) {
                    Site real = withRealPrinter(demo.printer.uri());
                    demo.site = caldav == null ? real : DemoCalendars.link(real, caldav, data);
                }
            }
            Site site = demo.site;
            String root = site.topicRoot() + "/" + site.id();
            URI broker = mqtt;
            String gatewayUser = "kontor-gateway";
            String gatewayPassword = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
            if (broker == null) {
                demo.broker = startBroker(root, List.of(
                        new BrokerUser(gatewayUser, gatewayPassword, BrokerUser.Role.GATEWAY),
                        new BrokerUser(OPERATOR, OPERATOR_PASSWORD, BrokerUser.Role.OPERATOR),
                        new BrokerUser(MONITOR, MONITOR_PASSWORD, BrokerUser.Role.MONITOR)));
                broker = URI.create("tcp://127.0.0.1:" + demo.broker.port());
            } else {
                gatewayUser = mqttUser;
                gatewayPassword = externalPassword();
            }
            demo.brokerUri = broker;
            Files.createDirectories(data);
            String user = gatewayUser;
            char[] password = gatewayPassword == null ? null : gatewayPassword.toCharArray();
            String brokerUri = broker.toString();
            Map<String, byte[]> psks = new LinkedHashMap<>();
            site.coapNodes().forEach(node -> psks.put(node.id(), demoPsk(node.id()).getBytes(StandardCharsets.UTF_8)));
            // The console's demo accounts, written afresh on every start (loopback only: see demoConsole), on the
            // bundled site only: a --site run may point at a real data directory, whose accounts are its own.
            demo.console = demo.bundled ? demoConsole(data) : new Console(new Accounts(data), true);
            demo.world = SimulatedSite.start(site, data, time, movable,
                    will -> {
                        MqttSettings.Builder settings = MqttSettings.builder(brokerUri, "kontor-" + site.id())
                                .credentials(user, password)
                                .will(will.topic(), will.payload(), true);
                        if (mqttCa != null) {
                            settings.trust(mqttCa);
                        }
                        if (mqttClientCert != null) {
                            settings.clientCertificate(mqttClientCert, mqttClientKey);
                        }
                        return new PahoMqttPort(settings.build());
                    },
                    CoapSettings.loopback(coapPort, psks), siteFile == null, kontor.time.ClockSync.ALWAYS,
                    List.of(HttpFront.Listener.plain("127.0.0.1", httpPort), HttpFront.Listener.plain("127.0.0.1", ippPort)),
                    demo.console);
            demo.gateway = demo.world.gateway();
            demo.control = new SimControl(demo.world, root);
            demo.control.subscribe(demo.gateway.mqtt());
            if ("day".equals(scenario)) {
                demo.scenario = new DayScenario(demo.control, site, time, demo.gateway.members());
                demo.scenario.start();
            }
            return demo;
        } catch (UserError e) {
            demo.close();
            throw e;
        } catch (Exception e) {
            demo.close();
            throw new IllegalStateException("the demo could not start: " + e.getMessage(), e);
        }
    }

    /**
     * The external broker's password: from {@code --mqtt-password-file} or {@value #PASSWORD_ENV}, so that it is
     * never in the process list (a URI's user:password@ is refused for that reason) nor, being no part of the
     * broker URI, in the banner or the log.
     */
    private String externalPassword() {
        if (mqtt.getRawUserInfo() != null) {
            throw new UserError("--mqtt takes no user or password in the URI (every local user can read the process list):"
                    + " give --mqtt-user NAME and the password in --mqtt-password-file FILE or " + PASSWORD_ENV);
        }
        if (!"tcp".equals(mqtt.getScheme()) && !"ssl".equals(mqtt.getScheme()) || mqtt.getHost() == null) {
            throw new UserError("--mqtt must be tcp://host:port or ssl://host:port");
        }
        if ((mqttCa != null || mqttClientCert != null || mqttClientKey != null) && !"ssl".equals(mqtt.getScheme())) {
            throw new UserError("--mqtt-ca, --mqtt-client-cert and --mqtt-client-key are for an ssl:// broker");
        }
        if ((mqttClientCert == null) != (mqttClientKey == null)) {
            throw new UserError("--mqtt-client-cert and --mqtt-client-key go together");
        }
        String fromEnv = env.apply(PASSWORD_ENV);
        if (mqttPasswordFile != null && fromEnv != null) {
            throw new UserError("the password comes from --mqtt-password-file or " + PASSWORD_ENV + ", not both");
        }
        String password = fromEnv;
        if (mqttPasswordFile != null) {
            try {
                password = Files.readString(mqttPasswordFile, StandardCharsets.UTF_8).strip();
            } catch (java.io.IOException e) {
                throw new UserError("cannot read --mqtt-password-file " + mqttPasswordFile + ": "
                        + (e instanceof java.nio.file.NoSuchFileException ? "it does not exist" : e.getMessage()));
            }
        }
        if (password != null && mqttUser == null) {
            throw new UserError("a broker password needs --mqtt-user");
        }
        return password == null || password.isEmpty() ? null : password;
    }

    /** The embedded broker; a taken port (Debian's mosquitto runs on 1883) gets the two ways out. */
    private DemoBroker startBroker(String root, List<BrokerUser> users) throws kontor.sim.broker.BrokerException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), mqttPort));
        } catch (java.io.IOException e) {
            throw new UserError("port " + mqttPort + " on 127.0.0.1 is taken (a running Mosquitto, say): start the demo's"
                    + " broker on another with --mqtt-port N (e.g. --mqtt-port 1884), or use the running broker with --mqtt tcp://127.0.0.1:"
                    + mqttPort + " (see docs/operators.md)");
        }
        return DemoBroker.start(mqttPort, root, users);
    }

    /** The demo console accounts (docs/reference.md); their passwords are shorter than a real account's may be. */
    static final Map<String, String> CONSOLE_USERS = Map.of("host", "demo-host", "admin", "demo-admin", "monitor", "demo-monitor");

    /**
     * The console with the demo's accounts. Plain HTTP on loopback only, so the session cookie goes
     * without {@code Secure} (a browser would not send it back over http otherwise).
     */
    private static Console demoConsole(Path data) {
        Accounts accounts = new Accounts(data);
        CONSOLE_USERS.forEach((name, password) -> accounts.put(name, Role.of(name), password.toCharArray()));
        return new Console(accounts, true);
    }

    private Site loadSite() {
        try {
            return siteFile == null ? SiteFiles.demo() : SiteFiles.load(siteFile);
        } catch (SiteFileException e) {
            throw new UserError(String.join("\n", e.lines()));
        }
    }

    /** The bundled demo site with printer-1 pointed at a real IPP printer. */
    private static Site withRealPrinter(URI ipp) {
        try (var in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SiteFiles.parse(SiteFiles.DEMO_RESOURCE, yaml.replace("- {id: printer-1, kind: printer,",
                    "- {id: printer-1, kind: printer, ipp: " + ipp + ","));
        } catch (java.io.IOException | kontor.site.SiteFileException e) {
            throw new IllegalStateException("the bundled demo site cannot be read", e);
        }
    }

    private java.time.Instant startTime(Site site) {
        try {
            return LocalDateTime.parse(clock).atZone(site.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new UserError("--clock must be a local date-time such as 2026-12-01T07:55:00");
        }
    }

    /** A running demo, closed in the reverse order of its start. */
    public static final class Demo implements AutoCloseable {
        Site site;
        /** printer-1's real engine, when ippeveprinter runs; null while printer-1 is simulated. */
        DemoPrinter printer;
        final Scheduler time;
        final SimulatedTime movable;
        Path dataDir;
        /** Whether this is the bundled demo site: only there are the demo's cards, print login and console accounts. */
        boolean bundled;
        DemoBroker broker;
        URI brokerUri;
        Console console;
        Gateway gateway;
        SimulatedSite world;
        SimControl control;
        DayScenario scenario;

        Demo(Site site, Scheduler time, SimulatedTime movable) {
            this.site = site;
            this.time = time;
            this.movable = movable;
        }

        public Gateway gateway() {
            return gateway;
        }

        public SimulatedSite world() {
            return world;
        }

        public URI brokerUri() {
            return brokerUri;
        }

        /** tcp://127.0.0.1:1883 (or localhost): what mosquitto_sub reaches without -h and -p. */
        private static boolean isLocalDefault(URI uri) {
            return "tcp".equals(uri.getScheme()) && (uri.getPort() == 1883 || uri.getPort() == -1)
                    && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
        }

        private static String hostPort(URI uri) {
            return ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()) ? "" : " -h " + uri.getHost())
                    + (uri.getPort() == -1 ? "" : " -p " + uri.getPort());
        }

        String banner() {
            String root = site.topicRoot() + "/" + site.id();
            StringBuilder b = new StringBuilder();
            b.append("Kontor demo — site '").append(site.id()).append("' (").append(site.name()).append("), ")
                    .append(site.devices().size()).append(" simulated devices\n");
            b.append("  MQTT      ").append(brokerUri).append(broker != null ? " (embedded broker, loopback only)" : "").append('\n');
            if (broker != null) {
                b.append("  users     ").append(OPERATOR).append(" / ").append(OPERATOR_PASSWORD).append("  (commands, simulator)\n");
                b.append("            ").append(MONITOR).append(" / ").append(MONITOR_PASSWORD).append("   (read only)\n");
            }
            b.append("  topics    ").append(root).append("/#\n");
            CoapFront coap = gateway.coap();
            if (coap != null) {
                b.append("  CoAP      coap://127.0.0.1:").append(coap.plainPort()).append(" (plain, loopback only)\n");
                b.append("  DTLS      coaps://127.0.0.1:").append(coap.dtlsPort()).append(" (PSK");
                coap.nodes().forEach(node -> b.append(' ').append(node).append(" / ").append(demoPsk(node)));
                b.append(")\n");
            }
            if (gateway.http() != null) {
                b.append("  console   ").append(gateway.http().urls().getFirst()).append("  (visitors' screen: ")
                        .append(gateway.http().urls().getFirst()).append("screen)\n");
                b.append(bundled ? "            host / demo-host, admin / demo-admin, monitor / demo-monitor\n"
                        : "            the data directory's accounts (kontor provision console-user)\n");
            }
            if (bundled && gateway.http() != null && gateway.http().urls().size() > 1 && !site.printers().stream()
                    .filter(p -> p.releases()).toList().isEmpty()) {
                URI http = gateway.http().urls().get(1);
                String queue = "ipp://127.0.0.1:" + http.getPort() + "/ipp/print";
                b.append("  print     ").append(queue).append("  (held print queue; ").append(DemoCards.VISITOR)
                        .append(": print name ").append(DemoCards.PRINT_NAME).append(", PIN ").append(DemoCards.PRINT_PIN).append(")\n");
                b.append("            printer-1: ").append(printer != null ? "ippeveprinter at " + printer.uri() + ", spool "
                        + printer.spool().toAbsolutePath() : "simulated").append('\n');
            }
            b.append("  clock     ").append(movable == null ? "real time" : "movable, now " + time.now().atZone(site.zone()).toLocalDateTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append('\n');
            site.rooms().stream().filter(r -> r.calendar() != null).findFirst().ifPresent(r -> b.append("  calendars ")
                    .append(DemoCalendars.shown(r.calendar())).append("  (CalDAV, each room's collection, and loans/ for the loan computers; synced every ")
                    .append(r.calendar().poll().toSeconds()).append(" s)\n"));
            b.append("  data      ").append(dataDir.toAbsolutePath()).append('\n');
            // Commands that work on every broker: -h/-p when not the default, replies under the gateway's own root
            // (a provisioned broker lets the gateway write nowhere else). An external broker has its own users.
            String where = (isLocalDefault(brokerUri) ? "" : hostPort(brokerUri));
            String monitor = "-u " + MONITOR + " -P " + (broker != null ? MONITOR_PASSWORD : "\"$MONITOR_PASSWORD\"");
            String operator = "-u " + OPERATOR + " -P " + (broker != null ? OPERATOR_PASSWORD : "\"$OPERATOR_PASSWORD\"");
            String operatorName = OPERATOR;
            if (broker == null) {
                b.append("  users     the broker's own; the lines below assume 'monitor' and 'operator' as 'kontor provision\n")
                        .append("            credentials' makes them (sim/ needs its --simulator), passwords in MONITOR_PASSWORD, OPERATOR_PASSWORD\n");
            }
            b.append("Try:  mosquitto_sub").append(where).append(' ').append(monitor).append(" -t '").append(root).append("/#' -v\n");
            b.append("      mosquitto_rr").append(where).append(' ').append(operator).append(" -t ").append(root)
                    .append("/cmd/gateway.info -e ").append(root).append("/reply/").append(operatorName).append("/1 -m '{\"id\":\"1\"}'\n");
            b.append("      mosquitto_pub").append(where).append(' ').append(operator).append(" -t ").append(root)
                    .append("/sim/tap -m '{\"reader\":\"reader-room-1\",\"card\":\"04A1B2C3D4E501\"}'\n");
            if (bundled && gateway.http() != null && gateway.http().urls().size() > 1) {
                b.append("      ipptool -tv -f some.pdf ipp://").append(DemoCards.PRINT_NAME).append(':').append(DemoCards.PRINT_PIN)
                        .append("@127.0.0.1:").append(gateway.http().urls().get(1).getPort()).append("/ipp/print print-job.test\n");
                b.append("      mosquitto_pub").append(where).append(' ').append(operator).append(" -t ").append(root)
                        .append("/sim/tap -m '{\"reader\":\"reader-printer-1\",\"card\":\"").append(DemoCards.VISITOR).append("\"}'\n");
            }
            if (coap != null) {
                String port = coap.plainPort() == CoapSettings.DEFAULT_PORT ? "" : ":" + coap.plainPort();
                site.rooms().stream().findFirst().ifPresent(room -> {
                    b.append("      coap-client-notls -m get coap://127.0.0.1").append(port).append("/rooms/").append(room.id()).append('\n');
                    b.append("      coap-client-notls -s 60 coap://127.0.0.1").append(port).append("/rooms/").append(room.id()).append('\n');
                });
                coap.nodes().stream().findFirst().ifPresent(node -> b.append("      coap-client-openssl -u ").append(node)
                        .append(" -k ").append(demoPsk(node)).append(" -m post -t 50 -e '{\"motion\":true,\"battery\":87}' coaps://127.0.0.1:")
                        .append(coap.dtlsPort()).append("/devices/").append(node).append("/report\n"));
            }
            b.append("Stop with Ctrl-C.");
            return b.toString();
        }

        @Override
        public synchronized void close() {
            closeQuietly(scenario);
            closeQuietly(control);
            closeQuietly(world);
            closeQuietly(console);
            closeQuietly(broker);
            closeQuietly(printer);
            if (time instanceof AutoCloseable c) {
                closeQuietly(c);
            }
            scenario = null;
            control = null;
            world = null;
            console = null;
            gateway = null;
            broker = null;
            printer = null;
        }

        private static void closeQuietly(AutoCloseable c) {
            if (c == null) {
                return;
            }
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Demo.class).warn("Could not close {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
