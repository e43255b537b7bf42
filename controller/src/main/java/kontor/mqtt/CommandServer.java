package kontor.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command mechanism (docs/reference.md, "Commands"): requests on {@code root/cmd/{command}}, replies to the MQTT 5
 * response topic (correlation data echoed) or else to {@code root/cmd/{command}/reply}; a repeated
 * (command, id) gets its first reply again without running the handler. Everything but the MQTT hand-off
 * runs on the given executor, so handlers and the {@link CommandLog} live on the site thread.
 *
 * <p>What is refused before anything runs (docs/security.md):
 * <ul>
 *   <li>a response topic outside {@code root/reply/…}: the gateway may write where its clients may not (events,
 *       states, discovery, other commands), so it replies only there; the request is dropped, unanswered, and
 *       logged (rate-limited);</li>
 *   <li>a retained command: it would run again for every new subscriber and after every reconnect. It is not run,
 *       gets {@code bad_request}, and its retained copy is cleared from the broker;</li>
 *   <li>a field the command does not declare ({@link #register}): a misspelt optional field must not pass as
 *       absent. {@code bad_request} names it.</li>
 * </ul>
 */
public final class CommandServer {
    private static final Logger log = LoggerFactory.getLogger(CommandServer.class);
    static final int MAX_PAYLOAD_BYTES = 16 * 1024;
    static final int MAX_ID_LENGTH = 128;
    private static final Pattern COMMAND_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private final MqttPort mqtt;
    private final String root;
    private final Executor executor;
    private final CommandLog commandLog;
    private final CommandAdmission admission;
    private final Map<String, Registered> handlers = new ConcurrentHashMap<>();
    private final Refusals refusals = new Refusals(log);

    /** A command's handler, the fields it takes besides {@code id}, and whether its replies are remembered. */
    private record Registered(CommandHandler handler, AsyncCommandHandler async, Set<String> fields, boolean remembered) { }

    /**
     * Carries out a command whose work finishes off the site thread ({@code calendars.sync} waits for the
     * calendar servers): it starts the work on the site thread and returns the future reply's {@code result}.
     */
    @FunctionalInterface
    public interface AsyncCommandHandler {
        CompletableFuture<JsonNode> handle(CommandRequest request) throws CommandException;
    }

    public CommandServer(MqttPort mqtt, String root, Executor executor, CommandLog commandLog) {
        this(mqtt, root, executor, commandLog, CommandAdmission.Limits.DEFAULT);
    }

    /** The same, with other bounds on the commands that may wait for the site thread (tests). */
    public CommandServer(MqttPort mqtt, String root, Executor executor, CommandLog commandLog,
                         CommandAdmission.Limits limits) {
        this.admission = new CommandAdmission(limits, root, System::nanoTime);
        this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
        if (root == null || root.isEmpty() || root.endsWith("/") || root.contains("+") || root.contains("#")) {
            throw new IllegalArgumentException("command root must be a topic without wildcards or trailing '/'");
        }
        this.root = root;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.commandLog = Objects.requireNonNull(commandLog, "commandLog");
    }

    /**
     * Adds a command, e.g. {@code card.enroll}, taking {@code id} and the given {@code fields}: a request with any
     * other field gets {@code bad_request} naming it, before the handler runs.
     */
    public void register(String command, CommandHandler handler, String... fields) {
        add(command, new Registered(Objects.requireNonNull(handler, "handler"), null, withBy(fields), true));
    }

    /**
     * Adds a command that changes nothing and may answer a lot ({@code events.replay}): its replies are not
     * remembered, so a repeated id is simply answered again from what is there now.
     */
    public void registerQuery(String command, CommandHandler handler, String... fields) {
        add(command, new Registered(Objects.requireNonNull(handler, "handler"), null, withBy(fields), false));
    }

    /**
     * Adds a command that replies once work off the site thread is done. Like a query its replies are not
     * remembered: such a command must be harmless to run twice.
     */
    public void registerAsync(String command, AsyncCommandHandler handler, String... fields) {
        add(command, new Registered(null, Objects.requireNonNull(handler, "handler"), withBy(fields), false));
    }

    /** Every command also takes {@code by}: who asked, for the journal (the console sets it to the host). */
    private static Set<String> withBy(String... fields) {
        Set<String> all = new java.util.HashSet<>(Set.of(fields));
        all.add("by");
        return Set.copyOf(all);
    }

    private void add(String command, Registered registered) {
        if (command == null || !COMMAND_NAME.matcher(command).matches()) {
            throw new IllegalArgumentException("command names are lower-case words joined by dots, not '" + command + "'");
        }
        if (registered.fields().contains("id")) {
            throw new IllegalArgumentException("every command takes 'id'; do not list it");
        }
        if (handlers.putIfAbsent(command, registered) != null) {
            throw new IllegalArgumentException("command " + command + " is registered twice");
        }
    }

    public void start() {
        mqtt.subscribeRequests(root + "/cmd/+", 1, this::received);
    }

    /** Where the gateway may reply to an MQTT 5 response topic: {@code root/reply/} and at least one more level. */
    public static boolean isReplyTopic(String root, String responseTopic) {
        String prefix = root + "/reply/";
        return responseTopic.length() > prefix.length() && responseTopic.startsWith(prefix)
                && responseTopic.indexOf('+') < 0 && responseTopic.indexOf('#') < 0 && responseTopic.indexOf('\0') < 0;
    }

    private void received(Message m) {
        String prefix = root + "/cmd/";
        if (!m.topic().startsWith(prefix)) {
            return;
        }
        String command = m.topic().substring(prefix.length());
        if (command.isEmpty() || command.contains("/")) {
            return; // e.g. our own replies on …/cmd/X/reply
        }
        if (!admitted(command, m)) {
            return;
        }
        CommandAdmission.Ticket ticket;
        try {
            ticket = admission.admit(m);
        } catch (CommandException busy) {
            // Answered here, on the MQTT client's thread: a flood must not reach the site thread at all.
            log.debug("command {} refused: {}", command, busy.getMessage());
            send(command, m, error(idOf(m), busy.code(), busy.getMessage()));
            return;
        }
        try {
            // The ticket is given back once the reply is sent (or cannot be), not when the site thread is done
            // with the command: a reply still being kept (StoredCommandLog) or an asynchronous command still
            // running counts against the client's bound, so a flood cannot pile them up behind the site thread.
            executor.execute(() -> handle(command, m).whenComplete((sent, failure) -> ticket.done()));
        } catch (RejectedExecutionException e) {
            ticket.done();
            log.warn("command {} dropped: the gateway is shutting down", command);
        }
    }

    /**
     * The checks on a message before it is handed to the site thread: its response topic, and its RETAIN flag.
     * A retained command is answered with {@code bad_request} at once, here, and its retained copy cleared.
     */
    private boolean admitted(String command, Message m) {
        if (m.responseTopic() != null && !isReplyTopic(root, m.responseTopic())) {
            refusals.refused("response topic " + truncate(m.responseTopic()), "Refused command " + truncate(command)
                    + ": its response topic '" + truncate(m.responseTopic()) + "' is not under " + root
                    + "/reply/; no reply was sent and nothing was done");
            return false;
        }
        if (m.retained()) {
            refusals.refused("retained " + m.topic(), "Refused a retained command on " + m.topic()
                    + ": commands must not be retained; the retained copy is cleared and nothing was done");
            if (m.payload().length > 0) {
                mqtt.publish(m.topic(), new byte[0], 1, true).whenComplete((ok, e) -> {
                    if (e != null) {
                        log.debug("retained command on {} not cleared: {}", m.topic(), e.toString());
                    }
                });
                send(command, m, error(null, CommandException.BAD_REQUEST,
                        "a command must not be published retained (the broker would deliver it again); nothing was done"));
            }
            return false;
        }
        return true;
    }

    /** The request's id for a refusal given before it is read properly: null unless it is plainly there. */
    private static String idOf(Message m) {
        if (m.payload().length > MAX_PAYLOAD_BYTES) {
            return null;
        }
        try {
            JsonNode id = Json.tree(m.payload()).get("id");
            return id != null && id.isTextual() && id.textValue().length() <= MAX_ID_LENGTH ? id.textValue() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void send(String command, Message m, byte[] reply) {
        String replyTopic = m.responseTopic() != null ? m.responseTopic() : root + "/cmd/" + command + "/reply";
        mqtt.publishReply(replyTopic, reply, m.correlationData()).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("reply to command {} not sent: {}", command, failure.toString());
            }
        });
    }

    /**
     * The same command, from another transport (the host console): the same validation, handlers,
     * idempotency by {@code id} and replies as over MQTT, run on the same executor (the site thread).
     * The future completes with the reply that MQTT would have sent; it never runs the handler on the
     * caller's thread.
     */
    public CompletableFuture<byte[]> call(String command, byte[] payload) {
        return call(command, payload, true);
    }

    /**
     * As {@link #call(String, byte[])}, for a command that changes nothing (a page of the console showing a list):
     * its reply is neither looked up nor kept in the command log. A page refreshed twice a second would otherwise
     * write a reply row per refresh, on the site thread, kept for days.
     */
    public CompletableFuture<byte[]> read(String command, byte[] payload) {
        return call(command, payload, false);
    }

    private CompletableFuture<byte[]> call(String command, byte[] payload, boolean remember) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    replyFor(command, payload, remember).whenComplete((bytes, failure) -> reply.complete(bytes != null ? bytes
                            : error(null, CommandException.INTERNAL, "the gateway failed to carry out the command; see its log")));
                } catch (RuntimeException e) {
                    log.error("command {} failed outside its handler", command, e);
                    reply.complete(error(null, CommandException.INTERNAL, "the gateway failed to carry out the command; see its log"));
                }
            });
        } catch (RejectedExecutionException e) {
            reply.complete(error(null, CommandException.UNAVAILABLE, "the gateway is shutting down"));
        }
        return reply;
    }

    /** The names of the commands there are, sorted. */
    public List<String> commands() {
        return List.copyOf(new TreeSet<>(handlers.keySet()));
    }

    /** Answers the command; the future completes once the reply is handed to MQTT, or could not be made. */
    private CompletableFuture<Void> handle(String command, Message m) {
        try {
            return replyFor(command, m.payload(), true).handle((reply, failure) -> {
                if (reply != null) {
                    send(command, m, reply);
                } else {
                    log.error("command {} failed outside its handler", command, failure);
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.error("command {} failed outside its handler", command, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<byte[]> replyFor(String command, byte[] payload, boolean remember) {
        Object reply = replyNow(command, payload, remember);
        return reply instanceof byte[] bytes ? CompletableFuture.completedFuture(bytes) : castFuture(reply);
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<byte[]> castFuture(Object reply) {
        return (CompletableFuture<byte[]>) reply;
    }

    /** The reply (bytes), or for an asynchronous command its future reply. */
    private Object replyNow(String command, byte[] payload, boolean remember) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return error(null, CommandException.BAD_REQUEST,
                    "payload is " + payload.length + " bytes; at most " + MAX_PAYLOAD_BYTES + " are accepted");
        }
        JsonNode tree;
        try {
            tree = Json.tree(payload);
        } catch (IllegalArgumentException e) {
            return error(null, CommandException.BAD_REQUEST, "payload is not valid JSON: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode body)) {
            return error(null, CommandException.BAD_REQUEST, "payload must be a JSON object");
        }
        JsonNode idNode = body.get("id");
        if (idNode == null || idNode.isNull()) {
            return error(null, CommandException.BAD_REQUEST, "field 'id' is required");
        }
        if (!idNode.isTextual()) {
            return error(null, CommandException.BAD_REQUEST, "field 'id' must be a string");
        }
        String id = idNode.textValue();
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return error(null, CommandException.BAD_REQUEST, "field 'id' must have 1 to " + MAX_ID_LENGTH + " characters");
        }
        Registered registered = handlers.get(command);
        if (registered == null) {
            return error(id, CommandException.UNKNOWN_COMMAND, "unknown command '" + truncate(command)
                    + "'; the commands are: " + String.join(", ", commands()));
        }
        String unknown = unknownField(body, registered.fields());
        if (unknown != null) {
            return error(id, CommandException.BAD_REQUEST, "unknown field '" + truncate(unknown) + "'; " + command
                    + (registered.fields().isEmpty() ? " takes only 'id'"
                            : " takes 'id' and " + String.join(", ", new TreeSet<>(registered.fields()))));
        }
        if (registered.async() != null) {
            return runAsync(registered.async(), new CommandRequest(command, id, body));
        }
        if (!registered.remembered() || !remember) {
            return run(registered.handler(), new CommandRequest(command, id, body));
        }
        Optional<byte[]> earlier = commandLog.find(command, id);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        byte[] reply = run(registered.handler(), new CommandRequest(command, id, body));
        // Sent once kept, so that a repeat after a restart gets it too; the site thread goes on meanwhile.
        return commandLog.remember(command, id, reply).thenApply(kept -> reply);
    }

    /** The first field of {@code body} that is neither {@code id} nor one of {@code fields}, or null. */
    private static String unknownField(ObjectNode body, Set<String> fields) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("id") && !fields.contains(name)) {
                return name;
            }
        }
        return null;
    }

    private byte[] run(CommandHandler handler, CommandRequest request) {
        try {
            JsonNode result = handler.handle(request);
            ObjectNode reply = Json.object();
            reply.put("id", request.id());
            reply.put("ok", true);
            reply.set("result", result == null ? Json.object() : result);
            return Json.bytes(reply);
        } catch (CommandException e) {
            return error(request.id(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("command {} failed", request.command(), e);
            return error(request.id(), CommandException.INTERNAL, "the gateway failed to carry out the command; see its log");
        }
    }

    private CompletableFuture<byte[]> runAsync(AsyncCommandHandler handler, CommandRequest request) {
        CompletableFuture<JsonNode> result;
        try {
            result = handler.handle(request);
        } catch (CommandException e) {
            return CompletableFuture.completedFuture(error(request.id(), e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            log.error("command {} failed", request.command(), e);
            return CompletableFuture.completedFuture(error(request.id(), CommandException.INTERNAL,
                    "the gateway failed to carry out the command; see its log"));
        }
        return result.handle((node, failure) -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : failure;
            if (cause instanceof CommandException e) {
                return error(request.id(), e.code(), e.getMessage());
            }
            if (cause != null) {
                log.error("command {} failed", request.command(), cause);
                return error(request.id(), CommandException.INTERNAL, "the gateway failed to carry out the command; see its log");
            }
            ObjectNode reply = Json.object();
            reply.put("id", request.id());
            reply.put("ok", true);
            reply.set("result", node == null ? Json.object() : node);
            return Json.bytes(reply);
        });
    }

    private static byte[] error(String id, String code, String message) {
        ObjectNode reply = Json.object();
        reply.put("id", id);
        reply.put("ok", false);
        ObjectNode error = reply.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return Json.bytes(reply);
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
