package kontor.bench;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import kontor.gateway.Gateway;
import kontor.journal.Event;
import kontor.journal.Journal;
import kontor.mqtt.Json;
import kontor.mqtt.Message;
import kontor.mqtt.MqttPort;
import kontor.printing.PrintQueue;
import kontor.printing.PrintQueueHold;
import kontor.sim.demo.DemoCards;
import kontor.sim.demo.SimulatedSite;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.store.Database;
import kontor.time.SystemScheduler;

/**
 * The power-cut figure's child JVM: the demo site's gateway on the simulated board (its broker unreachable, as
 * in an outage), and on its database, until the child is killed:
 * <ul>
 *   <li>the journal written as fast as it goes: one thread appends single events and waits for each, one appends
 *       ten per transaction, one hands events to the group commit without waiting (as the site thread does) and
 *       asks for the disk now and then, one forces the file to disk again and again;</li>
 *   <li>the held print queue: jobs held by {@code PrintQueue.hold} (what an IPP upload ends in), released and
 *       charged by {@code print.release} (job state, ledger charge and events in one transaction per job), then
 *       sent to the simulated printer and settled, or refunded by the next child's recovery;</li>
 *   <li>calendar sync: room-2 linked to an iCalendar feed served here ({@link PowerCutCalendar}), moved on a
 *       generation and synced by {@code calendars.sync} again and again.</li>
 * </ul>
 * Each line on stdout says what has committed: a journal seq; {@code print <job>} for a job the release reply
 * says was released and charged; {@code calendar <g>} once the sync of generation g replied. Before a generation
 * is served, {@code serving <g>}: what the database may hold at most.
 */
public final class PowerCutChild {
    static final String PRINTER = "printer-1";
    /** Topped up at each start: pays for some five thousand pages. */
    static final long TOP_UP = 1_000_000;

    private PowerCutChild() { }

