package kontor.members;

/** What applying one fleet directory entry did here, and to which local member (null when none). */
public record FleetChange(String member, Kind kind) {
    public enum Kind {
        /** A new member here. */
        ADDED,
        /** Role, accessibility, validity or card changed. */
        UPDATED,
        /** The owner revoked the card: final here as everywhere. */
        REVOKED,
        /** The entry no longer names this site: the card opens nothing here. */
        NOT_HERE,
        /** An older or repeated version, or one about a member never here: nothing changed. */
        UNCHANGED,
        /** The card is already a member of this site's own: the site's enrolment stands, the entry is not applied. */
        CONFLICT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
