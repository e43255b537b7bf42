package kontor.gateway;

import static kontor.core.Events.fields;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import kontor.access.CardAccess;
import kontor.coap.CoapFront;
import kontor.coap.CoapSettings;
import kontor.http.HttpFront;
import kontor.http.HttpRoutes;
import kontor.core.Alarms;
import kontor.core.DeviceStates;
import kontor.core.Events;
import kontor.core.FlapDamper;
import kontor.core.JournalCapacity;
import kontor.core.MemberDetails;
import kontor.core.OpeningTimes;
import kontor.core.SiteContext;
import kontor.core.SiteDevices;
import kontor.core.SiteService;
import kontor.core.StoredCommandLog;
import kontor.core.Topics;
import kontor.device.DeviceFactory;
import kontor.device.Signal;
import kontor.copying.CopierService;
import kontor.discovery.HomeAssistantDiscovery;
import kontor.entrance.EntranceService;
import kontor.fleet.FleetDirectory;
import kontor.fleet.OwnerKeys;
import kontor.entrance.Headcount;
import kontor.field.FieldDevices;
import kontor.journal.EventReplay;
import kontor.journal.Journal;
import kontor.journal.JournalPublisher;
import kontor.lockers.LoanService;
import kontor.lockers.LockerService;
import kontor.members.CardHasher;
import kontor.members.Members;
import kontor.members.SiteSecret;
import kontor.money.MoneyService;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;
import kontor.mqtt.MqttPort;
import kontor.mqtt.RetainedTopics;
import kontor.core.ClockWatch;
import kontor.time.ClockSync;
import kontor.printing.PrintQueue;
import kontor.printing.PrinterMonitor;
import kontor.rooms.RoomCommands;
import kontor.rooms.Rooms;
import kontor.safety.Doors;
import kontor.site.Site;
import kontor.store.Database;
import kontor.store.SiteState;
import kontor.time.Scheduler;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One site's gateway: its devices, database, journal, MQTT and rules. Built with {@link #builder},
 * started once, closed once.
 *
 * <p>Every decision runs on the scheduler's single thread: driver signals and commands are handed
 * to it, so the rules never race each other. Start-up puts every output in its safe state before
 * anything else; shutdown does the same first, then tells the broker and closes the journal.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** How often the database is compacted, and for how long at most each time. */
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);
    private static final Duration HOUSEKEEPING_BUDGET = Duration.ofSeconds(2);

    /** The last will the MQTT connection must carry: retained {@code {"state":"offline"}} on the status topic. */
    public record Will(String topic, byte[] payload) { }

    private final Site site;
    private final Path dataDir;
    private final Scheduler scheduler;
    private final Function<Will, MqttPort> connector;
    private final DeviceFactory deviceFactory;
    private final String version;
    private final Topics topics;
    private final CoapSettings coapSettings;
    private final ClockSync clockSync;
    private ClockWatch clockWatch;

    private SiteDevices devices;
    private Database db;
    private Journal journal;
    private Members members;
    private MqttPort mqtt;
    private RetainedTopics retained;
    private Events events;
    private Alarms alarms;
    private CardAccess access;
    private JournalPublisher publisher;
    private CommandServer commands;
    private StoredCommandLog commandReplies;
    private EventReplay replay;
    private FlapDamper damper;
    private JournalCapacity capacity;
    private Scheduler.Timer capacityCheck;
    private Scheduler.Timer retention;
    private java.util.concurrent.ScheduledExecutorService housekeeping;
    private OpeningTimes hours;
    private SiteContext context;
    private List<SiteService> services = List.of();
    private CoapFront coap;
    private final List<HttpFront.Listener> httpListeners;
    private final List<HttpRoutes> extraRoutes;
    private HttpFront http;
    private Instant started;
    private volatile boolean running;

    private Gateway(Builder b) {
        this.site = b.site;
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
        this.connector = Objects.requireNonNull(b.connector, "mqtt");
        this.deviceFactory = Objects.requireNonNull(b.devices, "devices");
        this.version = b.version;
        this.coapSettings = b.coap;
        this.clockSync = b.clockSync;
        this.httpListeners = List.copyOf(b.httpListeners);
        this.extraRoutes = List.copyOf(b.httpRoutes);
        this.topics = Topics.of(site.topicRoot(), site.id());
    }

    public static Builder builder(Site site) {
        return new Builder(site);
    }

    /** Starts everything, in the order that keeps outputs safe and nothing unrecorded. */
    public synchronized void start() {
        // 1. Hardware first: each driver puts its outputs in the safe state as it is created.
        devices = new SiteDevices(site, deviceFactory, this::signal);
        // 2. The database and the journal: nothing is told before it is recorded.
        Database.Opened opened = Database.openOrSetAside(dataDir, scheduler.now());
        db = opened.db();
        journal = new Journal(db, site.zone());
        CardHasher fleetCards = site.fleet() == null ? null
                : new CardHasher(SiteSecret.loadExisting(site.fleet().keyFile(), "the fleet key"));
        members = new Members(db, new CardHasher(SiteSecret.loadOrCreate(dataDir.resolve("site.secret"))), fleetCards, scheduler::now);
        // 3. MQTT, with the last will that marks us offline if we vanish.
        mqtt = connector.apply(new Will(topics.gatewayStatus(), Json.bytes(fields("state", "offline"))));
        // A state goes out only after the events behind it are in the journal.
        retained = new RetainedTopics(mqtt, journal::awaitWritten);
        // The broker writes the last will there when we vanish: "online" goes again after every reconnect.
        retained.brokerMayWrite(topics.gatewayStatus());
        events = new Events(journal, scheduler);
        alarms = new Alarms(db, events, retained, topics, scheduler);
        replay = new EventReplay(journal);
        damper = new FlapDamper(scheduler, alarms, this::dispatch);
        capacity = new JournalCapacity(journal, site.policy().journalMaxEvents());
        capacity.tellThrough(events, alarms);
        events.limitBy(capacity::admit);
        access = new CardAccess(members, site.policy(), events, alarms, devices, scheduler);
        commandReplies = new StoredCommandLog(db, journal, scheduler);
        commands = new CommandServer(mqtt, topics.root(), scheduler::execute, commandReplies);
        hours = new OpeningTimes(site.hours(), scheduler, new SiteState(db, scheduler::now), events);
        context = new SiteContext(site, scheduler, db, journal, events, alarms, devices, retained, topics, members, access, hours);
        // Each area of the site's rules; they see signals and hear of opening and closing in this order:
        // the devices' own state first, then the card check (which puts a valid tap to the door behind it).
        Doors doors = new Doors(context);
        Rooms rooms = new Rooms(context, doors);
        LoanService loans = new LoanService(context);
        kontor.rooms.RoomCalendars roomCalendars = new kontor.rooms.RoomCalendars(context, rooms);
        services = List.of(
                new DeviceStates(devices, events, alarms),
                access,
                new kontor.access.DeskReaders(context, access),
                doors,
                new MoneyService(context),
                new LockerService(context),
                loans,
                new CopierService(context),
                rooms,
                new RoomCommands(rooms, context),
                roomCalendars,
                // After the rooms and the loans: its first sync books into them.
                new kontor.calendars.Calendars(context, Stream.concat(roomCalendars.targets().stream(),
                        kontor.lockers.LoanCalendars.targets(context, loans).stream()).toList()),
                new EntranceService(context, doors),
                new Headcount(context),
                new FieldDevices(context, mqtt, this::fieldSignal),
                new PrinterMonitor(context),
                new PrintQueue(context),
                new HomeAssistantDiscovery(context, mqtt, version));
        if (site.fleet() != null) {
            services = Stream.concat(services.stream(), Stream.of(
                    new FleetDirectory(context, mqtt, OwnerKeys.readPublic(site.fleet().ownerKeyFile())))).toList();
        }
        onSiteThread(() -> {
            started = scheduler.now();
            events.emit("gateway.started", null, fields("version", version));
            devices.publishTo(retained, topics);
            retained.put(topics.gatewayStatus(), Json.bytes(fields(
                    "state", "online", "version", version, "started", events.time(started))));
            alarms.restore();
            // Before the hours start: while the clock is not known to be right, nothing opens by the time of day.
            if (site.entrance() != null && site.entrance().reader() != null) {
                access.untrustedClockReaders(java.util.Set.of(site.entrance().reader().id()));
            }
            clockWatch = new ClockWatch(clockSync, scheduler, alarms, events, List.of(access::clockTrusted, hours::clockTrusted), hours::replan);
            clockWatch.start();
            new GatewayCommands(site.id(), version, this::uptime, devices, journal).registerOn(commands);
            new JournalCommands(alarms, replay).registerOn(commands);
            new MemberCommands(members, events, site.zone(), services.stream()
                    .filter(MemberDetails.class::isInstance).map(MemberDetails.class::cast).toList()).registerOn(commands);
            services.forEach(service -> service.registerCommands(commands));
            services.forEach(SiteService::start);
            hours.start(services);
            clearAlarmsThatDidNotSurvive();
            if (opened.setAside() != null) {
                log.error("The database in {} could not be read. It was moved, untouched, to {} and a fresh one started. "
                        + "Members, balances and the journal before this moment are in the moved files: see docs/operations.md, "
                        + "'Recovering a database'.", dataDir, opened.setAside());
                alarms.raise("database.unreadable", "gateway", fields("moved_to", opened.setAside().toString()));
            }
            retention = scheduler.every(Duration.ofHours(1), this::pruneJournal);
            capacity.check();
            capacityCheck = scheduler.every(Duration.ofMinutes(1), capacity::check);
        });
        startHousekeeping();
        publisher = new JournalPublisher(journal, mqtt, topics.events());
        publisher.start();
        commands.start();
        mqtt.subscribe(topics.alarm("+"), 1, m -> scheduler.execute(() -> alarms.reconcile(m.topic(), m.payload())));
        mqtt.start();
        running = true;
        // Last: reports from CoAP nodes reach a site whose services have started.
        if (coapSettings != null) {
            try {
                kontor.rooms.RoomCalendars calendars = services.stream().filter(kontor.rooms.RoomCalendars.class::isInstance)
                        .map(kontor.rooms.RoomCalendars.class::cast).findFirst().orElseThrow();
                coap = new CoapFront(coapSettings, site, scheduler, retained, topics, this::fieldSignal, calendars::freeBusy);
                coap.start();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        if (!httpListeners.isEmpty()) {
            try {
                http = HttpFront.start(httpListeners, httpRoutes());
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        log.info("Gateway for site '{}' started with {} devices", site.id(), devices.all().size());
    }

    /**
     * Alarms restored from before a restart whose cause the gateway can see again now: a lock-out
     * (held in memory only), a device that is back, a fire input that is quiet.
     */
    private void clearAlarmsThatDidNotSurvive() {
        alarms.clearAll(a -> switch (a.type()) {
            case "reader.locked_out" -> true;
            case "device.offline" -> devices.get(a.device()).map(SiteDevices.Tracked::available).orElse(true);
            case "fire" -> Boolean.FALSE.equals(devices.get(a.device()).map(d -> d.state("active")).orElse(false));
            default -> false;
        });
    }

    /**
     * Keeps the database file compact while running (see {@link Database#compact}), on a thread of its own, never
     * the site thread: each step holds H2's store lock for a moment only, so a tap's commit hardly waits for it.
     */
    private void startHousekeeping() {
        housekeeping = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kontor-db-housekeeping");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                db.compact(HOUSEKEEPING_BUDGET);
            } catch (RuntimeException e) {
                log.warn("Could not compact the database: {}", e.toString());
            }
        }, HOUSEKEEPING_EVERY.toSeconds(), HOUSEKEEPING_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /** Published events older than the retention go; unpublished ones stay whatever their age. */
    private void pruneJournal() {
        int removed = journal.prunePublishedBefore(scheduler.now().minus(site.policy().journalRetention()));
        if (removed > 0) {
            log.info("Removed {} published events older than {}", removed, site.policy().journalRetention());
        }
    }

    /**
     * Where driver signals enter: handed to the site thread in its most urgent lane, so a door, reader, lock or
     * fire input never waits behind commands or simulator control (doors first).
     */
    public void signal(Signal s) {
        signal(s, Scheduler.Lane.DEVICE);
    }

    /** Where reports of field nodes (CoAP, Zigbee2MQTT) enter: behind wired devices, ahead of commands. */
    private void fieldSignal(Signal s) {
        signal(s, Scheduler.Lane.FIELD);
    }

    private void signal(Signal s, Scheduler.Lane lane) {
        scheduler.execute(lane, () -> {
            try {
                handle(s);
            } catch (RuntimeException e) {
                log.error("Could not handle {}", s, e);
            }
        });
    }

    private void handle(Signal s) {
        if (devices == null || devices.get(s.device()).isEmpty()) {
            log.warn("Signal from unknown device {}", s.device());
            return;
        }
        Signal passed = damper.filter(s);
        if (passed != null) {
            dispatch(passed);
        }
    }

    /** Every signal takes the same road: each service in turn, the devices' own bookkeeping first. */
    private void dispatch(Signal s) {
        for (SiteService service : services) {
            service.onSignal(s);
        }
    }

    /** Runs {@code work} on the site thread and waits for it. */
    private void onSiteThread(Runnable work) {
        scheduler.runAndWait(work, Duration.ofMinutes(1));
    }

    public Site site() {
        return site;
    }

    public String version() {
        return version;
    }

    public Topics topics() {
        return topics;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public SiteDevices devices() {
        return devices;
    }

    public Journal journal() {
        return journal;
    }

    public Members members() {
        return members;
    }

    /** The gateway's MQTT connection, for the demo's simulator control. */
    public MqttPort mqtt() {
        return mqtt;
    }

    /** What the site's services share; for tests and the demo. */
    public SiteContext context() {
        return context;
    }

    public Alarms alarms() {
        return alarms;
    }

    /** The running service of this class, if the gateway has one: for the bench's power cuts, which drive it. */
    public <T extends SiteService> java.util.Optional<T> service(Class<T> type) {
        return services.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The command layer: MQTT's, and the console's through {@link CommandServer#call}. */
    public CommandServer commands() {
        return commands;
    }

    /** The site's opening hours, as the rules see them. */
    public OpeningTimes hours() {
        return hours;
    }

    /** Every route of every service (and of the parts the builder added) that answers over HTTP. */
    private Map<String, Handler> httpRoutes() {
        Map<String, Handler> routes = new LinkedHashMap<>();
        Stream.concat(services.stream().filter(HttpRoutes.class::isInstance).map(HttpRoutes.class::cast),
                extraRoutes.stream()).forEach(part -> part.httpRoutes().forEach((path, handler) -> {
                    if (routes.putIfAbsent(path, handler) != null) {
                        throw new IllegalStateException("two parts of the gateway want the HTTP path " + path);
                    }
                }));
        return routes;
    }

    /** The HTTP server, or null when the gateway was built without listeners. */
    public HttpFront http() {
        return http;
    }

    /** The CoAP server, or null when the gateway was built without one. */
    public CoapFront coap() {
        return coap;
    }

    public Duration uptime() {
        return Duration.between(started, scheduler.now());
    }

    /**
     * Shuts down: outputs safe first, then the last state out to the broker, then the journal.
     * Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        log.info("Gateway for site '{}' stopping", site.id());
        // First: no report comes in from a CoAP node or an HTTP client while the rest shuts down.
        if (coap != null) {
            coap.close();
        }
        if (http != null) {
            http.close();
        }
        services.stream().filter(PrintQueue.class::isInstance).map(PrintQueue.class::cast).forEach(PrintQueue::close);
        onSiteThread(() -> {
            if (clockWatch != null) {
                clockWatch.stop();
            }
            hours.stop();
            retention.cancel();
            capacityCheck.cancel();
        });
        try {
            devices.close();
        } catch (RuntimeException e) {
            log.error("Could not make every output safe", e);
        }
        try {
            awaitPublished(Duration.ofSeconds(3));
            if (mqtt.connected()) {
                mqtt.publish(topics.gatewayStatus(), Json.bytes(fields("state", "offline")), 1, true)
                        .get(2, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.warn("Could not tell the broker we are going offline: {}", e.toString());
        }
        // Not shutdownNow: an interrupt inside H2's file I/O closes its file channel under the database.
        housekeeping.shutdown();
        try {
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        mqtt.close();
        if (commandReplies != null) {
            commandReplies.close(); // the replies of the last commands are kept before the journal closes
        }
        journal.close();
        db.close();
        log.info("Gateway for site '{}' stopped", site.id());
    }

    /** Gives the journal publisher a moment to deliver the last events (the shutdown's among them). */
    private void awaitPublished(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (mqtt.connected() && journal.publishedSeq() < journal.lastSeq() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Collects what a gateway needs; only the site is known up front. */
    public static final class Builder {
        private final Site site;
        private Path dataDir;
        private Scheduler scheduler;
        private Function<Will, MqttPort> connector;
        private DeviceFactory devices;
        private String version = "dev";
        private CoapSettings coap;
        private ClockSync clockSync = ClockSync.ALWAYS;
        private final List<HttpFront.Listener> httpListeners = new ArrayList<>();
        private final List<HttpRoutes> httpRoutes = new ArrayList<>();

        private Builder(Site site) {
            this.site = Objects.requireNonNull(site);
        }

        /** Where the database and the site secret live. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** The site's clock and thread. */
        public Builder scheduler(Scheduler s) {
            this.scheduler = s;
            return this;
        }

        /** Makes the MQTT connection, given the last will it must carry. */
        public Builder mqtt(Function<Will, MqttPort> connector) {
            this.connector = connector;
            return this;
        }

        /**
         * Makes the site's devices: Pi4J's gpiod drivers on a Pi, the same drivers on the simulator's
         * board in the demo. Never guessed. The gateway closes it.
         */
        public Builder devices(DeviceFactory factory) {
            this.devices = factory;
            return this;
        }

        public Builder version(String v) {
            this.version = v;
            return this;
        }

        /** Serves CoAP (door displays, battery nodes) with these settings; without it there is no CoAP server. */
        /** Whether the system clock is known to be right (default: always, as a simulated clock is). */
        public Builder clockSync(ClockSync sync) {
            this.clockSync = java.util.Objects.requireNonNull(sync, "sync");
            return this;
        }

        public Builder coap(CoapSettings settings) {
            this.coap = settings;
            return this;
        }

        /**
         * Serves HTTP on these addresses (plain only on loopback): every route of every service that
         * has some ({@link HttpRoutes}), on each listener. Without listeners there is no HTTP server.
         */
        public Builder http(List<HttpFront.Listener> listeners) {
            this.httpListeners.addAll(listeners);
            return this;
        }

        /** Adds routes of a part built outside the services (the console, which sits beside the gateway). */
        public Builder httpRoutes(HttpRoutes part) {
            this.httpRoutes.add(part);
            return this;
        }

        public Gateway build() {
            return new Gateway(this);
        }
    }
}
