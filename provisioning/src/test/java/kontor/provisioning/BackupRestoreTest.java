package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import kontor.cli.RunCommand;
import kontor.members.CardHasher;
import kontor.members.Members;
import kontor.members.Role;
import kontor.members.SiteSecret;
import kontor.site.SiteFiles;
import kontor.store.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRestoreTest {
    @TempDir
    Path dir;
    Path site;
    Path data;

    @BeforeEach
    void prepare() throws Exception {
        site = dir.resolve("site.yaml");
        Files.writeString(site, SiteFiles.skeleton("test-site"));
        data = dir.resolve("data");
    }

    private Members members(Database db) {
        return new Members(db, new CardHasher(SiteSecret.loadOrCreate(data.resolve("site.secret"))));
    }

    private Cli backup(Path out) {
        return Cli.run("backup", "--config", site.toString(), "--data", data.toString(), "--out", out.toString());
    }

    private Cli restore(Path from) {
        return Cli.run("restore", "--config", site.toString(), "--data", data.toString(), "--from", from.toString());
    }

    @Test
    void a_stopped_sites_database_is_backed_up_and_restored_with_the_old_one_kept_aside() throws Exception {
        try (Database db = Database.open(data)) {
            members(db).enroll("04A1B2C3D4E501", Role.VISITOR, false, null);
        }
        Path zip = dir.resolve("backup.zip");
        Cli b = backup(zip);
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(zip))).isEqualTo("rw-------");
        assertThat(backup(zip).err()).contains("already exists");

        try (Database db = Database.open(data)) {
            members(db).enroll("04A1B2C3D4E502", Role.VISITOR, false, null);
        }
        Cli r = restore(zip);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("The previous one is in");
        try (Database db = Database.open(data)) {
            assertThat(members(db).byCard("04A1B2C3D4E501")).isPresent();
            assertThat(members(db).byCard("04A1B2C3D4E502")).as("made after the backup").isEmpty();
        }
        try (var aside = Files.list(data)) {
            Path kept = aside.filter(p -> p.getFileName().toString().startsWith("before-restore-")).findFirst().orElseThrow();
            assertThat(kept.resolve("kontor.mv.db")).exists();
        }
    }

    @Test
    void a_running_gateway_is_backed_up_through_its_control_socket_and_not_restored_over() throws Exception {
        try (Database db = Database.open(data)) {
            members(db).enroll("04A1B2C3D4E501", Role.VISITOR, false, null);
            RunCommand.ControlSocket control = RunCommand.ControlSocket.start(data, db);
            try {
                Path zip = dir.resolve("online.zip");
                Cli b = backup(zip);
                assertThat(b.exit()).as(b.err()).isZero();
                assertThat(b.out()).contains("online, through the running gateway");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(zip))).isEqualTo("rw-------");
                try (var files = Files.list(data)) {
                    assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("backup-"));
                }
                members(db).enroll("04A1B2C3D4E502", Role.VISITOR, false, null);

                Cli r = restore(zip);
                assertThat(r.exit()).isEqualTo(2);
                assertThat(r.err()).contains("the gateway is running");
                assertThat(members(db).byCard("04A1B2C3D4E502")).as("the running database is untouched").isPresent();
            } finally {
                control.close();
            }
        }
        Cli r = restore(dir.resolve("online.zip"));
        assertThat(r.exit()).as(r.err()).isZero();
        try (Database db = Database.open(data)) {
            assertThat(members(db).byCard("04A1B2C3D4E501")).isPresent();
            assertThat(members(db).byCard("04A1B2C3D4E502")).isEmpty();
        }
    }

    @Test
    void a_file_that_is_not_a_backup_is_refused_and_changes_nothing() throws Exception {
        try (Database db = Database.open(data)) {
            members(db).enroll("04A1B2C3D4E501", Role.VISITOR, false, null);
        }
        Path junk = dir.resolve("junk.zip");
        Files.writeString(junk, "not a zip");
        Cli r = restore(junk);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is not a Kontor backup");
        try (Database db = Database.open(data)) {
            assertThat(members(db).byCard("04A1B2C3D4E501")).isPresent();
        }
        assertThat(backup(dir.resolve("nothing.zip")).exit()).isZero();
        Path empty = dir.resolve("empty-data");
        Cli none = Cli.run("backup", "--config", site.toString(), "--data", empty.toString(), "--out", dir.resolve("n2.zip").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("there is no database");
    }
}
