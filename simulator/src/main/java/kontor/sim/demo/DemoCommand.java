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
import kontor.gateway.Gateway;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.sim.broker.BrokerUser;
import kontor.sim.broker.DemoBroker;
import kontor.sim.time.SimulatedTime;
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

    @Option(names = "--mqtt", description = "Use this external broker (tcp://host:port) instead of the embedded one.")
    URI mqtt;

    @Option(names = "--mqtt-port", description = "Port of the embedded broker on 127.0.0.1 (default: ${DEFAULT-VALUE}).", defaultValue = "1883")
    int mqttPort;

    @Option(names = "--coap-port", description = "CoAP port on 127.0.0.1; DTLS listens on the next one (default: ${DEFAULT-VALUE}).", defaultValue = "5683")
    int coapPort;

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
        Site site = loadSite();
        if (scenario != null && !scenario.equals("day")) {
            throw new UserError("unknown scenario '" + scenario + "'; the only one is 'day'");
        }
        if (mqttPort < 0 || mqttPort > 65535 || coapPort < 0 || coapPort > 65534) {
            throw new UserError("ports must be 0..65535");
        }
        SimulatedTime movable = clock == null ? null : SimulatedTime.flowing(startTime(site));
        Scheduler time = movable != null ? movable : new SystemScheduler("site");
        Demo demo = new Demo(site, time, movable);
        demo.dataDir = data;
        try {
            String root = site.topicRoot() + "/" + site.id();
            URI broker = mqtt;
            String gatewayUser = "kontor-gateway";
            String gatewayPassword = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16));
            if (broker == null) {
                demo.broker = DemoBroker.start(mqttPort, root, List.of(
                        new BrokerUser(gatewayUser, gatewayPassword, BrokerUser.Role.GATEWAY),
                        new BrokerUser(OPERATOR, OPERATOR_PASSWORD, BrokerUser.Role.OPERATOR),
                        new BrokerUser(MONITOR, MONITOR_PASSWORD, BrokerUser.Role.MONITOR)));
                broker = URI.create("tcp://127.0.0.1:" + demo.broker.port());
            } else {
                gatewayUser = null;
                gatewayPassword = null;
            }
            demo.brokerUri = broker;
            Files.createDirectories(data);
            String user = gatewayUser;
            char[] password = gatewayPassword == null ? null : gatewayPassword.toCharArray();
            String brokerUri = broker.toString();
            Map<String, byte[]> psks = new LinkedHashMap<>();
            site.coapNodes().forEach(node -> psks.put(node.id(), demoPsk(node.id()).getBytes(StandardCharsets.UTF_8)));
            demo.world = SimulatedSite.start(site, data, time, movable,
                    will -> new PahoMqttPort(MqttSettings.builder(brokerUri, "kontor-" + site.id())
                            .credentials(user, password)
                            .will(will.topic(), will.payload(), true)
                            .build()),
                    CoapSettings.loopback(coapPort, psks));
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

    private Site loadSite() {
        try {
            return siteFile == null ? SiteFiles.demo() : SiteFiles.load(siteFile);
        } catch (SiteFileException e) {
            throw new UserError("the site file has problems:\n" + String.join("\n", e.problems().stream().map(Object::toString).toList()));
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
        final Site site;
        final Scheduler time;
        final SimulatedTime movable;
        Path dataDir;
        DemoBroker broker;
        URI brokerUri;
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
            b.append("  clock     ").append(movable == null ? "real time" : "movable, now " + time.now().atZone(site.zone()).toLocalDateTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append('\n');
            b.append("  data      ").append(dataDir.toAbsolutePath()).append('\n');
            b.append("Try:  mosquitto_sub -u monitor -P demo-monitor -t '").append(root).append("/#' -v\n");
            b.append("      mosquitto_rr -u operator -P demo-operator -t ").append(root)
                    .append("/cmd/gateway.info -e ").append(root).append("/reply/operator/1 -m '{\"id\":\"1\"}'\n");
            b.append("      mosquitto_pub -u operator -P demo-operator -t ").append(root)
                    .append("/sim/tap -m '{\"reader\":\"reader-room-1\",\"card\":\"04A1B2C3D4E501\"}'\n");
            if (coap != null) {
                String port = coap.plainPort() == CoapSettings.DEFAULT_PORT ? "" : ":" + coap.plainPort();
                site.rooms().stream().findFirst().ifPresent(room -> {
                    b.append("      coap-client-notls -m get coap://127.0.0.1").append(port).append("/rooms/").append(room.id()).append('\n');
                    b.append("      coap-client-notls -s 60 coap://127.0.0.1").append(port).append("/rooms/").append(room.id()).append('\n');
                });
                coap.nodes().stream().findFirst().ifPresent(node -> b.append("      coap-client-openssl -u ").append(node)
                        .append(" -k ").append(demoPsk(node)).append(" -m post -e '{\"motion\":true,\"battery\":87}' coaps://127.0.0.1:")
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
            closeQuietly(broker);
            if (time instanceof AutoCloseable c) {
                closeQuietly(c);
            }
            scenario = null;
            control = null;
            world = null;
            gateway = null;
            broker = null;
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
