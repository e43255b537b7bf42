package kontor.sim;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import kontor.coap.CoapSettings;
import kontor.gateway.Gateway;
import kontor.http.HttpFront;
import kontor.mqtt.Json;
import kontor.sim.demo.SimulatedSite;
import kontor.time.SimulatedTime;
import kontor.site.Site;
import kontor.site.SiteFiles;
import kontor.testing.InMemoryMqtt;

/**
 * A whole gateway on the simulator for behaviour tests: frozen site time that only the test moves,
 * the simulated board under the real drivers, and a broker to send commands and read events and
 * retained state: the in-memory fake, or (with {@link Transport#MOSQUITTO}) a real Mosquitto that the
 * gateway reaches over Paho, as in production. Wiegand card bits still take a few real milliseconds:
 * wait for the resulting event with {@link #awaitEvent}.
 */
public final class SiteHarness implements AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();

    private final Site site;
    private final SimulatedTime time;
    private final InMemoryMqtt mqtt;
    private final SiteBroker broker;
    private final SimulatedSite world;
    private final String root;

    /** Where the gateway's MQTT goes: one suite can run over both (see {@code CommandContractTest}). */
    public enum Transport { IN_MEMORY, MOSQUITTO }

    private SiteHarness(Site site, Path dataDir, LocalDateTime start, CoapSettings coap, Transport transport) {
        this(site, dataDir, start, coap, transport, List.of());
    }

    private SiteHarness(Site site, Path dataDir, LocalDateTime start, CoapSettings coap, Transport transport,
            List<HttpFront.Listener> http) {
        this.site = site;
        this.time = SimulatedTime.frozen(start.atZone(site.zone()).toInstant());
        this.root = site.topicRoot() + "/" + site.id();
        this.mqtt = transport == Transport.IN_MEMORY ? new InMemoryMqtt() : null;
        this.broker = mqtt != null ? SiteBroker.inMemory(mqtt) : SiteBroker.mosquitto();
        try {
            this.world = SimulatedSite.start(site, dataDir, time, time, broker::gatewayPort, coap, true,
                    kontor.time.ClockSync.ALWAYS, http, null);
            broker.awaitGatewayAnswering(root + "/cmd/gateway.info");
        } catch (RuntimeException e) {
            broker.close();
            time.close();
            throw e;
        }
    }

    private SiteHarness(Site site, Path dataDir, LocalDateTime start, CoapSettings coap) {
        this(site, dataDir, start, coap, Transport.IN_MEMORY);
    }

    /** The demo site over the given transport. */
    public static SiteHarness demo(Path dataDir, LocalDateTime start, Transport transport) {
        return new SiteHarness(SiteFiles.demo(), dataDir, start, null, transport);
    }

    /** The demo site (docs/reference.md) with the demo cards, its clock frozen at {@code start} (site local time). */
    public static SiteHarness demo(Path dataDir, LocalDateTime start) {
        return new SiteHarness(SiteFiles.demo(), dataDir, start, null);
    }

    public static SiteHarness of(Site site, Path dataDir, LocalDateTime start) {
        return new SiteHarness(site, dataDir, start, null);
    }

    /** A site with a CoAP server (see {@code CoapSettings.loopback(0, …)} for free loopback ports). */
    public static SiteHarness of(Site site, Path dataDir, LocalDateTime start, CoapSettings coap) {
        return new SiteHarness(site, dataDir, start, coap);
    }

    /** A site (with the demo cards) whose gateway serves HTTP on a free loopback port: the print queue, say. */
    public static SiteHarness withHttp(Site site, Path dataDir, LocalDateTime start) {
        return new SiteHarness(site, dataDir, start, null, Transport.IN_MEMORY,
                List.of(HttpFront.Listener.plain("127.0.0.1", 0)));
    }

    public Site site() {
        return site;
    }

    public SimulatedTime time() {
        return time;
    }

    public Instant now() {
        return time.now();
    }

    public SimulatedSite world() {
        return world;
    }

    public Gateway gateway() {
        return world.gateway();
    }

    /** The in-memory broker, to take it away or read it directly; only with {@link Transport#IN_MEMORY}. */
    public InMemoryMqtt mqtt() {
        if (mqtt == null) {
            throw new IllegalStateException("this harness runs over a real Mosquitto");
        }
        return mqtt;
    }

    /** Everything published so far, as a subscriber to {@code #} got it, oldest first. */
    public List<InMemoryMqtt.Published> published() {
        return broker.published();
    }

    /** Whether the gateway is connected to the broker. */
    public boolean brokerConnected() {
        return broker.connected();
    }

    /** Cuts the gateway's connection to the broker abruptly; only with {@link Transport#MOSQUITTO}. It reconnects by itself. */
    public void dropBrokerConnection() {
        broker.dropGateway();
    }

    /** Moves site time, running every rule that falls due on the way. */
    public void advance(Duration by) {
        time.advance(by);
        settle();
    }

    /**
     * Waits until the site thread has handled everything handed to it so far and, while the broker
     * is up, until every journaled event has been published.
     */
    public void settle() {
        onSiteThread(() -> { });
        if (broker.connected()) {
            long last = gateway().journal().lastSeq();
            awaitFast().until(() -> lastPublishedSeq() >= last);
            broker.flush();
        }
    }

    /** Runs {@code work} on the site thread, where the rules run, and waits for it; what it throws is thrown here. */
    public void onSiteThread(Runnable work) {
        time.runAndWait(work, Duration.ofSeconds(10));
    }

    private long lastPublishedSeq() {
        List<JsonNode> all = events();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).path("seq").asLong();
    }

    /** Sends a command as an operator's tool would and returns the whole reply ({@code id}, {@code ok}, …). */
    public JsonNode command(String name, String jsonFields) {
        String id = "t" + IDS.incrementAndGet();
        String body = jsonFields.isBlank() ? "{\"id\":\"" + id + "\"}" : "{\"id\":\"" + id + "\"," + jsonFields.strip().replaceFirst("^\\{", "");
        return commandRaw(name, body);
    }

    /** Sends exactly {@code payload} to {@code cmd/name} and returns the reply. */
    public JsonNode commandRaw(String name, String payload) {
        String responseTopic = root + "/reply/test/" + UUID.randomUUID();
        byte[] correlation = responseTopic.getBytes(StandardCharsets.UTF_8);
        broker.clientPublish(root + "/cmd/" + name, payload, responseTopic, correlation);
        InMemoryMqtt.Published reply = awaitFast()
                .until(() -> broker.published().stream().filter(p -> p.topic().equals(responseTopic)).findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        return Json.tree(reply.payload());
    }

    /** Sends a simulator control message ({@code sim/action}), as in docs/reference.md, "Simulator control". */
    public void sim(String action, String json) {
        broker.clientPublish(root + "/sim/" + action, json, null, null);
    }

    /** Every event published so far, in order (call {@link #settle()} first to include the latest). */
    public List<JsonNode> events() {
        return broker.published().stream().filter(p -> p.topic().equals(root + "/events"))
                .map(p -> Json.tree(p.payload())).toList();
    }

    /** The events of one type, once everything journaled so far is published. */
    public List<JsonNode> events(String type) {
        settle();
        return events().stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }

    /** Waits for the first event of {@code type} published after {@code afterSeq} that matches. */
    public JsonNode awaitEvent(long afterSeq, String type, Predicate<JsonNode> matching) {
        return awaitFast().until(
                () -> events().stream().filter(e -> e.path("seq").asLong() > afterSeq
                        && e.path("type").asText().equals(type) && matching.test(e)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    public JsonNode awaitEvent(String type, Predicate<JsonNode> matching) {
        return awaitEvent(0, type, matching);
    }

    /** The last seq journaled so far: mark a point, then await events after it. */
    public long lastSeq() {
        settle();
        return gateway().journal().lastSeq();
    }

    /** The retained value under the site root, e.g. {@code lockers/locker-01/state}; null if none. */
    public JsonNode retained(String subTopic) {
        settle();
        String text = broker.retained(root + "/" + subTopic);
        return text == null ? null : Json.tree(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A card tap at a reader, through the real Wiegand driver; returns the tap's decision event
     * ({@code card.granted} or {@code card.denied}) once everything the tap caused has run.
     */
    public JsonNode tap(String reader, String card) {
        long mark = lastSeq();
        world.tap(reader, card);
        JsonNode decision = awaitFast().until(
                () -> events().stream().filter(e -> e.path("seq").asLong() > mark
                        && e.path("type").asText().startsWith("card.")
                        && e.path("device").asText().equals(reader)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        settle();
        return decision;
    }

    /** Awaitility, polling often: the in-memory broker answers within microseconds. */
    private static org.awaitility.core.ConditionFactory awaitFast() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    @Override
    public void close() {
        world.close();
        time.close();
        broker.close();
    }
}
