package kontor.gateway;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
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
        server.register("alarm.ack", this::ack);
        server.register("events.replay", this::replay);
    }

    private JsonNode ack(CommandRequest r) throws CommandException {
        String alarm = r.requireText("alarm");
        String by = r.optionalText("by").orElse("operator");
        if (!alarms.ack(alarm, by)) {
            throw new CommandException("not_found", "no active alarm '" + alarm + "'");
        }
        return null;
    }

    private JsonNode replay(CommandRequest r) throws CommandException {
        long from = r.requirePositiveLong("from_seq");
        long to = r.optionalLong("to_seq").orElse(from + EventReplay.MAX_EVENTS - 1);
        if (to < from) {
            throw new CommandException("bad_request", "field 'to_seq' must not be less than 'from_seq'");
        }
        if (to - from + 1 > EventReplay.MAX_EVENTS) {
            throw new CommandException("bad_request", "at most " + EventReplay.MAX_EVENTS + " events per replay");
        }
        return Json.node(fields("count", replay.replay(from, to)));
    }
}