    /**
     * {@code DIR [--anchor EPOCH_SECONDS] [--calendar-from G]}: work until killed; {@code DIR --once}: a little of
     * everything, then exit (to record a class-data archive).
     */
    public static void main(String[] args) throws Exception {
        QuietLogging.apply();
        // A worker that fails ends the child: the figure then fails rather than measure less than it says.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            e.printStackTrace();
            Runtime.getRuntime().halt(2);
        });
        Path dir = Path.of(args[0]);
        boolean once = false;
        Instant anchor = PowerCutCalendar.anchor(Instant.now());
        long generation = 0;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--once" -> once = true;
                case "--anchor" -> anchor = Instant.ofEpochSecond(Long.parseLong(args[++i]));
                case "--calendar-from" -> generation = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        PrintStream out = System.out;
        Feed feed = Feed.start(anchor, generation);
        SystemScheduler scheduler = new SystemScheduler("site");
        SimulatedSite world = SimulatedSite.start(site(feed.url()), dir, scheduler, null, will -> new Offline());
        Gateway gateway = world.gateway();
        Journal journal = gateway.journal();
        Database db = gateway.context().db();
        Printing printing = new Printing(gateway, dir.resolve("powercut-documents"));
        printing.topUp();
        if (once) {
            for (int i = 0; i < 100; i++) {
                journal.append("card.granted", "reader-bank-a", fields("card", "…C001", "n", i), Instant.now());
                db.inTransaction(tx -> journal.append(tx, "copier.page", "copier-1", fields("mono", 1), Instant.now()));
            }
            printing.round(line -> { });
            feed.next(line -> { });
            sync(gateway);
            db.sync();
            world.close();
            scheduler.close();
            System.exit(0);
        }
        Thread single = Thread.ofPlatform().start(() -> {
            for (long i = 0; ; i++) {
                Event e = journal.append("card.granted", "reader-bank-a", fields("card", "…C001", "n", i), Instant.now());
                report(out, List.of(Long.toString(e.seq())));
            }
        });
        Thread batches = Thread.ofPlatform().start(() -> {
            for (long i = 0; ; i++) {
                long n = i;
                List<String> seqs = db.inTransaction(tx -> {
                    List<String> s = new ArrayList<>();
                    for (int k = 0; k < 10; k++) {
                        s.add(Long.toString(journal.append(tx, "copier.page", "copier-1", fields("mono", 1, "n", n),
                                Instant.now()).seq()));
                    }
                    return s;
                });
                report(out, seqs);
            }
        });
        // The site thread's way: events handed in without waiting, each reported once the group commit stored it.
        Thread handedIn = Thread.ofPlatform().start(() -> {
            for (long i = 0; ; i++) {
                journal.handIn("door.opened", "door-entrance", fields("n", i), Instant.now(),
                        seq -> report(out, List.of(Long.toString(seq))));
                if (i % 200 == 199) {
                    journal.awaitDurable(); // as a grant does now and then
                }
            }
        });
        Thread.ofPlatform().start(() -> {
            while (true) {
                db.sync();
                Pause.millis(5);
            }
        });
        Thread print = Thread.ofPlatform().start(() -> {
            while (true) {
                printing.round(line -> report(out, List.of(line)));
            }
        });
        Thread calendar = Thread.ofPlatform().start(() -> {
            while (true) {
                long g = feed.next(line -> report(out, List.of(line)));
                if (sync(gateway)) {
                    report(out, List.of("calendar " + g));
                }
            }
        });
        single.join();
        batches.join();
        handedIn.join();
        print.join();
        calendar.join();
    }

    /** The demo site, its room-2 linked to the feed (polled now and then; the child syncs it by command). */
    static Site site(String feedUrl) throws IOException, kontor.site.SiteFileException {
        String demo;
        try (InputStream in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String room = "    light: light-room-2\n";
        if (!demo.contains(room)) {
            throw new IllegalStateException("the demo site no longer has " + PowerCutCalendar.ROOM + " as the power cuts expect");
        }
        return SiteFiles.parse("powercut-demo.yaml", demo.replace(room, room + "    calendar: {ics: '" + feedUrl + "', poll: 1h}\n"));
    }

    /** Whether {@code calendars.sync} read the room's calendar (and so applied it before it replied). */
    static boolean sync(Gateway gateway) {
        JsonNode reply = call(gateway, "calendars.sync", fields());
        for (JsonNode room : reply.path("result").path("rooms")) {
            if (room.path("room").asText().equals(PowerCutCalendar.ROOM)) {
                return room.path("read").asBoolean();
            }
        }
        return false;
    }

    /** A command as the console gives it (a request id of its own): the same handlers, on the site thread. */
    static JsonNode call(Gateway gateway, String command, java.util.Map<String, Object> body) {
        java.util.Map<String, Object> request = new java.util.LinkedHashMap<>(body);
        request.putIfAbsent("id", "powercut-" + UUID.randomUUID());
        try {
            return Json.tree(gateway.commands().call(command, Json.bytes(request)).get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException(command + ": " + e, e);
        }
    }

    /** Held jobs of the demo visitor, released at printer-1 by command: what a tap at its reader does. */
    static final class Printing {
        private final Gateway gateway;
        private final PrintQueue queue;
        private final String member;
        private final Path documents;
        private long n;

        Printing(Gateway gateway, Path documents) throws IOException {
            this.gateway = gateway;
            this.queue = gateway.service(PrintQueue.class).orElseThrow();
            this.member = gateway.members().byCard(DemoCards.VISITOR).orElseThrow().id();
            this.documents = Files.createDirectories(documents);
        }

        void topUp() {
            JsonNode r = call(gateway, "member.credit", fields(
                    "card", DemoCards.VISITOR, "amount", TOP_UP, "by", "bench"));
            if (!r.path("ok").asBoolean()) {
                throw new IllegalStateException("member.credit: " + r);
            }
        }

        /** Holds three jobs (1-3 pages), then releases what is held; reports each job released and charged. */
        void round(Consumer<String> report) {
            try {
                for (int i = 1; i <= 3; i++) {
                    Path document = documents.resolve("document-" + ProcessHandle.current().pid() + "-" + n++);
                    Files.write(document, ("%PDF-1.4 power cut " + n + "\n").getBytes(StandardCharsets.US_ASCII));
                    PrintQueueHold.hold(queue, member, document, i);
                }
            } catch (IOException e) {
                throw new IllegalStateException("hold: " + e.getMessage(), e);
            }
            JsonNode r = call(gateway, "print.release", fields("card", DemoCards.VISITOR, "printer", PRINTER));
            if (r.path("ok").asBoolean()) {
                r.path("result").path("released").forEach(job -> report.accept("print " + job.asLong()));
            } else if (r.path("error").path("code").asText().equals("insufficient_funds")) {
                topUp();
            } else {
                throw new IllegalStateException("print.release: " + r);
            }
        }
    }

    /** The room's iCalendar feed: one generation at a time, moved on by the child. */
    static final class Feed {
        private final HttpServer server;
        private final Instant anchor;
        private final AtomicLong generation;

        private Feed(HttpServer server, Instant anchor, long generation) {
            this.server = server;
            this.anchor = anchor;
            this.generation = new AtomicLong(generation);
        }

        static Feed start(Instant anchor, long generation) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            Feed feed = new Feed(server, anchor, generation);
            server.createContext("/room.ics", exchange -> {
                byte[] body = PowerCutCalendar.ics(feed.generation.get(), anchor).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/calendar; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(body);
                }
            });
            server.start();
            return feed;
        }

        void close() {
            server.stop(0);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/room.ics";
        }

        /** Serves the next generation, said first: the database may hold it from then on. */
        long next(Consumer<String> report) {
            long g = generation.get() + 1;
            report.accept("serving " + g);
            generation.set(g);
            return g;
        }
    }

    /** The broker is unreachable: the gateway keeps everything in its journal, as in an outage. */
    static final class Offline implements MqttPort {
        @Override
        public void start() { }

        @Override
        public boolean connected() {
            return false;
        }

        @Override
        public void onConnectionChange(Consumer<Boolean> listener) { }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained) {
            return CompletableFuture.failedFuture(new IOException("not connected"));
        }

        @Override
        public CompletableFuture<Void> publishReply(String topic, byte[] payload, byte[] correlationData) {
            return CompletableFuture.failedFuture(new IOException("not connected"));
        }

        @Override
        public void subscribe(String filter, int qos, Consumer<Message> handler) { }

        @Override
        public void close() { }
    }

    private static void report(PrintStream out, List<String> lines) {
        synchronized (out) {
            for (String line : lines) {
                out.println(line);
            }
            out.flush();
        }
    }
}
