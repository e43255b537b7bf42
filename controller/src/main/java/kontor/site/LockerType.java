package kontor.site;

/** Day lockers are claimed by a tap and released at closing; rental lockers are assigned by a host until a date. */
public enum LockerType {
    DAY, RENTAL;

    /** The word used in the site file. */
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
