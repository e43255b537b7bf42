package kontor.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import kontor.cli.Version;
import java.util.List;
import kontor.console.Accounts;
import kontor.console.Console;
import kontor.gateway.Gateway;
import kontor.http.HttpFront;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.sim.devices.SimulatedPrinter;
import kontor.sim.hardware.SimulatedBoard;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.time.SystemScheduler;

/**
 * The footprint figure's child JVM: loads a site file, starts its gateway on the simulated board
 * with an external broker and its HTTP server (the console and the print queue's IPP server), and reports on stdout: {@code started {...}} once the gateway runs and
 * is connected, {@code measured {...}} with the heap after a full GC; then waits for a line on
 * stdin and shuts down. Nothing else of the benchmark lives in this JVM.
 */
public final class FootprintChild {
    /** The gateway runs this long before the heap is measured: start-up's garbage and publishing are over. */
    static final Duration SETTLE = Duration.ofSeconds(3);

    /** {@code SITE_FILE DATA_DIR BROKER_URL [SETTLE_MS]} */

    private FootprintChild() { }

    public static void main(String[] args) throws Exception {
        long mainAt = System.nanoTime();
        QuietLogging.apply();
        Path siteFile = Path.of(args[0]);
        Site site = SiteFiles.parse(siteFile.toString(), Files.readString(siteFile, StandardCharsets.UTF_8));
        long parsedAt = System.nanoTime();
        SystemScheduler scheduler = new SystemScheduler("site");
        SimulatedBoard board = new SimulatedBoard();
        // The gateway's one HTTP server, as an installed gateway runs it: the console at / and the held print
        // queue's IPP server at /ipp (plain HTTP on loopback here; production serves HTTPS with the site certificate).
        Console console = new Console(new Accounts(Path.of(args[1])), false);
        Gateway gateway = Gateway.builder(site)
                .http(List.of(HttpFront.Listener.plain("127.0.0.1", 0)))
                .httpRoutes(console)
                .dataDir(Path.of(args[1]))
                .scheduler(scheduler)
                .devices(board.devices(scheduler, (id, ipp, poll, listener) -> new SimulatedPrinter(id, listener)))
                .mqtt(will -> new PahoMqttPort(MqttSettings.builder(args[2], "kontor-" + site.id())
                        .will(will.topic(), will.payload(), true)
                        .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                        .build()))
                .version(Version.current())
                .build();
        console.attach(gateway);
        long builtAt = System.nanoTime();
        gateway.start();
        long gatewayStartedAt = System.nanoTime();
        EventPipeline.awaitConnected(gateway.mqtt());
        long startedAt = System.nanoTime();
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("main_to_started_ms", (startedAt - mainAt) / 1e6);
        // Where the start-up goes: the site file, the simulated board and Pi4J, Gateway.start, the broker.
        started.put("parse_ms", (parsedAt - mainAt) / 1e6);
        started.put("board_ms", (builtAt - parsedAt) / 1e6);
        started.put("gateway_start_ms", (gatewayStartedAt - builtAt) / 1e6);
        started.put("connect_ms", (startedAt - gatewayStartedAt) / 1e6);
        started.put("devices", site.devices().size());
        started.put("http", gateway.http() == null ? null : gateway.http().urls().getFirst().toString());
        report("started", started);

        Pause.millis(args.length > 3 ? Long.parseLong(args[3]) : SETTLE.toMillis());
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("heap_used_bytes", rt.totalMemory() - rt.freeMemory());
        measured.put("heap_committed_bytes", rt.totalMemory());
        measured.put("threads", Thread.activeCount());
        report("measured", measured);

        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        gateway.close();
        scheduler.close();
        board.close();
        System.exit(0);
    }

    private static void report(String what, Map<String, Object> fields) {
        System.out.println(what + " " + Results.json(fields));
        System.out.flush();
    }
}
