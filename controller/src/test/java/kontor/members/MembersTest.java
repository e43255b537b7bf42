package kontor.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import kontor.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembersTest {
    private static final String CARD = "04A1B2C3D4E501";
    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    @TempDir
    Path dir;
    private Database db;
    private Members members;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"));
        members = new Members(db, new CardHasher(SiteSecret.loadOrCreate(dir.resolve("secret"))), () -> NOW);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void an_enrolled_card_is_found_whatever_its_separators_and_case() {
        Member member = members.enroll(CARD, Role.VISITOR, true, null);

        assertThat(member.id()).matches("m-[a-z2-7]{10}");
        assertThat(member.role()).isEqualTo(Role.VISITOR);
        assertThat(member.accessible()).isTrue();
        assertThat(member.enrolled()).isEqualTo(NOW);
        assertThat(members.byCard("04:a1:b2:c3:d4:e5:01")).contains(member);
        assertThat(members.byCard("04-A1-B2 C3-D4-E5-01")).contains(member);
        assertThat(members.byId(member.id())).contains(member);
        assertThat(members.check("04a1b2c3d4e501", NOW)).isEqualTo(new AccessCheck.Granted(member));
        assertThat(members.maskedCards(member.id())).containsExactly("…E501");
    }

    @Test
    void a_card_that_was_let_in_before_is_refused_at_once_after_it_is_revoked() {
        Member member = members.enroll(CARD, Role.VISITOR, false, null);
        assertThat(members.check(CARD, NOW)).isEqualTo(new AccessCheck.Granted(member));
        assertThat(members.check(CARD, NOW)).as("the second tap, without a database read").isInstanceOf(AccessCheck.Granted.class);

        members.revoke(CARD);

        assertThat(members.check(CARD, NOW)).isInstanceOf(AccessCheck.Denied.class)
                .extracting(c -> ((AccessCheck.Denied) c).reason()).isEqualTo(AccessCheck.REVOKED);
    }

    @Test
    void a_revocation_rolled_back_leaves_the_card_working() {
        Member member = members.enroll(CARD, Role.VISITOR, false, null);
        assertThat(members.check(CARD, NOW)).isEqualTo(new AccessCheck.Granted(member));

        assertThatThrownBy(() -> db.inTransaction(tx -> {
            members.revoke(tx, CARD);
            throw new IllegalStateException("the command failed after the revocation");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(members.check(CARD, NOW)).isEqualTo(new AccessCheck.Granted(member));
    }

    @Test
    void member_ids_are_random_not_derived_from_the_card() {
        Member first = members.enroll(CARD, Role.VISITOR, false, null);
        Database other = Database.open(dir.resolve("other"));
        try {
            Members elsewhere = new Members(other, new CardHasher(SiteSecret.loadOrCreate(dir.resolve("secret"))), () -> NOW);
            assertThat(elsewhere.enroll(CARD, Role.VISITOR, false, null).id()).isNotEqualTo(first.id());
        } finally {
            other.close();
        }
    }

    @Test
    void the_database_holds_no_raw_card() {
        members.enroll(CARD, Role.HOST, false, null);
        List<String> cells = new ArrayList<>();
        db.read(tx -> {
            for (String table : List.of("members", "cards")) {
                try (Statement s = tx.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                            cells.add(String.valueOf(rs.getObject(c)));
                        }
                    }
                }
            }
            return null;
        });
        assertThat(cells).noneMatch(cell -> cell.toUpperCase().contains("04A1B2C3"));
        assertThat(cells).contains("E501");
    }

    @Test
    void a_card_enrolled_twice_is_a_conflict_and_changes_nothing() {
        Member member = members.enroll(CARD, Role.VISITOR, false, null);
        assertThatThrownBy(() -> members.enroll("04:A1:B2:C3:D4:E5:01", Role.ADMIN, true, null))
                .isInstanceOf(MemberException.class)
                .hasMessageContaining("…E501")
                .hasMessageNotContaining(CARD)
                .extracting(e -> ((MemberException) e).code()).isEqualTo("conflict");
        assertThat(members.byCard(CARD)).contains(member);
    }

    @Test
    void a_revoked_card_is_denied_and_cannot_be_enrolled_again() {
        members.enroll(CARD, Role.VISITOR, false, null);
        Member revoked = members.revoke(CARD);

        assertThat(revoked.revoked()).isTrue();
        assertThat(members.check(CARD, NOW)).isEqualTo(new AccessCheck.Denied("revoked", revoked));
        assertThatThrownBy(() -> members.enroll(CARD, Role.VISITOR, false, null))
                .isInstanceOf(MemberException.class)
                .hasMessageContaining("revoked")
                .extracting(e -> ((MemberException) e).code()).isEqualTo("conflict");
        assertThat(members.revoke(CARD).revoked()).as("revoking again is harmless").isTrue();
    }

    @Test
    void revoking_an_unknown_card_is_not_found() {
        assertThatThrownBy(() -> members.revoke("DEADBEEF"))
                .isInstanceOf(MemberException.class)
                .extracting(e -> ((MemberException) e).code()).isEqualTo("not_found");
    }

    @Test
    void a_member_expires_at_valid_until() {
        Instant until = NOW.plus(Duration.ofDays(30));
        Member member = members.enroll(CARD, Role.VISITOR, false, until);

        assertThat(member.validUntil()).isEqualTo(until);
        assertThat(members.check(CARD, until.minusMillis(1))).isInstanceOf(AccessCheck.Granted.class);
        assertThat(members.check(CARD, until)).isEqualTo(new AccessCheck.Denied("expired", member));
    }

    @Test
    void an_unknown_or_malformed_card_is_denied_as_unknown() {
        assertThat(members.check("04FFFFFFFFFFFF", NOW)).isEqualTo(new AccessCheck.Denied("unknown_card", null));
        assertThat(members.check("not a card", NOW)).isEqualTo(new AccessCheck.Denied("unknown_card", null));
        assertThat(members.byCard(null)).isEmpty();
    }

    @Test
    void bad_enrolments_are_bad_requests_and_store_nothing() {
        assertThat(code(() -> members.enroll("xyz!", Role.VISITOR, false, null))).isEqualTo("bad_request");
        assertThat(code(() -> members.enroll(CARD, null, false, null))).isEqualTo("bad_request");
        assertThat(code(() -> members.enroll(CARD, Role.VISITOR, false, NOW))).isEqualTo("bad_request");
        assertThat(members.byCard(CARD)).isEmpty();
    }

    @Test
    void enrolments_in_a_rolled_back_transaction_leave_nothing() {
        assertThatThrownBy(() -> db.inTransaction(tx -> {
            members.enroll(tx, "01", Role.VISITOR, false, null);
            members.enroll(tx, "01", Role.VISITOR, false, null); // the import's duplicate line
            return null;
        })).isInstanceOf(MemberException.class);
        assertThat(members.byCard("01")).isEmpty();
    }

    @Test
    void roles_have_lower_case_wire_names() {
        assertThat(Role.HOST.wireName()).isEqualTo("host");
        assertThat(Role.fromWireName("admin")).isEqualTo(Role.ADMIN);
        assertThatThrownBy(() -> Role.fromWireName("ADMIN")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String code(Runnable action) {
        try {
            action.run();
        } catch (MemberException e) {
            return e.code();
        }
        throw new AssertionError("no MemberException");
    }
}
