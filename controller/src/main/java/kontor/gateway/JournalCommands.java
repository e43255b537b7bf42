package kontor.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kontor.core.Alarms;
import kontor.journal.EventReplay;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;

/** {@code alarm.ack} and {@code events.replay}. */
public final class JournalCommands {
    private final Alarms alarms;
    private final EventReplay replay;

    public JournalCommands(Alarms alarms, EventReplay replay) {
        this.alarms = alarms;
        this.replay = replay;
    }

    public void registerOn(CommandServer server) {
        server.register("alarm.ack", this::ack, "alarm", "by");
        // Not remembered: it changes nothing, and a page of events is too big to keep for every request id.
        server.registerQuery("events.replay", this::replay, "from_seq", "to_seq", "limit");
    }

    private JsonNode ack(CommandRequest r) throws CommandException {
        String alarm = r.requireText("alarm");
        String by = r.optionalText("by").orElse("operator");
        if (!alarms.ack(alarm, by)) {
            throw new CommandException("not_found", "no active alarm '" + alarm + "'");
        }
        return null;
    }

    /** A page of the journal in the reply itself: to the requester only, never on the live events topic. */
    private JsonNode replay(CommandRequest r) throws CommandException {
        long from = r.requirePositiveLong("from_seq");
        long to = r.optionalLong("to_seq").orElse(Long.MAX_VALUE);
        if (to < from) {
            throw CommandException.badRequest("field 'to_seq' must not be less than 'from_seq'");
        }
        long limit = r.optionalLong("limit").orElse((long) EventReplay.MAX_EVENTS);
        if (limit < 1 || limit > EventReplay.MAX_EVENTS) {
            throw CommandException.badRequest("field 'limit' must be 1 to " + EventReplay.MAX_EVENTS);
        }
        EventReplay.Page page = replay.page(from, to, (int) limit);
        ObjectNode result = Json.object();
        result.put("count", page.events().size());
        ArrayNode events = result.putArray("events");
        page.events().forEach(e -> events.add(Json.tree(e)));
        if (page.nextFromSeq() == null) {
            result.putNull("next_from_seq");
        } else {
            result.put("next_from_seq", page.nextFromSeq());
        }
        result.put("last_seq", page.lastSeq());
        return result;
    }
}
