package kontor.bench;

import static kontor.core.Events.fields;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import kontor.device.wiegand.WiegandEncoder;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.WiegandWiring;
import kontor.gateway.Gateway;
import kontor.members.Role;
import kontor.sim.hardware.SimulatedBoard;
import kontor.site.LockerSpec;
import kontor.site.ReaderSpec;

/**
 * Tap to actuation, through the real rules: a member's Wiegand frame arrives on the pins of locker
 * bank A's reader, the real WiegandReader decodes it, {@code CardAccess} checks the card and
 * journals {@code card.granted} durably, the locker service finds the day locker the member holds,
 * journals {@code locker.unlocked} and pulses its real lock driver on the simulated MCP23017; the
 * clock stops when that lock's output pin changes. It starts when the frame is complete: the
 * reader's last bit plus the silence that ends a Wiegand frame (the decoder's frame-end timer fires then).
 *
 * <p>The demo site runs with a bench policy ({@link #POLICY}) so that one member after another can
 * tap quickly without tripping the rules a real site wants: a 50 ms lock pulse, a 500 ms double
 * tap, 60 opens per locker and minute, and a lock-out only after 100 refused frames (the
 * benchmark's own bit sender tears a frame now and then on a busy machine).
 */
final class TapToActuation implements Figure {
    static final String READER = "reader-bank-a";
    /** Appended to the demo site file: the rules' limits set for quick taps (see the class comment). */
    static final String POLICY = """

            policy:
              locker_pulse: 50ms
              double_tap: 500ms
              locker_opens_per_minute: 60
              denied_taps_before_lockout: 100
            """;
    /** The members of the benchmark, each with a 26-bit card; each holds one day locker of bank A. */
    static final int MEMBERS = 12;
    static final int LOAD_PER_SECOND = 2_000;
    /** Commands a second from operators' tools while {@code tap.flood} is measured. */
    static final int FLOOD_PER_SECOND = 1_000;
    /** A tap's p99, idle, under load and under the flood, within this multiple of the machine's floor ({@link Floor}). */
    static final double FLOOR_MAX_RATIO = 3;
    /** Between two bits: a fast reader's pace, so that the frame is short and rarely torn by a busy CPU. */
    private static final long BIT_INTERVAL_NANOS = 500_000;
    /**
     * The silence that ends a frame, as the simulated board's decoder is set (longer than a real
     * reader's 25 ms: our bit sender is a thread a busy machine may pause); the clock starts after it.
     */
    private static final long FRAME_GAP_NANOS = SimulatedBoard.DRIVER_SETTINGS.wiegand().frameGap().toNanos();
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
        return "card frame complete -> the member's locker's lock output changes, through the real locker rules"
                + " and durable journal writes; idle, under " + LOAD_PER_SECOND + " events/s, and under a flood of "
                + FLOOD_PER_SECOND + " commands/s";
    }

    @Override
    public List<Result> run(BenchContext context) throws Exception {
        int taps = context.settings().scaled(200, 5);
        try (Mosquitto broker = Mosquitto.start(context.directory("tap-broker"));
             BenchSite site = BenchSite.demo(context.directory("tap-data"), broker.url(), POLICY)) {
            Gateway gateway = site.gateway();
            List<String> cards = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++) {
                String card = String.format("B3E7%02X", 0xC0 + m);
                gateway.members().enroll(card, Role.VISITOR, false, null);
                cards.add(card);
            }
            Actuations actuations = new Actuations();
            for (LockerSpec locker : gateway.site().devices(LockerSpec.class)) {
                site.board().watch(locker.lock().output(), actuations::changed);
            }
            gateway.journal().onAppend(actuations::appended);
            ReaderSpec reader = gateway.site().device(READER, ReaderSpec.class).orElseThrow();
            Taps tapper = new Taps(site, reader, cards, actuations);

            context.say("tap: every member claims a day locker");
            Samples claims = tapper.measure(MEMBERS);
            if (claims.missed() > 0) {
                throw new BenchException("a member could not claim a locker: " + claims.missReasons());
            }
            int warmUp = Math.min(WARM_UP, taps);
            context.say("tap: warming up (%d taps)", warmUp);
            tapper.measure(warmUp);
            Floor floor = Floor.measure(gateway.context().db()::sync, gateway.context().db().directory());
            context.say("tap: the machine's floor: disk sync p99 %.2f ms + thread hand-off p99 %.2f ms"
                    + " (one durable 4 KB write: p99 %.2f ms)", floor.syncP99(), floor.handoffP99(), floor.durableWriteP99());
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
            context.say("tap: %d taps under a flood of %d commands/s", taps, FLOOD_PER_SECOND);
            Samples flooded;
            Map<String, Object> floodStats;
            try (CommandFlood flood = CommandFlood.start(broker.url(), gateway.topics().root(), cards.getFirst(),
                    FLOOD_PER_SECOND)) {
                Pause.millis(500);
                flooded = tapper.measure(taps);
                floodStats = flood.stats();
            }
            site.awaitPublished(Duration.ofSeconds(60));
            Result idleResult = idle.result("tap.idle", Double.NaN, floor);
            Result floodResult = flooded.result("tap.flood", Double.NaN, floor);
            floodResult.details().remove("frame_to_committed_p50");
            // Doors first: the flood's commands wait, the taps do not; how far a tap is from its idle self.
            floodResult.details().put("idle_p99", idleResult.value());
            floodResult.details().put("ratio_to_idle", floodResult.value() / idleResult.value());
            floodResult.details().putAll(floodStats);
            return List.of(idleResult, loaded.result("tap.load", loadRate, floor), floodResult);
        }
    }

    /**
     * The machine's own floor under a tap, measured in the same run: a disk sync of the gateway's database with
     * nothing new to write ({@code CHECKPOINT SYNC}), and a task handed to an idle thread. A tap needs at least
     * one of each (its events on the disk before the lock moves; the frame-end timer hands the card to the site
     * thread); the target is a multiple of their p99s.
     *
     * <p>An empty sync flushes nothing, so the floor also measures, for information, the smallest write that is on
     * the disk when it returns: one 4 KB block overwritten in a file of its own on the same file system and forced
     * ({@code fdatasync}). No design that records a tap before the lock moves can do with less; where a tap's p99 is
     * a few times this, the time is the disk's, not ours ({@code ratio_to_durable_write}).
     */
    record Floor(double[] syncs, double[] handoffs, double[] durableWrites) {
        static final int SAMPLES = 200;
        private static final int BLOCK = 4096;
        private static final int BLOCKS = 256;

        static Floor measure(Runnable sync, Path directory) throws Exception {
            double[] syncs = new double[SAMPLES];
            for (int i = 0; i < syncs.length; i++) {
                long t = System.nanoTime();
                sync.run();
                syncs[i] = (System.nanoTime() - t) / 1e6;
            }
            return new Floor(syncs, TapToActuation.handoffs(SAMPLES), durableWrites(directory.resolve("durable-write.bin")));
        }

        /** Writes one block in place and forces it, at irregular moments; the file is written whole first, so no write grows it. */
        static double[] durableWrites(Path file) throws IOException {
            double[] ms = new double[SAMPLES];
            Random random = new Random(11);
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                for (int b = 0; b < BLOCKS; b++) {
                    channel.write(block.clear(), (long) b * BLOCK);
                }
                channel.force(true);
                for (int i = 0; i < ms.length; i++) {
                    block.clear().putLong(0, i);
                    long t = System.nanoTime();
                    channel.write(block, (long) (i % BLOCKS) * BLOCK);
                    channel.force(false);
                    ms[i] = (System.nanoTime() - t) / 1e6;
                    Pause.millis(1 + random.nextInt(5));
                }
            } finally {
                Files.deleteIfExists(file);
            }
            return ms;
        }

        double durableWriteP99() {
            return Results.percentile(durableWrites, 99);
        }

        double syncP99() {
            return Results.percentile(syncs, 99);
        }

        double handoffP99() {
            return Results.percentile(handoffs, 99);
        }

        /** disk sync p99 + hand-off p99, in ms. */
        double value() {
            return syncP99() + handoffP99();
        }

        Map<String, Object> details() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put(Result.BASELINE_IS, "floor: disk sync p99 + thread hand-off p99");
            d.put("disk_sync_p50", Results.percentile(syncs, 50));
            d.put("disk_sync_p99", syncP99());
            d.put("thread_handoff_p50", Results.percentile(handoffs, 50));
            d.put("thread_handoff_p99", handoffP99());
            d.put("durable_write_p50", Results.percentile(durableWrites, 50));
            d.put("durable_write_p99", durableWriteP99());
            return d;
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
    record Samples(double[] fromFrameEnd, double[] fromLastBit, double[] toCommit, int missed, int broken,
                   List<String> missReasons) {
        Result result(String name, double loadRate, Floor floor) {
            Map<String, Object> d = new LinkedHashMap<>(floor.details());
            d.putAll(Results.latency(fromFrameEnd));
            d.put("missed", missed);
            if (missed > 0) {
                d.put("missed_because", missReasons.stream().distinct().limit(5).toList());
            }
            d.put("frames_broken_by_sender", broken);
            if (!Double.isNaN(loadRate)) {
                d.put("load_events_per_s", loadRate);
            }
            d.put("from_last_bit_p50", Results.percentile(fromLastBit, 50));
            // For information: how far the tap is from the least any durable record needs (see Floor).
            d.put("ratio_to_durable_write", Results.percentile(fromFrameEnd, 99) / (floor.durableWriteP99() + floor.handoffP99()));
            if (Double.isNaN(loadRate)) {
                // Where the time goes; only when idle is the first commit after the frame the tap's own
                // (card.granted and locker.unlocked together); the disk sync and the lock driver follow it.
                d.put("frame_to_committed_p50", Results.percentile(toCommit, 50));
            }
            d.put("measured", "Wiegand frame complete (last bit + the decoder's frame gap) -> the member's locker's lock pin changed"
                    + " (SimulatedBoard.watch): card check, durable card.granted, the locker rules, locker.unlocked"
                    + " journaled, the real lock driver on an MCP23017");
            return new Result(name, Results.percentile(fromFrameEnd, 99), "ms", Target.atMostTimesBaseline(FLOOR_MAX_RATIO),
                    floor.value(), d);
        }
    }

    /** The lock outputs' changes, as futures that each tap arms afresh, and the journal's commits. */
    static final class Actuations {
        private volatile CompletableFuture<Long> unlocked = new CompletableFuture<>();
        private volatile CompletableFuture<Long> relocked = new CompletableFuture<>();
        private volatile long committed;

        void arm() {
            committed = 0;
            unlocked = new CompletableFuture<>();
            relocked = new CompletableFuture<>();
        }

        /** The first journal commit after the frame: when idle, the tap's own. */
        void appended() {
            if (committed == 0) {
                committed = System.nanoTime();
            }
        }

        void changed(boolean active) {
            long now = System.nanoTime();
            (active ? unlocked : relocked).complete(now);
        }
    }

    /** Presents the members' cards bit by bit, one after another, as a reader would, and times the locks. */
    private static final class Taps {
        /** Frames the benchmark's own sender may tear (a busy machine) before the figure gives up. */
        private static final int MAX_BROKEN = 30;
        private final BenchSite site;
        private final ReaderSpec reader;
        private final List<String> frames;
        private final Actuations actuations;
        private final Random random = new Random(42);
        private int next;

        Taps(BenchSite site, ReaderSpec reader, List<String> cards, Actuations actuations) {
            this.site = site;
            this.reader = reader;
            this.frames = cards.stream().map(WiegandEncoder::encode).toList();
            this.actuations = actuations;
        }

        Samples measure(int taps) throws Exception {
            List<Double> fromEnd = new ArrayList<>();
            List<Double> fromLast = new ArrayList<>();
            List<String> missReasons = new ArrayList<>();
            List<Double> toCommit = new ArrayList<>();
            int missed = 0;
            int broken = 0;
            for (int i = 0; i < taps; i++) {
                actuations.arm();
                long lastBit = send(reader.wiring(), frames.get(next));
                try {
                    long at = actuations.unlocked.get(MISS_SECONDS, TimeUnit.SECONDS);
                    fromEnd.add((at - lastBit - FRAME_GAP_NANOS) / 1e6);
                    fromLast.add((at - lastBit) / 1e6);
                    toCommit.add((actuations.committed - lastBit - FRAME_GAP_NANOS) / 1e6);
                    actuations.relocked.get(MISS_SECONDS, TimeUnit.SECONDS);
                    next = (next + 1) % frames.size();
                } catch (TimeoutException e) {
                    String why = lastDecision();
                    if (why.startsWith("card.denied unreadable")) {
                        // Our sender was late between two bits: the reader rightly refused the frame; tap again.
                        i--;
                        if (++broken > MAX_BROKEN) {
                            throw new BenchException("the machine is too busy to send Wiegand frames on time (" + broken
                                    + " frames broken): " + why);
                        }
                    } else {
                        missed++;
                        fromEnd.add(Double.POSITIVE_INFINITY); // a lock that never moved is the slowest tap of all
                        missReasons.add(why);
                        next = (next + 1) % frames.size();
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
                    toCommit.stream().mapToDouble(Double::doubleValue).toArray(), missed, broken, List.copyOf(missReasons));
        }

        /** What the journal says about the latest tap (at the reader or a locker), to explain a lock that did not move. */
        private String lastDecision() {
            var journal = site.gateway().journal();
            long last = journal.lastSeq();
            List<kontor.journal.Event> recent = journal.read(Math.max(1, last - 9_999), 10_000);
            for (int i = recent.size() - 1; i >= 0; i--) {
                kontor.journal.Event e = recent.get(i);
                if (reader.id().equals(e.device()) || "locker.denied".equals(e.type())) {
                    return e.type() + (e.fields().containsKey("reason") ? " " + e.fields().get("reason") : "")
                            + (e.fields().containsKey("detail") ? " (" + e.fields().get("detail") + ")" : "");
                }
            }
            return "no decision journaled within " + MISS_SECONDS + " s (the site thread is behind)";
        }

        /** Sends the frame; returns the nanoTime just before the last bit's edge. */
        private long send(WiegandWiring wiring, String bits) {
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
