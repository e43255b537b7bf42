package kontor.core;

/** Every MQTT topic name of docs/reference.md, in one place. {@code root} is e.g. {@code kontor/demo}. */
public record Topics(String root) {

    public static Topics of(String topicRoot, String siteId) {
        return new Topics(topicRoot + "/" + siteId);
    }

    public String gatewayStatus() {
        return root + "/gateway/status";
    }

    public String availability(String device) {
        return root + "/devices/" + device + "/availability";
    }

    public String deviceState(String device) {
        return root + "/devices/" + device + "/state";
    }

    public String lockerState(String locker) {
        return root + "/lockers/" + locker + "/state";
    }

    public String loanState(String computer) {
        return root + "/loans/" + computer + "/state";
    }

    public String roomState(String room) {
        return root + "/rooms/" + room + "/state";
    }

    public String occupancy() {
        return root + "/occupancy";
    }

    public String alarm(String alarmId) {
        return root + "/alarms/" + alarmId;
    }

    public String events() {
        return root + "/events";
    }

    public String sim(String action) {
        return root + "/sim/" + action;
    }

    /** Where MQTT 5 command replies may go: below {@code root/reply/}, by convention {@code root/reply/<user>/…}. */
    public String replies() {
        return root + "/reply/#";
    }

    /**
     * The topic filters a read-only monitor may read, below the root: the site's state, events, alarms, the gateway's
     * status and the devices' availability, exactly what docs/operators.md lists. Not commands, their replies or
     * simulator input: those carry raw card numbers. The one list both broker configurations are made from.
     */
    public static final java.util.List<String> MONITOR_READS = java.util.List.of(
            "gateway/status", "devices/+/availability", "devices/+/state", "alarms/+", "events",
            "lockers/+/state", "rooms/+/state", "occupancy");

    /** {@link #MONITOR_READS} under this root. */
    public java.util.List<String> monitorReads() {
        return MONITOR_READS.stream().map(f -> root + "/" + f).toList();
    }
}
