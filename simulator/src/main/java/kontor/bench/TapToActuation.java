package kontor.bench;

import static kontor.gateway.Events.fields;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import kontor.device.Lock;
import kontor.device.wiegand.WiegandDecoder;
import kontor.device.wiegand.WiegandEncoder;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.WiegandWiring;
import kontor.gateway.Gateway;
import kontor.members.Role;
import kontor.site.LockerSpec;
import kontor.site.ReaderSpec;

/**
 * Tap to actuation: a card's Wiegand frame arrives on the simulated reader's pins, the real
 * WiegandReader decodes it, the gateway checks the card, journals {@code card.granted}, waits for
 * it to be on the disk, and pulses the locker's real lock driver on its simulated MCP23017; the
 * clock stops when the lock's output pin changes. The clock starts when the frame is complete: the
 * reader's last bit plus the 25 ms of silence that end a Wiegand frame.
 *
 * <p>The locker service's own rules (who may open which locker) are not in this path yet: a
 * {@link kontor.access.TapHandler} of the benchmark's pulses locker-01 on every granted tap.
 */
final class TapToActuation implements Figure {
    static final String READER = "reader-bank-a";
    static final String LOCKER = "locker-01";
    /** A 26-bit card of the benchmark's own member. */
    static final String CARD = "B3E7C0";
    static final Duration PULSE = Duration.ofMillis(20);
    static final int LOAD_PER_SECOND = 2_000;
    static final double TARGET_MS = 5;
    /** Between two bits: a fast reader's pace, so that the frame is short and rarely torn by a busy CPU. */
    private static final long BIT_INTERVAL_NANOS = 500_000;
    private static final long FRAME_GAP_NANOS = WiegandDecoder.Timing.DEFAULT.frameGap().toNanos();
    private static final int WARM_UP = 30;
    /** A lock that has not moved this long after the frame counts as a miss. */
    private static final long MISS_SECONDS = 2;
    /** After this many misses a series stops: its figure is lost anyway. */
    private static final int MAX_MISSES = 10;

    @Override
    public String name() {
        return "tap";
    }

    @Override
    public String description() {
        return "card frame complete -> lock output changes, durable journal write included; idle and under "
                + LOAD_PER_SECOND + " events/s";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        int taps = context.settings().scaled(200, 5);
        try (Mosquitto broker = Mosquitto.start(context.directory("tap-broker"));
             BenchSite site = BenchSite.demo(context.directory("tap-data"), broker.url())) {
            Gateway gateway = site.gateway();
            gateway.members().enroll(CARD, Role.VISITOR, false, null);
            LockerSpec locker = gateway.site().device(LOCKER, LockerSpec.class).orElseThrow();
            Lock lock = gateway.devices().locker(LOCKER).orElseThrow().lock();
            Actuations actuations = new Actuations();
            // Every reader opens the locker: when the benchmark's own sender breaks a frame (its thread
            // starved on a busy machine), the reader counts a denied tap; the tapper then moves on to
            // another reader before the lock-out rule shuts one.
            List<ReaderSpec> readers = new ArrayList<>(gateway.site().devices(ReaderSpec.class));
            readers.sort(java.util.Comparator.comparing(r -> !r.id().equals(READER)));
            site.onSiteThread(() -> readers.forEach(r -> gateway.context().access().route(r.id(), (reader, member, card) -> {
                actuations.granted();
                lock.pulse(PULSE);
            })));
            site.board().watch(locker.lock().output(), actuations::changed);
            gateway.journal().onAppend(actuations::appended);
            Taps tapper = new Taps(site, readers, actuations);

            int warmUp = Math.min(WARM_UP, taps);
            context.say("tap: warming up (%d taps)", warmUp);
            tapper.measure(warmUp);
            double[] syncs = new double[50];
            for (int i = 0; i < syncs.length; i++) {
                long t = System.nanoTime();
                gateway.context().db().sync();
                syncs[i] = (System.nanoTime() - t) / 1e6;
            }
            context.say("tap: %d taps, idle", taps);
            Samples idle = tapper.measure(taps);
            context.say("tap: %d taps under %d events/s", taps, LOAD_PER_SECOND);
            Samples loaded;
            double loadRate;
            try (Load load = Load.start(site, LOAD_PER_SECOND)) {
                Pause.millis(500);
                long loadBefore = load.emitted();
                long t0 = System.nanoTime();
                loaded = tapper.measure(taps);
                loadRate = (load.emitted() - loadBefore) / ((System.nanoTime() - t0) / 1e9);
            }
            site.awaitPublished(Duration.ofSeconds(60));
            Result idleResult = idle.result("tap.idle", Double.NaN);
            double[] handoffs = handoffs(200);
            // The machine's own floor: one hand-over to another thread's queue, as the tap path makes several.
            idleResult.details().put("thread_handoff_p50", Results.percentile(handoffs, 50));
            idleResult.details().put("thread_handoff_p99", Results.percentile(handoffs, 99));
            idleResult.details().put("disk_sync_p50", Results.percentile(syncs, 50));
            idleResult.details().put("disk_sync_p99", Results.percentile(syncs, 99));
            return List.of(idleResult, loaded.result("tap.load", loadRate));
        }
    }

