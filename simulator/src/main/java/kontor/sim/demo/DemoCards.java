package kontor.sim.demo;

import kontor.members.Members;
import kontor.members.Role;

/** The demo cards of INTERFACES.md §2 (the raw identifiers a reader reports), enrolled on a data directory's first start. */
public final class DemoCards {
    public static final String VISITOR = "04A1B2C3D4E501";
    public static final String ACCESSIBLE_VISITOR = "04A1B2C3D4E502";
    public static final String HOST = "04A1B2C3D4E503";
    public static final String REVOKED = "04A1B2C3D4E5FF";

    private DemoCards() { }

    static void enrol(Members members) {
        if (members.byCard(VISITOR).isPresent()) {
            return;
        }
        members.enroll(VISITOR, Role.VISITOR, false, null);
        members.enroll(ACCESSIBLE_VISITOR, Role.VISITOR, true, null);
        members.enroll(HOST, Role.HOST, false, null);
        members.enroll(REVOKED, Role.VISITOR, false, null);
        members.revoke(REVOKED);
    }
}
