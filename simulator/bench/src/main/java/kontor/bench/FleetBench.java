package kontor.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kontor.cli.UserError;
import kontor.fleet.DirectoryEntry;
import kontor.fleet.FleetTopics;
import kontor.fleet.OwnerKeys;
import kontor.members.CardHasher;
import kontor.members.FleetMember;
import kontor.members.Role;
import kontor.members.SiteSecret;
import kontor.testing.OnMessage;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kontor bench fleet --sites N}: N sites on one Mosquitto on this machine, each speaking the fleet's part
 * of the contract (docs/fleet.md): gateway status with a last will, retained device states, events at a site's
 * pace, and the fleet directory through a persistent session, every entry's signature checked as a gateway does.
 *
 * <p>The sites are light simulations (one MQTT connection each, in this JVM, no database): a real gateway per
 * site would measure the Pi, not the fleet. What is measured is what the cluster and the contract cost: messages
 * per second at the broker (Mosquitto's own {@code $SYS} counters), how fast a revocation reaches every site, how
 * long all sites take to catch up after the broker was away, and the memory one more site costs.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"N simulated sites on one Mosquitto: broker load, revocation propagation, catch-up after an outage,",
                "memory per site. One JSON object per line per figure (docs/benchmarks.md, docs/fleet.md)."})
final class FleetBench implements Callable<Integer> {
    private static final String ROOT = "kontor";
    /** Retained device states each simulated site keeps on the broker: a small office. */
    private static final int STATES_PER_SITE = 20;
    /** Longest reconnect delay: with full jitter, N sites come back spread over this window, never all at once. */
    private static final long BACKOFF_CAP_MS = 20_000;

    @Option(names = "--sites", defaultValue = "1000", description = "simulated sites (default: ${DEFAULT-VALUE})")
    int sites;

    @Option(names = "--members", defaultValue = "200", description = "fleet members in the directory (default: ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--revocations", defaultValue = "5", description = "revocations timed (default: ${DEFAULT-VALUE})")
    int revocations;

    @Option(names = "--outage", defaultValue = "60", description = "seconds the broker is away (default: ${DEFAULT-VALUE})")
    int outageSeconds;

    @Option(names = "--event-interval", defaultValue = "10", description = "seconds between events of one site (default: ${DEFAULT-VALUE})")
    int eventIntervalSeconds;

