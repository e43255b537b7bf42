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
     * The topic filters a read-only monitor may read, below the root: the site's states, events, alarms, the gateway's
     * status, the devices' availability and the fleet version applied, as docs/security.md lists them. Not commands,
     * their replies or simulator input: those carry raw card numbers. An allow-list, so that a new topic stays hidden
     * from monitors until it is added here. The one list both broker configurations are made from (the demo broker's
     * rights and the generated Mosquitto ACL); a monitor also reads the Home Assistant discovery prefix.
     */
    public static final java.util.List<String> MONITOR_READS = java.util.List.of(
            "gateway/status", "devices/+/availability", "devices/+/state", "alarms/+", "events",
            "lockers/+/state", "rooms/+/state", "loans/+/state", "occupancy", "fleet/applied");

    /** {@link #MONITOR_READS} under this root. */
    public java.util.List<String> monitorReads() {
        return MONITOR_READS.stream().map(f -> root + "/" + f).toList();
    }

    /** Whether {@code topic} is one of {@link #monitorReads()}. */
    public boolean monitorMayRead(String topic) {
        return monitorReads().stream().anyMatch(f -> matches(f, topic));
    }

    /** MQTT topic filter matching: {@code +} is one level, a trailing {@code #} the parent and everything below. */
    public static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
