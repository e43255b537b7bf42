package kontor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kontor.gateway.Gateway;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.sim.demo.SimulatedSite;
import kontor.sim.hardware.SimulatedBoard;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.time.SystemScheduler;

/**
 * The demo site's gateway on the simulated board, as {@code kontor demo} runs it, but connected to
 * a real Mosquitto: the gateway a figure measures.
 */
final class BenchSite implements AutoCloseable {
    private static final long CONNECT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final SystemScheduler scheduler;
    private final SimulatedSite world;

    private BenchSite(SystemScheduler scheduler, SimulatedSite world) {
        this.scheduler = scheduler;
        this.world = world;
    }

    /** Starts the demo site on {@code brokerUrl} and returns once its MQTT connection is up. */
    static BenchSite demo(Path dataDir, String brokerUrl) {
        return demo(dataDir, brokerUrl, "");
    }

    /** The same, with {@code moreYaml} appended to the demo site file. */
    static BenchSite demo(Path dataDir, String brokerUrl, String moreYaml) {
        Site site = SiteFiles.demo(moreYaml);
        SystemScheduler scheduler = new SystemScheduler("site");
        SimulatedSite world;
        try {
            world = SimulatedSite.start(site, dataDir, scheduler, null,
                    will -> new PahoMqttPort(MqttSettings.builder(brokerUrl, "kontor-" + site.id())
                            .will(will.topic(), will.payload(), true)
                            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                            .build()));
        } catch (RuntimeException e) {
            scheduler.close();
            throw e;
        }
        BenchSite bench = new BenchSite(scheduler, world);
        long deadline = System.nanoTime() + CONNECT_NANOS;
        while (!world.gateway().mqtt().connected()) {
            if (System.nanoTime() > deadline) {
                bench.close();
                throw new BenchException("the gateway did not connect to " + brokerUrl + " within 20 s");
            }
            Pause.millis(10);
        }
        return bench;
    }

    Gateway gateway() {
        return world.gateway();
    }

    SimulatedBoard board() {
        return world.board();
    }

    /** Runs {@code work} on the site thread, where the rules run, and waits for it. */
    void onSiteThread(Runnable work) {
        try {
            scheduler.runAndWait(work, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            throw new BenchException("the site thread did not run a task: " + e.getMessage(), e);
        }
    }

    /** Waits until every event journaled so far has been acknowledged by the broker. */
    void awaitPublished(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        var journal = gateway().journal();
        while (journal.publishedSeq() < journal.lastSeq()) {
            if (System.nanoTime() > deadline) {
                throw new BenchException("the journal was not published within " + atMost.toSeconds() + " s");
            }
            Pause.millis(20);
        }
    }

    @Override
    public void close() {
        try {
            world.close();
        } finally {
            scheduler.close();
        }
    }
}
