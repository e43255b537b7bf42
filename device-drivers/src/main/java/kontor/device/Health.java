package kontor.device;

/** A device's health: a status and, when it is not {@link Status#ONLINE}, a short reason. */
public record Health(Status status, String detail) {

    public enum Status { ONLINE, OFFLINE, UNKNOWN }

    public static final Health ONLINE = new Health(Status.ONLINE, "");

    public static Health offline(String detail) {
        return new Health(Status.OFFLINE, detail);
    }

    public boolean isOnline() {
        return status == Status.ONLINE;
    }
}
