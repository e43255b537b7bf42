package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import kontor.members.CardHasher;
import kontor.members.Members;
import kontor.members.Role;
import kontor.members.SiteSecret;
import kontor.site.SiteFiles;
import kontor.store.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardsImportTest {
    @TempDir
    Path dir;
    Path site;
    Path data;
    String nextYear = String.valueOf(LocalDate.now().getYear() + 1);

    @BeforeEach
    void site() throws Exception {
        site = dir.resolve("site.yaml");
        Files.writeString(site, SiteFiles.skeleton("test-site"));
        data = dir.resolve("data");
        SiteSecret.loadOrCreate(data.resolve("site.secret"));
    }

    private Cli importCsv(String csv) throws Exception {
        Path file = dir.resolve("cards.csv");
        Files.writeString(file, csv);
        return Cli.run("provision", "cards", "import", "--config", site.toString(), "--data", data.toString(), file.toString());
    }

    private <T> T withMembers(java.util.function.BiFunction<Database, Members, T> f) {
        try (Database db = Database.open(data)) {
            return f.apply(db, new Members(db, new CardHasher(SiteSecret.loadOrCreate(data.resolve("site.secret")))));
        }
    }

    private int memberCount() {
        return withMembers((db, m) -> db.read(tx -> {
            try (Statement s = tx.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM members")) {
                rs.next();
                return rs.getInt(1);
            }
        }));
    }

    @Test
    void a_good_file_enrols_every_card_with_its_role_end_and_opening_balance() throws Exception {
        Cli r = importCsv("""
                card,role,accessible,valid_until,opening_balance
                04A1B2C3D4E501,visitor,false,,10000
                04:a1:b2:c3:d4:e5:02,visitor,yes,%s-06-30,
                "04A1B2C3D4E503",host,,,0

                # staff cards end here
                """.formatted(nextYear));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Imported 3 cards").contains("1 with an opening balance, 10000 minor units of SEK");
        withMembers((db, members) -> {
            var visitor = members.byCard("04A1B2C3D4E501").orElseThrow();
            var accessible = members.byCard("04A1B2C3D4E502").orElseThrow();
            assertThat(visitor.role()).isEqualTo(Role.VISITOR);
            assertThat(accessible.accessible()).isTrue();
            assertThat(accessible.validUntil()).isEqualTo(LocalDate.parse(nextYear + "-07-01")
                    .atStartOfDay(ZoneId.of("Europe/Stockholm")).toInstant());
            assertThat(members.byCard("04A1B2C3D4E503").orElseThrow().role()).isEqualTo(Role.HOST);
            long balance = db.read(tx -> {
                try (var p = tx.connection().prepareStatement("SELECT COALESCE(SUM(amount), -1) FROM ledger WHERE member_id = ?")) {
                    p.setString(1, visitor.id());
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            assertThat(balance).as("the opening balance is a top-up in the ledger").isEqualTo(10000);
            return null;
        });
    }

    @Test
    void semicolons_and_columns_in_any_order_are_understood() throws Exception {
        Cli r = importCsv("\uFEFFrole;card\nadmin;0A0B0C0D\n");
        assertThat(r.exit()).as(r.err()).isZero();
        Role role = withMembers((db, m) -> m.byCard("0A0B0C0D").orElseThrow().role());
        assertThat(role).isEqualTo(Role.ADMIN);
    }

    @Test
    void every_bad_line_is_reported_with_its_number_and_nothing_is_imported() throws Exception {
        Cli r = importCsv("""
                card,role,accessible,valid_until,opening_balance
                04A1B2C3D4E501,visitor,false,,100
                not-a-card,visitor,false,,0
                04A1B2C3D4E503,guest,maybe,2020-01-01,12.50
                04A1B2C3D4E501,host,,,
                04A1B2C3D4E504,,,,-5
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsSubsequence(
                        dir.resolve("cards.csv") + ": line 3: card: card must be hexadecimal digits",
                        dir.resolve("cards.csv") + ": line 4: role: role must be visitor, host or admin, not 'guest'",
                        dir.resolve("cards.csv") + ": line 4: accessible: write true or false, not \"maybe\"",
                        dir.resolve("cards.csv") + ": line 4: valid_until: 2020-01-01 has already passed",
                        dir.resolve("cards.csv") + ": line 4: opening_balance: give whole minor units (öre, cent): 1250 rather than 12.50 if that means 12.50 in the currency",
                        dir.resolve("cards.csv") + ": line 5: card …E501 is already on line 2",
                        dir.resolve("cards.csv") + ": line 6: opening_balance: must be 0 or more, not -5",
                        "kontor provision cards import: 7 problems; nothing was imported.")
                .noneMatch(l -> l.contains("04A1B2C3D4E501"));
        assertThat(Files.exists(data.resolve("kontor.mv.db"))).as("the database is not even opened").isFalse();
    }

    @Test
    void a_card_already_enrolled_fails_the_whole_import() throws Exception {
        withMembers((db, m) -> m.enroll("04A1B2C3D4E502", Role.VISITOR, false, null));
        Cli r = importCsv("card,opening_balance\n04A1B2C3D4E501,500\n04A1B2C3D4E502,0\n04A1B2C3D4E503,0\n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("line 3: card …E502 is already enrolled").contains("nothing was imported");
        assertThat(memberCount()).isEqualTo(1);
        java.util.Optional<kontor.members.Member> first = withMembers((db, m) -> m.byCard("04A1B2C3D4E501"));
        assertThat(first).isEmpty();
    }

    @Test
    void an_email_column_gives_members_their_address_for_the_calendars() throws Exception {
        Cli r = importCsv("""
                card,email,role
                04A1B2C3D4E501, Alice@Example.ORG ,visitor
                04A1B2C3D4E502,,visitor
                04A1B2C3D4E503,mailto:host@example.org,host
                """);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Imported 3 cards").doesNotContain("example.org");
        withMembers((db, members) -> {
            assertThat(members.email(members.byCard("04A1B2C3D4E501").orElseThrow().id())).contains("alice@example.org");
            assertThat(members.email(members.byCard("04A1B2C3D4E502").orElseThrow().id())).isEmpty();
            assertThat(db.read(tx -> members.byEmail(tx, "host@example.org")).orElseThrow().role()).isEqualTo(Role.HOST);
            return null;
        });
    }

    @Test
    void a_bad_or_repeated_email_is_reported_masked_and_nothing_is_imported() throws Exception {
        Cli r = importCsv("""
                card,email
                04A1B2C3D4E501,alice@example.org
                04A1B2C3D4E502,bob at example.org
                04A1B2C3D4E503,ALICE@example.org
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).containsSubsequence(
                        dir.resolve("cards.csv") + ": line 3: email: not an e-mail address (like name@example.org)",
                        dir.resolve("cards.csv") + ": line 4: email a…@example.org is already on line 2",
                        "kontor provision cards import: 2 problems; nothing was imported.")
                .noneMatch(l -> l.contains("alice@") || l.contains("bob at"));
        assertThat(Files.exists(data.resolve("kontor.mv.db"))).as("the database is not even opened").isFalse();
    }

    @Test
    void an_email_already_another_members_fails_the_whole_import() throws Exception {
        withMembers((db, m) -> {
            m.setEmail(m.enroll("04A1B2C3D4E509", Role.VISITOR, false, null).id(), "alice@example.org");
            return null;
        });
        Cli r = importCsv("card,email,opening_balance\n04A1B2C3D4E501,bob@example.org,500\n04A1B2C3D4E502,Alice@example.org,0\n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("line 3: email a…@example.org is already another member's")
                .contains("nothing was imported").doesNotContain("alice@");
        assertThat(memberCount()).isEqualTo(1);
        java.util.Optional<kontor.members.Member> bob = withMembers((db, m) -> db.read(tx -> m.byEmail(tx, "bob@example.org")));
        assertThat(bob).isEmpty();
    }

    @Test
    void a_header_with_unknown_or_missing_columns_is_refused() throws Exception {
        Cli r = importCsv("kort,roll\n04A1B2C3D4E501,visitor\n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("line 1: unknown column \"kort\"").contains("line 1: the header has no \"card\" column");
        assertThat(importCsv("").err()).contains("line 1: the file is empty");
    }

    @Test
    void without_the_site_secret_nothing_is_imported() throws Exception {
        Files.delete(data.resolve("site.secret"));
        Cli r = importCsv("card\n04A1B2C3D4E501\n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("there is no site secret");
    }

    @Test
    void without_the_site_secret_no_database_is_created() throws Exception {
        Path fresh = Files.createDirectories(data.resolveSibling("fresh"));
        Path file = dir.resolve("cards.csv");
        Files.writeString(file, "card\n04A1B2C3D4E501\n");
        Cli r = Cli.run("provision", "cards", "import", "--config", site.toString(), "--data", fresh.toString(), file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("there is no site secret");
        try (var files = Files.list(fresh)) {
            assertThat(files).isEmpty();
        }
    }
}
