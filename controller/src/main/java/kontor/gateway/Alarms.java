package kontor.gateway;

import static kontor.gateway.Events.fields;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kontor.mqtt.Json;
import kontor.mqtt.RetainedTopics;
import kontor.time.Scheduler;

/**
 * Active alarms: raised (retained topic + event), acknowledged by a host, cleared when the cause
 * goes. One alarm per (type, device); its id is {@code type:device}.
 */
public final class Alarms {

    /** An active alarm. */
    public record Alarm(String id, String type, String device, Instant raised, boolean acked, Map<String, Object> detail) { }

    private final Events events;
    private final RetainedTopics retained;
    private final Topics topics;
    private final Scheduler clock;
    private final Map<String, Alarm> active = new LinkedHashMap<>();

    public Alarms(Events events, RetainedTopics retained, Topics topics, Scheduler clock) {
        this.events = events;
        this.retained = retained;
        this.topics = topics;
        this.clock = clock;
    }

    public static String id(String type, String device) {
        return type + ":" + device;
    }

    /** Raises the alarm unless it is already active. */
    public void raise(String type, String device, Map<String, Object> detail) {
        String id = id(type, device);
        if (active.containsKey(id)) {
            return;
        }
        Alarm alarm = new Alarm(id, type, device, clock.now(), false, Map.copyOf(detail));
        Map<String, Object> f = fields("alarm", id, "alarm_type", type);
        f.putAll(detail);
        events.emit("alarm.raised", device, f);
        active.put(id, alarm);
        publish(alarm);
    }

    /** Clears the alarm if it is active. */
    public void clear(String type, String device) {
        Alarm alarm = active.remove(id(type, device));
        if (alarm != null) {
            events.emit("alarm.cleared", device, fields("alarm", alarm.id(), "alarm_type", type));
            retained.clear(topics.alarm(alarm.id()));
        }
    }

    /** A host acknowledges an alarm; it stays active until its cause goes. */
    public boolean ack(String id, String by) {
        Alarm alarm = active.get(id);
        if (alarm == null) {
            return false;
        }
        if (!alarm.acked()) {
            events.emit("alarm.acked", alarm.device(), fields("alarm", id, "alarm_type", alarm.type(), "by", by));
            Alarm acked = new Alarm(id, alarm.type(), alarm.device(), alarm.raised(), true, alarm.detail());
            active.put(id, acked);
            publish(acked);
        }
        return true;
    }

    public boolean isActive(String type, String device) {
        return active.containsKey(id(type, device));
    }

    public List<Alarm> active() {
        return new ArrayList<>(active.values());
    }

    /**
     * A retained alarm found on the broker (after a restart, say) that we no longer hold is stale:
     * clear it so the retained topics tell the truth.
     */
    public void reconcile(String topic, byte[] payload) {
        String prefix = topics.alarm("");
        if (payload.length == 0 || !topic.startsWith(prefix)) {
            return;
        }
        if (!active.containsKey(topic.substring(prefix.length()))) {
            retained.clear(topic);
        }
    }

    private void publish(Alarm a) {
        Map<String, Object> body = fields("id", a.id(), "type", a.type(), "device", a.device(),
                "raised", events.time(a.raised()), "acked", a.acked());
        a.detail().forEach((k, v) -> body.put(k, v instanceof Instant t ? events.time(t) : v));
        retained.put(topics.alarm(a.id()), Json.bytes(body));
    }

}
