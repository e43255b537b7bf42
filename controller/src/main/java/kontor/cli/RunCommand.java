package kontor.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import kontor.coap.CoapSettings;
import kontor.coap.PskFile;
import kontor.device.Health;
import kontor.device.Printer;
import kontor.device.PrinterStatus;
import kontor.device.gpio.Pi4jDevices;
import kontor.gateway.Gateway;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.site.CoapSpec;
import kontor.site.Site;
import kontor.site.SiteFileException;
import kontor.site.SiteFiles;
import kontor.time.SystemScheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kontor run --config FILE}: production, on real hardware through Pi4J's gpiod provider. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a site on real hardware (Pi4J gpiod), with the broker named in the site file.")
public final class RunCommand implements Callable<Integer> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RunCommand.class);

    /** Passwords of the loopback-only demo; a production broker connection refuses them. */
    private static final Set<String> DEMO_PASSWORDS = Set.of("demo-operator", "demo-monitor");

    @Option(names = "--config", required = true, description = "The site file.")
    Path config;

    @Option(names = "--data", description = "Directory of the site's database and secret (default: ${DEFAULT-VALUE}).",
            defaultValue = "/var/lib/kontor")
    Path data;

    @Override
    public Integer call() throws Exception {
        Site site = load(config);
        if (site.mqtt() == null) {
            throw new UserError(config + ": the site file has no 'mqtt' section; production needs a broker");
        }
        MqttSettings.Builder settings = mqttSettings(site);
        CoapSettings coap = coapSettings(site);
        SystemScheduler scheduler = new SystemScheduler("site");
        Gateway gateway = Gateway.builder(site)
                .dataDir(data)
                .scheduler(scheduler)
                .pi4j(Pi4jDevices.gpiodContext())
                .printers((spec, listener) -> new UnmonitoredPrinter(spec.id()))
                .mqtt(will -> new PahoMqttPort(settings.will(will.topic(), will.payload(), true).build()))
                .coap(coap)
                .version(Version.current())
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            scheduler.close();
            stopped.countDown();
        }, "kontor-shutdown"));
        gateway.start();
        stopped.await();
        return 0;
    }

    static Site load(Path file) {
        try {
            return SiteFiles.load(file);
        } catch (SiteFileException e) {
            throw new UserError("the site file has problems:\n" + String.join("\n", e.problems().stream().map(Object::toString).toList()));
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
            String pw = Files.readString(m.passwordFile(), StandardCharsets.UTF_8).strip();
            if (DEMO_PASSWORDS.contains(pw)) {
                throw new UserError(m.passwordFile() + " holds a demo password; generate real ones with 'kontor provision credentials'");
            }
            password = pw.toCharArray();
        }
        MqttSettings.Builder b = MqttSettings.builder(url.toString(), m.clientId() != null ? m.clientId() : "kontor-" + site.id())
                .credentials(m.username(), password);
        if (m.caFile() != null) {
            b.trust(m.caFile());
        }
        if (m.clientCertFile() != null) {
            b.clientCertificate(m.clientCertFile(), m.clientKeyFile());
        }
        return b;
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

    /** Until IPP monitoring exists: a printer whose state is honestly unknown. */
    private record UnmonitoredPrinter(String id) implements Printer {
        @Override
        public void poll() { }

        @Override
        public PrinterStatus status() {
            return null;
        }

        @Override
        public Health health() {
            return new Health(Health.Status.UNKNOWN, "printer monitoring is not available in this version");
        }

        @Override
        public void close() { }
    }
}
