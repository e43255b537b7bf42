package kontor.provisioning;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kontor.cli.UserError;
import kontor.fleet.FleetTopics;
import kontor.fleet.OwnerKeys;
import kontor.members.CardHasher;
import kontor.members.SiteSecret;
import kontor.mqtt.MqttPort;
import kontor.mqtt.MqttSettings;
import kontor.mqtt.PahoMqttPort;
import kontor.site.FleetSpec;

/**
 * The owner's connection to the cluster, from the directory {@code kontor provision centre} wrote: its keys,
 * and a way to read what the cluster retains. The cluster is the directory's only home; {@code kontor fleet}
 * keeps nothing of its own between runs.
 */
final class FleetOwner implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    final FleetTopics topics;
    final PrivateKey signingKey;
    final CardHasher cards;
    private final MqttPort mqtt;
    private final String root;

    private FleetOwner(FleetTopics topics, String root, PrivateKey signingKey, CardHasher cards, MqttPort mqtt) {
        this.topics = topics;
        this.root = root;
        this.signingKey = signingKey;
        this.cards = cards;
        this.mqtt = mqtt;
    }

    /** Connects as the owner; {@code broker} overrides fleet.properties' URL (e.g. a tunnel). */
    static FleetOwner connect(Path centre, URI broker) {
        // A command on the owner's terminal: the connection's comings and goings are not news, its failures are.
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger("kontor.mqtt").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Properties p = FleetCentre.properties(centre);
        URI url = broker != null ? broker : URI.create(p.getProperty("broker"));
        String root = p.getProperty("topic_root", "kontor");
        String user = p.getProperty("owner_username", "owner");
        String ca = p.getProperty("ca_file");
        char[] password;
        try {
            password = Files.readString(centre.resolve(FleetCentre.OWNER_PASSWORD), StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new UserError("cannot read " + centre.resolve(FleetCentre.OWNER_PASSWORD) + ": " + e.getMessage());
        }
        PrivateKey key = OwnerKeys.readPrivate(centre.resolve(FleetCentre.OWNER_KEY));
        CardHasher cards = new CardHasher(SiteSecret.loadExisting(centre.resolve(FleetCentre.FLEET_KEY), "the fleet key"));
        MqttSettings settings = new MqttSettings(url, "kontor-fleet-" + UUID.randomUUID().toString().substring(0, 8), user,
                password, "ssl".equals(url.getScheme()) && ca != null ? Path.of(ca) : null, null, null,
                null, null, false, null, null, null, null, MqttSettings.DEFAULT_MAX_INFLIGHT);
        PahoMqttPort port = new PahoMqttPort(settings);
        CountDownLatch up = new CountDownLatch(1);
        port.onConnectionChange(connected -> {
            if (connected) {
                up.countDown();
            }
        });
        port.start();
        try {
            if (!up.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                port.close();
                throw new UserError("could not connect to the cluster at " + url + " as " + user + " within " + WAIT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            port.close();
            throw new UserError("interrupted while connecting");
        }
        return new FleetOwner(new FleetTopics(root), root, key, cards, port);
    }

    /**
     * Everything the cluster retains under these filters, topic → payload. MQTT has no "that was all" for
     * retained messages, so a marker is sent through the broker after subscribing: the broker hands out the
     * retained messages of a subscription before anything published after it, so when the marker is back,
     * they are all here.
     */
    Map<String, byte[]> retained(List<String> filters) {
        Map<String, byte[]> seen = new TreeMap<>();
        String marker = UUID.randomUUID().toString();
        String markerTopic = root + "/" + FleetSpec.TOPIC_LEVEL + "/owner/sync";
        CompletableFuture<Void> back = new CompletableFuture<>();
        for (String filter : filters) {
            mqtt.subscribe(filter, 1, m -> {
                synchronized (seen) {
                    if (m.payload().length > 0) {
                        seen.put(m.topic(), m.payload());
                    } else {
                        seen.remove(m.topic());
                    }
                }
            });
        }
        mqtt.subscribe(markerTopic, 1, m -> {
            if (marker.equals(new String(m.payload(), StandardCharsets.UTF_8))) {
                back.complete(null);
            }
        });
        await(mqtt.publish(markerTopic, marker.getBytes(StandardCharsets.UTF_8), 1, false), "send the sync marker");
        await(back, "read the retained messages (is this user allowed to read " + filters + "?)");
        synchronized (seen) {
            return new TreeMap<>(seen);
        }
    }

    /** Publishes a retained message and waits until the broker has it. */
    void retain(String topic, byte[] payload) {
        await(mqtt.publish(topic, payload, 1, true), "publish " + topic);
    }

    private static void await(CompletableFuture<?> f, String what) {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new UserError("the cluster did not answer within " + WAIT.toSeconds() + " s: could not " + what);
        } catch (ExecutionException e) {
            throw new UserError("could not " + what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    @Override
    public void close() {
        mqtt.close();
    }
}
