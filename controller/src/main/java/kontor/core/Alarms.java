package kontor.core;

import static kontor.core.Events.fields;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import kontor.journal.EventJson;
import kontor.mqtt.Json;
import kontor.mqtt.RetainedTopics;
import kontor.store.Database;
import kontor.store.SqlTime;
import kontor.store.Tx;
import kontor.time.Scheduler;

/**
 * Active alarms: raised (retained topic + event), acknowledged by a host, cleared when the cause
 * goes. One alarm per (type, device); its id is {@code type:device}. Each step is stored together
 * with its event in one transaction, so the alarms survive a restart exactly as journaled.
 */
public final class Alarms {

    /** An active alarm. */
    public record Alarm(String id, String type, String device, Instant raised, boolean acked, String ackedBy,
            Map<String, Object> detail) { }

    private final Events events;
    private final RetainedTopics retained;
    private final Topics topics;
    private final Scheduler clock;
    private final Database db;
    private final Map<String, Alarm> active = new LinkedHashMap<>();

    public Alarms(Database db, Events events, RetainedTopics retained, Topics topics, Scheduler clock) {
        this.db = db;
        this.events = events;
        this.retained = retained;
        this.topics = topics;
        this.clock = clock;
    }

    public static String id(String type, String device) {
        return type + ":" + device;
    }

    /** Loads the alarms active when the gateway stopped and publishes them again. */
    public void restore() {
        db.read(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "SELECT id, type, device, raised, acked, acked_by, detail FROM alarms ORDER BY raised");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    active.put(rs.getString("id"), new Alarm(rs.getString("id"), rs.getString("type"), rs.getString("device"),
                            SqlTime.get(rs, "raised"), rs.getBoolean("acked"), rs.getString("acked_by"),
                            EventJson.readFields(rs.getString("detail"))));
                }
            }
            return null;
        });
        active.values().forEach(this::publish);
    }

    /** Raises the alarm unless it is already active. */
    public void raise(String type, String device, Map<String, Object> detail) {
        String id = id(type, device);
        if (active.containsKey(id)) {
            return;
        }
        Map<String, Object> shown = new LinkedHashMap<>(detail);
        shown.replaceAll((k, v) -> v instanceof Instant t ? events.time(t) : v);
        Alarm alarm = new Alarm(id, type, device, clock.now(), false, null, Map.copyOf(shown));
        Map<String, Object> f = fields("alarm", id, "alarm_type", type);
        f.putAll(shown);
        db.inTransaction(tx -> {
            events.emit(tx, "alarm.raised", device, f);
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "INSERT INTO alarms (id, type, device, raised, acked, acked_by, detail) VALUES (?, ?, ?, ?, FALSE, NULL, ?)")) {
                p.setString(1, id);
                p.setString(2, type);
                p.setString(3, device);
                SqlTime.set(p, 4, alarm.raised());
                p.setString(5, Json.MAPPER.writeValueAsString(shown));
                p.executeUpdate();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("alarm detail is not plain JSON", e);
            }
            return null;
        });
        active.put(id, alarm);
        publish(alarm);
    }

    /** Clears the alarm if it is active. */
    public void clear(String type, String device) {
        Alarm alarm = active.get(id(type, device));
        if (alarm == null) {
            return;
        }
        db.inTransaction(tx -> {
            events.emit(tx, "alarm.cleared", device, fields("alarm", alarm.id(), "alarm_type", type));
            delete(tx, alarm.id());
            return null;
        });
        active.remove(alarm.id());
        retained.clear(topics.alarm(alarm.id()));
    }

    /** Clears every active alarm that matches, e.g. those whose cause cannot outlive a restart. */
    public void clearAll(Predicate<Alarm> which) {
        for (Alarm a : active()) {
            if (which.test(a)) {
                clear(a.type(), a.device());
            }
        }
    }

    /** A host acknowledges an alarm; it stays active until its cause goes. Returns false if there is no such alarm. */
    public boolean ack(String id, String by) {
        Alarm alarm = active.get(id);
        if (alarm == null) {
            return false;
        }
        if (!alarm.acked()) {
            db.inTransaction(tx -> {
                events.emit(tx, "alarm.acked", alarm.device(), fields("alarm", id, "alarm_type", alarm.type(), "by", by));
                try (PreparedStatement p = tx.connection().prepareStatement("UPDATE alarms SET acked = TRUE, acked_by = ? WHERE id = ?")) {
                    p.setString(1, by);
                    p.setString(2, id);
                    p.executeUpdate();
                }
                return null;
            });
            Alarm acked = new Alarm(id, alarm.type(), alarm.device(), alarm.raised(), true, by, alarm.detail());
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
     * A retained alarm found on the broker that we do not hold (left from another run, say) is
     * stale: clear it so the retained topics tell the truth.
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

    private static void delete(Tx tx, String id) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement("DELETE FROM alarms WHERE id = ?")) {
            p.setString(1, id);
            p.executeUpdate();
        }
    }

    private void publish(Alarm a) {
        Map<String, Object> body = fields("id", a.id(), "type", a.type(), "device", a.device(),
                "raised", events.time(a.raised()), "acked", a.acked(), "acked_by", a.ackedBy());
        body.putAll(a.detail());
        retained.put(topics.alarm(a.id()), Json.bytes(body));
    }
}
