package kontor.mqtt;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which commands may queue for the site thread (docs/reference.md, "Commands", error {@code busy}). Commands come
 * from the network and every one runs on the site thread, so a flood must not grow without bound nor crowd out
 * other clients; doors do not wait for commands in any case (they have their own lane on the site thread).
 *
 * <ul>
 *   <li>At most {@link Limits#waiting} commands wait or run at once, from all clients together.</li>
 *   <li>At most {@link Limits#waitingPerClient} of them from one client, and at most {@link Limits#perSecond}
 *       a second from one client on average (a burst of as many is allowed).</li>
 * </ul>
 *
 * <p>A client is what the request names for its reply: the level below {@code {root}/reply/} of its MQTT 5 response
 * topic (each broker user may read only its own {@code reply/<user>/…}, so a client naming someone else gets no
 * answers), otherwise the whole response topic; every request without a response topic counts as one client.
 * MQTT does not tell a subscriber who published, so this is the closest the gateway can get to a client; the
 * overall bound holds whatever a client claims. Thread-safe: it runs on the MQTT client's thread and the site's.
 */
public final class CommandAdmission {

    /** The bounds; see the class comment. */
    public record Limits(int waiting, int waitingPerClient, int perSecond) {
        public static final Limits DEFAULT = new Limits(256, 32, 200);

        public Limits {
            if (waiting < 1 || waitingPerClient < 1 || perSecond < 1) {
                throw new IllegalArgumentException("command limits must be at least 1");
            }
        }
    }

    /** At most this many clients are remembered; idle ones are forgotten first. */
    private static final int MAX_CLIENTS = 1024;

    private final Limits limits;
    private final String replyPrefix;
    private final LongSupplier nanos;
    private final Map<String, Client> clients = new HashMap<>();
    private int waiting;

    public CommandAdmission(Limits limits, String root, LongSupplier nanos) {
        this.limits = limits;
        this.replyPrefix = root + "/reply/";
        this.nanos = nanos;
    }

    /** A command let in; {@link #done} must be called once it has run (or could not be handed on). */
    public final class Ticket {
        private final Client client;
        private boolean done;

        private Ticket(Client client) {
            this.client = client;
        }

        public void done() {
            synchronized (CommandAdmission.this) {
                if (!done) {
                    done = true;
                    waiting--;
                    client.waiting--;
                }
            }
        }
    }

    /**
     * Lets the command in.
     *
     * @throws CommandException {@code busy}, saying in a sentence which bound it met
     */
    public synchronized Ticket admit(Message m) throws CommandException {
        String key = client(m);
        Client c = clients.get(key);
        if (c == null) {
            if (clients.size() >= MAX_CLIENTS) {
                clients.values().removeIf(x -> x.waiting == 0);
            }
            c = new Client(limits.perSecond(), nanos.getAsLong());
            clients.put(key, c);
        }
        c.refill(nanos.getAsLong(), limits.perSecond());
        if (waiting >= limits.waiting()) {
            throw new CommandException(CommandException.BUSY, "the gateway has " + waiting + " commands waiting; try again in a moment");
        }
        if (c.waiting >= limits.waitingPerClient()) {
            throw new CommandException(CommandException.BUSY, "this client has " + c.waiting + " commands waiting (at most " + limits.waitingPerClient()
                    + "); wait for their replies");
        }
        if (c.tokens < 1) {
            throw new CommandException(CommandException.BUSY, "this client sent more than " + limits.perSecond() + " commands a second; slow down");
        }
        c.tokens--;
        c.waiting++;
        waiting++;
        return new Ticket(c);
    }

    /** Commands waiting or running now, from all clients. */
    public synchronized int waiting() {
        return waiting;
    }

    private String client(Message m) {
        String topic = m.responseTopic();
        if (topic == null) {
            return "";
        }
        if (topic.startsWith(replyPrefix)) {
            String rest = topic.substring(replyPrefix.length());
            int slash = rest.indexOf('/');
            return "reply:" + (slash < 0 ? rest : rest.substring(0, slash));
        }
        return "topic:" + topic;
    }

    /** A token bucket (a second's worth at most) and a count of waiting commands. */
    private static final class Client {
        double tokens;
        long refilled;
        int waiting;

        Client(int perSecond, long now) {
            this.tokens = perSecond;
            this.refilled = now;
        }

        void refill(long now, int perSecond) {
            tokens = Math.min(perSecond, tokens + (now - refilled) * perSecond / 1e9);
            refilled = now;
        }
    }
}
