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
}
