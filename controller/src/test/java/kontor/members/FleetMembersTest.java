package kontor.members;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import kontor.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members the fleet directory issues: found by the fleet-keyed hash, versioned, revocation final. */
class FleetMembersTest {
    private static final String CARD = "04A1B2C3D4E601";
    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    Path dir;
    private Database db;
    private Members members;
    private CardHasher fleet;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        fleet = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("fleet.key")));
        members = new Members(db, new CardHasher(SiteSecret.loadOrCreate(dir.resolve("site.secret"))), fleet, () -> NOW);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private FleetMember anna(long version, boolean revoked) {
        return new FleetMember("anna", version, fleet.hash(CARD), "E601", Role.VISITOR, false, null, revoked);
    }

    private FleetChange apply(FleetMember m, boolean here) {
        return db.inTransaction(tx -> members.applyFleet(tx, m, here));
    }

    @Test
    void a_fleet_card_opens_until_the_owner_revokes_it_and_then_for_good() {
        FleetChange added = apply(anna(1, false), true);
        assertThat(added.kind()).isEqualTo(FleetChange.Kind.ADDED);
        assertThat(members.check(CARD, NOW)).isInstanceOf(AccessCheck.Granted.class);

        assertThat(apply(anna(1, false), true).kind()).as("a repeat").isEqualTo(FleetChange.Kind.UNCHANGED);
        assertThat(apply(anna(2, true), true).kind()).isEqualTo(FleetChange.Kind.REVOKED);
        assertThat(members.check(CARD, NOW)).isEqualTo(new AccessCheck.Denied(AccessCheck.REVOKED, members.byId(added.member()).orElseThrow()));
        assertThat(apply(anna(3, false), true).kind()).as("revocation is final").isEqualTo(FleetChange.Kind.UNCHANGED);
        assertThat(members.check(CARD, NOW)).isInstanceOf(AccessCheck.Denied.class);
    }

    @Test
    void an_older_version_changes_nothing_and_a_card_not_for_this_site_opens_nothing_here() {
        apply(anna(5, false), true);
        assertThat(apply(anna(4, true), true).kind()).isEqualTo(FleetChange.Kind.UNCHANGED);
        assertThat(members.check(CARD, NOW)).isInstanceOf(AccessCheck.Granted.class);
        assertThat(apply(anna(6, false), false).kind()).isEqualTo(FleetChange.Kind.NOT_HERE);
        assertThat(members.check(CARD, NOW)).isEqualTo(new AccessCheck.Denied(AccessCheck.UNKNOWN_CARD, null));
        assertThat(apply(anna(7, false), true).kind()).isEqualTo(FleetChange.Kind.UPDATED);
        assertThat(members.check(CARD, NOW)).isInstanceOf(AccessCheck.Granted.class);
    }

    @Test
    void a_card_the_site_enrolled_itself_stays_the_sites() {
        Member own = members.enroll(CARD, Role.HOST, false, null);
        // The site cannot see that the fleet's hash is of the same card (it has no raw card): the entry applies,
        // but at the door the site's own enrolment is found first and decides.
        apply(anna(1, false), true);
        assertThat(members.check(CARD, NOW)).isEqualTo(new AccessCheck.Granted(own));
    }

    @Test
    void a_card_the_fleet_issued_cannot_be_enrolled_again_here() {
        apply(anna(1, false), true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> members.enroll(CARD, Role.VISITOR, false, null))
                .isInstanceOf(MemberException.class).hasMessageContaining("already enrolled");
    }
}