    @Option(names = "--work", description = "scratch directory (default: a temporary one, removed after)")
    Path work;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final FleetTopics topics = new FleetTopics(ROOT);
    private final AtomicLong published = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        if (sites < 1 || members < revocations + 1 || revocations < 1 || outageSeconds < 0 || eventIntervalSeconds < 1) {
            throw new UserError("--sites and --revocations must be at least 1, --members more than --revocations, --outage 0 or more");
        }
        QuietLogging.apply();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("kontor-bench-fleet-");
        // Virtual threads carry each connection's blocking reader and writer: thousands of them cost little.
        ScheduledThreadPoolExecutor mqttThreads = new ScheduledThreadPoolExecutor(4 * sites + 32, Thread.ofVirtual().name("fleet-mqtt-", 0).factory());
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        List<SimSite> fleet = new ArrayList<>();
        Mosquitto broker = Mosquitto.start(dir.resolve("broker"), "persistence true",
                "persistence_location " + dir.resolve("broker") + "/", "autosave_interval 3600", "sys_interval 1",
                "max_queued_messages 100000", "max_inflight_messages 100");
        try (Owner owner = new Owner(broker.url(), dir, mqttThreads)) {
            say("publishing a directory of %d members", members);
            for (int m = 1; m <= members; m++) {
                owner.publish(m, false);
            }
            long memoryBefore = usedHeap();
            long threadsBefore = Thread.activeCount();
            say("connecting %d sites", sites);
            Semaphore connecting = new Semaphore(64); // a start-up of many sites at once, in waves, as a real fleet would boot
            for (int i = 0; i < sites; i++) {
                SimSite s = new SimSite(String.format("site-%04d", i), broker.url(), owner.keys, mqttThreads, timers);
                fleet.add(s);
                connecting.acquire();
                s.connect(connecting::release);
            }
            awaitAll(fleet, s -> s.applied() >= owner.version, 120, "every site to read the directory");
            long memoryPerSite = Math.max(0, usedHeap() - memoryBefore) / sites;
            say("%d sites connected and current", sites);

            Map<String, Object> load = brokerLoad(broker.url(), mqttThreads);
            out.println(Results.json(new Result("fleet.broker_messages", (double) load.get("messages_per_s"), "messages/s",
                    Target.atLeast(0), null, load)));

            List<Double> latencies = new ArrayList<>();
            for (int r = 1; r <= revocations; r++) {
                long version = owner.publish(r, true);
                long sent = owner.sentAt.get(version);
                awaitAll(fleet, s -> s.seenAt.containsKey(version), 60, "revocation " + r + " to reach every site");
                for (SimSite s : fleet) {
                    latencies.add((s.seenAt.get(version) - sent) / 1e6 + kontor.fleet.FleetDirectory.SETTLE.toMillis());
                }
            }
            double[] millis = latencies.stream().mapToDouble(Double::doubleValue).toArray();
            Map<String, Object> revocation = new LinkedHashMap<>(Results.latency(millis));
            revocation.put("includes_settle_ms", kontor.fleet.FleetDirectory.SETTLE.toMillis());
            out.println(Results.json(new Result("fleet.revocation_p99", Results.percentile(millis, 99), "ms",
                    Target.atMost(5_000), null, revocation)));

            say("stopping the broker for %d s", outageSeconds);
            broker.stop();
            awaitAll(fleet, s -> !s.connected, 60, "every site to notice the outage");
            TimeUnit.SECONDS.sleep(outageSeconds);
            fleet.forEach(SimSite::countReconnects);
            broker.start();
            long back = System.nanoTime();
            owner.reconnect();
            long change = owner.publish(revocations + 1, true);
            awaitAll(fleet, s -> s.applied() >= change, 300, "every site to catch up after the outage");
            double catchUp = fleet.stream().mapToLong(s -> s.seenAt.get(change)).max().orElse(back) - back;
            Map<String, Object> outage = new LinkedHashMap<>();
            outage.put("outage_s", outageSeconds);
            outage.put("backoff_cap_ms", BACKOFF_CAP_MS);
            outage.put("peak_reconnects_per_s", SimSite.peakReconnectsPerSecond(fleet, back));
            out.println(Results.json(new Result("fleet.catch_up", catchUp / 1e9, "s",
                    Target.atMost(BACKOFF_CAP_MS / 1000.0 + 10), null, outage)));

            Map<String, Object> footprint = new LinkedHashMap<>();
            footprint.put("sites", sites);
            footprint.put("threads_added", Thread.activeCount() - threadsBefore);
            footprint.put("simulation", "light: one MQTT connection per site in one JVM, no database; real gateways: 0");
            out.println(Results.json(new Result("fleet.memory_per_site", memoryPerSite / 1024.0, "KiB",
                    Target.atMost(512), null, footprint)));
            out.flush();
        } finally {
            fleet.forEach(SimSite::close);
            broker.close();
            mqttThreads.shutdownNow();
            timers.shutdownNow();
            if (work == null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return 0;
    }

    private static void say(String format, Object... args) {
        System.err.printf("fleet: " + format + "%n", args);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void awaitAll(List<SimSite> fleet, java.util.function.Predicate<SimSite> done, int seconds, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!fleet.stream().allMatch(done)) {
            if (System.nanoTime() > deadline) {
                long missing = fleet.stream().filter(done.negate()).count();
                throw new BenchException("waited " + seconds + " s for " + what + "; " + missing + " of " + fleet.size() + " did not");
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Mosquitto's own count of messages in and out over ten seconds of a steady fleet. */
    private Map<String, Object> brokerLoad(String url, ScheduledExecutorService threads) throws Exception {
        Map<String, Double> first = new ConcurrentHashMap<>();
        Map<String, Double> last = new ConcurrentHashMap<>();
        MqttAsyncClient sys = new MqttAsyncClient(url, "fleet-bench-sys", new MemoryPersistence(), null, threads);
        sys.setCallback(new OnMessage((topic, m) -> {
            double v = Double.parseDouble(new String(m.getPayload(), StandardCharsets.US_ASCII).strip());
            first.putIfAbsent(topic, v);
            last.put(topic, v);
        }));
        sys.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
        sys.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                new org.eclipse.paho.mqttv5.common.MqttSubscription("$SYS/broker/messages/received", 0),
                new org.eclipse.paho.mqttv5.common.MqttSubscription("$SYS/broker/messages/sent", 0)}).waitForCompletion(10_000);
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(10);
        double seconds = (System.nanoTime() - start) / 1e9;
        sys.disconnect().waitForCompletion(5_000);
        sys.close();
        double in = last.getOrDefault("$SYS/broker/messages/received", 0.0) - first.getOrDefault("$SYS/broker/messages/received", 0.0);
        double out = last.getOrDefault("$SYS/broker/messages/sent", 0.0) - first.getOrDefault("$SYS/broker/messages/sent", 0.0);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("messages_per_s", (in + out) / seconds);
        d.put("received_per_s", in / seconds);
        d.put("sent_per_s", out / seconds);
        d.put("source", "Mosquitto $SYS/broker/messages/{received,sent} over " + Math.round(seconds) + " s");
        d.put("sites", sites);
        d.put("event_interval_s", eventIntervalSeconds);
        return d;
    }

    /** The owner: signs directory entries and publishes them retained, numbering the versions. */
    private final class Owner implements AutoCloseable {
        final KeyPair keys = OwnerKeys.generate();
        final CardHasher cards;
        final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        private final MqttAsyncClient client;
        long version;

        Owner(String url, Path dir, ScheduledExecutorService threads) throws MqttException {
            cards = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("fleet.key")));
            client = new MqttAsyncClient(url, "fleet-bench-owner", new MemoryPersistence(), null, threads);
            reconnect();
        }

        void reconnect() throws MqttException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    if (!client.isConnected()) {
                        client.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
                    }
                    return;
                } catch (MqttException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
        }