    /** How long a task handed to an idle single-thread executor waits before it runs, in ms. */
    static double[] handoffs(int count) throws Exception {
        var executor = Executors.newSingleThreadExecutor();
        try {
            double[] ms = new double[count];
            Random random = new Random(7);
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                long ran = executor.submit(System::nanoTime).get();
                ms[i] = (ran - t0) / 1e6;
                Pause.millis(1 + random.nextInt(5));
            }
            return ms;
        } finally {
            executor.shutdownNow();
        }
    }

    /** Latencies of one series of taps, and the taps whose lock never moved. */
    record Samples(double[] fromFrameEnd, double[] fromLastBit, double[] toGrant, double[] toJournal, int missed, int broken,
                   List<String> missReasons) {
        Result result(String name, double loadRate) {
            Map<String, Object> d = new LinkedHashMap<>(Results.latency(fromFrameEnd));
            d.put("missed", missed);
            if (missed > 0) {
                d.put("missed_because", missReasons.stream().distinct().limit(5).toList());
            }
            d.put("frames_broken_by_sender", broken);
            if (!Double.isNaN(loadRate)) {
                d.put("load_events_per_s", loadRate);
            }
            d.put("from_last_bit_p50", Results.percentile(fromLastBit, 50));
            // Where the time goes: up to the handler is decode, check, journal and disk sync; after it, the lock driver.
            d.put("frame_to_grant_p50", Results.percentile(toGrant, 50));
            d.put("frame_to_grant_p99", Results.percentile(toGrant, 99));
            if (Double.isNaN(loadRate)) {
                // Only when idle is the first commit after the frame the tap's own.
                d.put("frame_to_journaled_p50", Results.percentile(toJournal, 50));
            }
            d.put("measured", "Wiegand frame complete (last bit + 25 ms gap) -> lock pin changed (SimulatedBoard.watch);"
                    + " card check, durable card.granted (group commit) and the real lock driver on an MCP23017;"
                    + " the locker service's rules are not in the path yet");
            return new Result(name, Results.percentile(fromFrameEnd, 99), "ms", Target.atMost(TARGET_MS), d);
        }
    }

    /** The lock output's changes, as futures that each tap arms afresh. */
    static final class Actuations {
        private volatile CompletableFuture<Long> unlocked = new CompletableFuture<>();
        private volatile CompletableFuture<Long> relocked = new CompletableFuture<>();
        private volatile long grantedNanos;
        private volatile long appendedNanos;

        void arm() {
            grantedNanos = 0;
            appendedNanos = 0;
            unlocked = new CompletableFuture<>();
            relocked = new CompletableFuture<>();
        }

        /** The first journal commit after the frame: when idle, the tap's card.granted. */
        void appended() {
            if (appendedNanos == 0) {
                appendedNanos = System.nanoTime();
            }
        }

        /** The handler was called: the card is checked and its grant is on the disk. */
        void granted() {
            grantedNanos = System.nanoTime();
        }

        void changed(boolean active) {
            long now = System.nanoTime();
            (active ? unlocked : relocked).complete(now);
        }
    }

    /** Presents the benchmark card bit by bit, as a reader would, and times the lock. */
    private static final class Taps {
        private final BenchSite site;
        private final List<ReaderSpec> readers;
        private final Actuations actuations;
        private final String bits = WiegandEncoder.encode(CARD);
        private final Random random = new Random(42);
        private int reader;

        Taps(BenchSite site, List<ReaderSpec> readers, Actuations actuations) {
            this.site = site;
            this.readers = readers;
            this.actuations = actuations;
        }

        Samples measure(int taps) throws Exception {
            List<Double> fromEnd = new ArrayList<>();
            List<Double> fromLast = new ArrayList<>();
            List<String> missReasons = new ArrayList<>();
            List<Double> toGrant = new ArrayList<>();
            List<Double> toJournal = new ArrayList<>();
            int missed = 0;
            int broken = 0;
            for (int i = 0; i < taps; i++) {
                actuations.arm();
                ReaderSpec tappedAt = readers.get(reader);
                long lastBit = send(tappedAt.wiring());
                try {
                    long at = actuations.unlocked.get(MISS_SECONDS, TimeUnit.SECONDS);
                    fromEnd.add((at - lastBit - FRAME_GAP_NANOS) / 1e6);
                    fromLast.add((at - lastBit) / 1e6);
                    toGrant.add((actuations.grantedNanos - lastBit - FRAME_GAP_NANOS) / 1e6);
                    toJournal.add((actuations.appendedNanos - lastBit - FRAME_GAP_NANOS) / 1e6);
                    actuations.relocked.get(MISS_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    String why = lastDecision(tappedAt.id());
                    if (why.startsWith("card.denied unreadable")) {
                        // Our sender was late between two bits: the reader rightly refused the frame.
                        broken++;
                        i--;
                        reader = (reader + 1) % readers.size();
                        if (broken > 3 * readers.size()) {
                            throw new BenchException("the machine is too busy to send Wiegand frames on time (" + broken
                                    + " frames broken): " + why);
                        }
                    } else {
                        missed++;
                        fromEnd.add(Double.POSITIVE_INFINITY); // a lock that never moved is the slowest tap of all
                        missReasons.add(why);
                        if (missed >= MAX_MISSES) {
                            break;
                        }
                    }
                }
                // Taps at irregular moments, so that they do not fall into step with the load.
                Pause.millis(5 + random.nextInt(25));
            }
            return new Samples(fromEnd.stream().mapToDouble(Double::doubleValue).toArray(),
                    fromLast.stream().mapToDouble(Double::doubleValue).toArray(),
                    toGrant.stream().mapToDouble(Double::doubleValue).toArray(),
                    toJournal.stream().mapToDouble(Double::doubleValue).toArray(), missed, broken, List.copyOf(missReasons));
        }

        /** What the journal says about the latest tap at the reader, to explain a lock that did not move. */
        private String lastDecision(String readerId) {
            var journal = site.gateway().journal();
            long last = journal.lastSeq();
            List<kontor.journal.Event> recent = journal.read(Math.max(1, last - 9_999), 10_000);
            for (int i = recent.size() - 1; i >= 0; i--) {
                kontor.journal.Event e = recent.get(i);
                if (readerId.equals(e.device())) {
                    return e.type() + (e.fields().containsKey("reason") ? " " + e.fields().get("reason") : "")
                            + (e.fields().containsKey("detail") ? " (" + e.fields().get("detail") + ")" : "");
                }
            }
            return "no decision journaled within " + MISS_SECONDS + " s (the site thread is behind)";
        }

        /** Sends the frame; returns the nanoTime just before the last bit's edge. */
        private long send(WiegandWiring wiring) {
            long lastBit = 0;
            long next = System.nanoTime();
            for (int i = 0; i < bits.length(); i++) {
                GpioPin line = bits.charAt(i) == '0' ? wiring.d0() : wiring.d1();
                Pause.until(next);
                if (i == bits.length() - 1) {
                    lastBit = System.nanoTime();
                }
                site.board().drive(line, true);
                site.board().drive(line, false);
                // From this bit, not from the schedule: a late bit must not make the next ones bunch up.
                next = System.nanoTime() + BIT_INTERVAL_NANOS;
            }
            return lastBit;
        }
    }

    /** Other events at a steady rate, each journaled on the site thread as a device's event would be. */
    static final class Load implements AutoCloseable {
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-load");
            t.setDaemon(true);
            return t;
        });
        private final AtomicLong emitted = new AtomicLong();

        static Load start(BenchSite site, int perSecond) {
            Load load = new Load();
            int perMillisecond = Math.max(1, perSecond / 1000);
            var events = site.gateway().context().events();
            var scheduler = site.gateway().scheduler();
            AtomicLong n = new AtomicLong();
            load.ticker.scheduleAtFixedRate(() -> {
                for (int i = 0; i < perMillisecond; i++) {
                    long k = n.incrementAndGet();
                    scheduler.execute(() -> {
                        events.emit("bench.load", "copier-1", fields("n", k));
                        load.emitted.incrementAndGet();
                    });
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
            return load;
        }

        long emitted() {
            return emitted.get();
        }

        @Override
        public void close() throws InterruptedException {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
