package kontor.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Commands at a steady rate through the broker, as operators' tools would send them: {@link #CLIENTS} clients (each
 * its own reply prefix, so each within its own limit), alternating {@code gateway.info} and a {@code member.credit}
 * of one minor unit (a database transaction and a journaled event each). Counts the replies by outcome.
 */
final class CommandFlood implements AutoCloseable {
    static final int CLIENTS = 10;

    private final RawClient client;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-flood");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final long startedNanos = System.nanoTime();

    private CommandFlood(RawClient client) {
        this.client = client;
    }

    /** Starts sending {@code perSecond} commands a second to the gateway under {@code root}; {@code card} gets the credits. */
    static CommandFlood start(String brokerUrl, String root, String card, int perSecond) throws Exception {
        CommandFlood[] self = new CommandFlood[1];
        RawClient client = RawClient.connect(brokerUrl, "bench-flood", false, true, m -> self[0].replied(m.getPayload()));
        CommandFlood flood = new CommandFlood(client);
        self[0] = flood;
        client.subscribe(root + "/reply/#", 0);
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        flood.ticker.scheduleAtFixedRate(() -> flood.send(root, card), 0, periodNanos, TimeUnit.NANOSECONDS);
        return flood;
    }

    private void send(String root, String card) {
        long n = sent.incrementAndGet();
        MqttProperties props = new MqttProperties();
        props.setResponseTopic(root + "/reply/flood-" + (n % CLIENTS) + "/r");
        String id = "flood-" + startedNanos + "-" + n;
        boolean credit = n % 2 == 0;
        String body = credit
                ? "{\"id\":\"" + id + "\",\"card\":\"" + card + "\",\"amount\":1,\"by\":\"bench\"}"
                : "{\"id\":\"" + id + "\"}";
        client.publish(root + "/cmd/" + (credit ? "member.credit" : "gateway.info"),
                body.getBytes(StandardCharsets.UTF_8), 0, props);
    }

    private void replied(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (text.contains("\"ok\":true")) {
            ok.incrementAndGet();
        } else if (text.contains("\"code\":\"busy\"")) {
            busy.incrementAndGet();
        } else {
            failed.incrementAndGet();
        }
    }

    /** How the flood went so far: sent, answered ok, busy, other errors, and the rate sent. */
    Map<String, Object> stats() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("flood_sent", sent.get());
        d.put("flood_sent_per_s", sent.get() / ((System.nanoTime() - startedNanos) / 1e9));
        d.put("flood_ok", ok.get());
        d.put("flood_busy", busy.get());
        d.put("flood_failed", failed.get());
        return d;
    }

    @Override
    public void close() throws InterruptedException {
        ticker.shutdownNow();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        client.close();
    }
}