        long publish(int member, boolean revoked) throws MqttException {
            long v = ++version;
            String card = String.format("04F1%010X", member);
            DirectoryEntry e = new DirectoryEntry(new FleetMember("m" + member, v, cards.hash(card),
                    card.substring(card.length() - 4), Role.VISITOR, false, null, revoked), List.of(DirectoryEntry.ALL_SITES));
            MqttMessage m = new MqttMessage(e.signed(keys.getPrivate()));
            m.setQos(1);
            m.setRetained(true);
            sentAt.put(v, System.nanoTime());
            client.publish(topics.entry("m" + member), m).waitForCompletion(10_000);
            published.incrementAndGet();
            return v;
        }

        @Override
        public void close() {
            try {
                client.disconnectForcibly(1000);
                client.close();
            } catch (MqttException e) {
                // the bench is over
            }
        }
    }

    /** One site as the cluster sees it. */
    private final class SimSite implements AutoCloseable {
        final String id;
        final Map<Long, Long> seenAt = new ConcurrentHashMap<>();
        volatile boolean connected;
        private final MqttAsyncClient client;
        private final KeyPair owner;
        private final ScheduledExecutorService timers;
        private final AtomicLong applied = new AtomicLong();
        private final AtomicLong seq = new AtomicLong();
        private final List<Long> reconnects = new java.util.concurrent.CopyOnWriteArrayList<>();
        private int failedAttempts;
        private boolean countReconnects;

        SimSite(String id, String url, KeyPair owner, ScheduledExecutorService threads, ScheduledExecutorService timers) throws MqttException {
            this.id = id;
            this.owner = owner;
            this.timers = timers;
            this.client = new MqttAsyncClient(url, "kontor-" + id, new MemoryPersistence(), null, threads);
            client.setCallback(new OnMessage(this::arrived, this::lost));
        }

        long applied() {
            return applied.get();
        }

        void countReconnects() {
            countReconnects = true;
        }

        void connect(Runnable whenDone) {
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(false);
            o.setSessionExpiryInterval(3600L);
            o.setKeepAliveInterval(30);
            o.setWill(ROOT + "/" + id + "/gateway/status", new MqttMessage("{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8), 1, true, null));
            try {
                client.connect(o, null, new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        failedAttempts = 0;
                        connected = true;
                        if (countReconnects) {
                            reconnects.add(System.nanoTime());
                        }
                        online(!token.getSessionPresent());
                        whenDone.run();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        whenDone.run();
                        retryLater();
                    }
                });
            } catch (MqttException e) {
                whenDone.run();
                retryLater();
            }
        }

        /** Full jitter: a random delay up to the capped exponential back-off, so sites spread their returns. */
        private void retryLater() {
            long ceiling = Math.min(BACKOFF_CAP_MS, 500L << Math.min(10, failedAttempts++));
            timers.schedule(() -> connect(() -> { }), ThreadLocalRandom.current().nextLong(ceiling + 1), TimeUnit.MILLISECONDS);
        }

        private void lost() {
            connected = false;
            retryLater();
        }

        private void online(boolean newSession) {
            try {
                publish(ROOT + "/" + id + "/gateway/status", "{\"state\":\"online\",\"started\":\"" + Instant.now() + "\"}", true);
                for (int d = 0; d < STATES_PER_SITE; d++) {
                    publish(ROOT + "/" + id + "/devices/device-" + d + "/state", "{\"locked\":true,\"open\":false}", true);
                }
                if (newSession) {
                    client.subscribe(topics.directory(), 1);
                    long first = ThreadLocalRandom.current().nextLong(eventIntervalSeconds * 1000L);
                    timers.scheduleAtFixedRate(this::event, first, eventIntervalSeconds * 1000L, TimeUnit.MILLISECONDS);
                }
            } catch (MqttException e) {
                // lost again: the callback reconnects
            }
        }

        private void event() {
            if (!connected) {
                return; // a real gateway journals meanwhile; the broker does not see it until later
            }
            try {
                publish(ROOT + "/" + id + "/events", "{\"seq\":" + seq.incrementAndGet() + ",\"type\":\"door.opened\",\"device\":\"door-1\"}", false);
            } catch (MqttException e) {
                // lost: the next one goes after the reconnect
            }
        }

        private void publish(String topic, String payload, boolean retained) throws MqttException {
            MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            m.setRetained(retained);
            client.publish(topic, m);
        }

        /** What a gateway does with an entry before applying it: the owner's signature and its checks. */
        private void arrived(String topic, MqttMessage m) {
            try {
                DirectoryEntry e = DirectoryEntry.verify(m.getPayload(), owner.getPublic(), topics.memberOf(topic));
                long v = e.member().version();
                seenAt.putIfAbsent(v, System.nanoTime());
                applied.accumulateAndGet(v, Math::max);
                long changes = applied.get();
                if (changes == v) {
                    publish(topics.applied(id), "{\"version\":" + v + "}", true);
                }
            } catch (DirectoryEntry.Refused | MqttException e) {
                // a refused entry is not applied; a lost connection is re-established by the callback
            }
        }

        static long peakReconnectsPerSecond(List<SimSite> fleet, long since) {
            Map<Long, Long> perSecond = new java.util.HashMap<>();
            for (SimSite s : fleet) {
                for (long t : s.reconnects) {
                    perSecond.merge(Math.max(0, (t - since) / 1_000_000_000L), 1L, Long::sum);
                }
            }
            return perSecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
        }

        @Override
        public void close() {
            try {
                client.disconnectForcibly(0, 100, false);
                client.close(true);
            } catch (MqttException e) {
                // the bench is over
            }
        }
    }

}
