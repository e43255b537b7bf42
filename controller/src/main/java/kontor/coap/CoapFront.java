package kontor.coap;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import kontor.device.Signal;
import kontor.core.Topics;
import kontor.mqtt.RetainedTopics;
import kontor.site.DeviceSpec;
import kontor.site.Room;
import kontor.site.Site;
import kontor.time.Scheduler;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's CoAP server (docs/reference.md, "CoAP"): {@code /site}, {@code /rooms/{room}} (observable: it follows
 * the retained room state exactly as MQTT has it) and {@code /devices/{node}/report}, whose reports become the
 * same signals a wired device gives. DTLS 1.2 with a pre-shared key per identity; plain CoAP only on loopback
 * and only where the settings allow it (the demo).
 */
public final class CoapFront implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoapFront.class);

    static {
        // Californium's modules must be registered before a Configuration is made.
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private final CoapSettings settings;
    private final Site site;
    private final Map<String, RoomResource> roomsByTopic = new HashMap<>();
    private final CoapServer server;
    private Endpoint plain;
    private Endpoint dtls;
    private boolean started;

    /**
     * @param signals where reports go: the gateway's {@code signal}, which hands them to the site thread
     */
    public CoapFront(CoapSettings settings, Site site, Scheduler clock, RetainedTopics retained, Topics topics,
                     Consumer<Signal> signals) {
        this(settings, site, clock, retained, topics, signals, null);
    }

    /**
     * @param signals  where reports go: the gateway's {@code signal}, which hands them to the site thread
     * @param freeBusy a room's free/busy iCalendar feed by room id ({@code /rooms/{room}/freebusy}); null for none
     */
    public CoapFront(CoapSettings settings, Site site, Scheduler clock, RetainedTopics retained, Topics topics,
                     Consumer<Signal> signals, Function<String, String> freeBusy) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.site = Objects.requireNonNull(site, "site");
        Configuration config = configuration();
        server = new CoapServer(config);

        SiteResource siteResource = new SiteResource(site, clock, retained, topics);
        CoapResource rooms = new CoapResource("rooms", false);
        ObserverLimit observers = new ObserverLimit();
        for (Room room : site.rooms()) {
            RoomResource resource = new RoomResource(room, retained, topics.roomState(room.id()), observers);
            if (freeBusy != null) {
                resource.add(new FreeBusyResource(room.id(), freeBusy));
            }
            roomsByTopic.put(topics.roomState(room.id()), resource);
            rooms.add(resource);
        }
        ReportLimit limit = new ReportLimit(settings.reportsPerMinute());
        Reports reports = new Reports(settings, clock, limit, signals);
        DevicesResource devices = new DevicesResource(site, reports);
        server.add(siteResource, rooms, devices);

        retained.onChange((topic, value) -> {
            RoomResource room = roomsByTopic.get(topic);
            if (room != null) {
                room.changed();
            }
        });
    }

    /** Observations of rooms held at once, by all clients: far more than a site's door displays need. */
    static final int MAX_OBSERVATIONS = 2_000;

    private Configuration configuration() {
        Configuration config = Configuration.createStandardWithoutFile();
        // A Pi serves a few dozen nodes: small thread pools are plenty.
        config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 2);
        config.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
        config.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 1000);
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 4096);
        // All observations together, whoever holds them (ObserverLimit caps each client).
        config.set(CoapConfig.MAX_SERVER_OBSERVES, MAX_OBSERVATIONS);
        return config;
    }

    /** Binds and starts serving. @throws IllegalStateException with one clear sentence when a port is taken */
    public synchronized void start() {
        Configuration config = server.getConfig();
        AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
        settings.psks().forEach(keys::setKey);
        DtlsConnectorConfig dtlsConfig = DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress(settings.bind(), settings.dtlsPort()))
                .setAdvancedPskStore(keys)
                .build();
        dtls = new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtlsConfig)).build();
        server.addEndpoint(dtls);
        if (settings.plainAllowed()) {
            plain = new CoapEndpoint.Builder().setConfiguration(config)
                    .setInetSocketAddress(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), settings.plainPort()))
                    .build();
            server.addEndpoint(plain);
        }
        server.start();
        for (Endpoint endpoint : endpoints()) {
            if (!endpoint.isStarted()) {
                server.destroy();
                throw new IllegalStateException("CoAP could not listen on " + endpoint.getAddress()
                        + ": is the port taken by another program?");
            }
        }
        started = true;
        log.info("CoAP listening: DTLS on {}{} ({} PSK identities, {} report nodes)", dtls.getAddress(),
                plain == null ? "" : ", plain CoAP on " + plain.getAddress(), settings.psks().size(),
                site.coapNodes().size());
    }

    private List<Endpoint> endpoints() {
        return plain == null ? List.of(dtls) : List.of(dtls, plain);
    }

    /** The DTLS port actually bound. */
    public int dtlsPort() {
        return dtls.getAddress().getPort();
    }

    /** The plain CoAP port actually bound, or -1 when plain CoAP is not served. */
    public int plainPort() {
        return plain == null ? -1 : plain.getAddress().getPort();
    }

    /** The identities of nodes that may report: the site's CoAP nodes. */
    public List<String> nodes() {
        return site.coapNodes().stream().map(DeviceSpec::id).toList();
    }

    /** Stops serving; observers are told nothing more. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (started) {
            started = false;
            server.destroy();
            log.info("CoAP stopped");
        }
    }
}
