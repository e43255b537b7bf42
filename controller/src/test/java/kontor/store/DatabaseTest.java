package kontor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void migrations_run_once_and_data_survives_reopen() {
        java.util.List<Integer> applied;
        try (Database db = Database.open(dir)) {
            applied = versions(db);
            assertThat(applied).startsWith(1);
            assertThat(applied).as("each version once, in order, without a gap")
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, applied.size()).boxed().toList());
            put(db, "greeting", "hej");
        }
        try (Database db = Database.open(dir)) {
            assertThat(versions(db)).isEqualTo(applied);
            assertThat(get(db, "greeting")).isEqualTo("hej");
        }
    }

    @Test
    void a_new_migration_runs_once_on_an_existing_database() throws IOException {
        Path migrations = Files.createDirectories(dir.resolve("classes/mig"));
        Files.writeString(migrations.resolve("V1__first.sql"),
                "-- one row, which a second run would duplicate\n"
                        + "CREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1);\n");
        Path data = dir.resolve("data");
        try (Database db = Database.open(data, loader(), "mig")) {
            assertThat(versions(db)).containsExactly(1);
        }
        Files.writeString(migrations.resolve("V2__second.sql"), "ALTER TABLE t ADD COLUMN note VARCHAR(10);");
        try (Database db = Database.open(data, loader(), "mig")) {
            assertThat(versions(db)).containsExactly(1, 2);
            assertThat(count(db, "SELECT COUNT(*) FROM t")).isEqualTo(1);
        }
        try (Database db = Database.open(data, loader(), "mig")) {
            assertThat(versions(db)).containsExactly(1, 2);
        }
    }

    @Test
    void refuses_a_database_whose_schema_is_newer_than_the_code() throws IOException {
        Path migrations = Files.createDirectories(dir.resolve("classes/mig"));
        Files.writeString(migrations.resolve("V1__first.sql"), "CREATE TABLE t (id INT);");
        Files.writeString(migrations.resolve("V2__second.sql"), "CREATE TABLE u (id INT);");
        Path data = dir.resolve("data");
        Database.open(data, loader(), "mig").close();
        Files.delete(migrations.resolve("V2__second.sql"));

        assertThatThrownBy(() -> Database.open(data, loader(), "mig"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 2")
                .hasMessageContaining("newer than this Kontor knows (1)");
        // and it left the database as it was, still usable by the newer code
        Files.writeString(migrations.resolve("V2__second.sql"), "CREATE TABLE u (id INT);");
        try (Database db = Database.open(data, loader(), "mig")) {
            assertThat(versions(db)).containsExactly(1, 2);
        }
    }

    @Test
    void a_failing_migration_is_not_recorded_and_names_itself() throws IOException {
        Path migrations = Files.createDirectories(dir.resolve("classes/mig"));
        Files.writeString(migrations.resolve("V1__first.sql"), "CREATE TABLE t (id INT);");
        Files.writeString(migrations.resolve("V2__broken.sql"), "INSERT INTO t VALUES (1);\nINSERT INTO nowhere VALUES (1);");
        Path data = dir.resolve("data");

        assertThatThrownBy(() -> Database.open(data, loader(), "mig"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("V2__broken.sql");
        Files.delete(migrations.resolve("V2__broken.sql"));
        try (Database db = Database.open(data, loader(), "mig")) {
            assertThat(versions(db)).containsExactly(1);
            assertThat(count(db, "SELECT COUNT(*) FROM t")).as("the failed migration's insert rolled back").isZero();
        }
    }

    @Test
    void a_missing_migration_version_is_refused() throws IOException {
        Path migrations = Files.createDirectories(dir.resolve("classes/mig"));
        Files.writeString(migrations.resolve("V1__first.sql"), "CREATE TABLE t (id INT);");
        Files.writeString(migrations.resolve("V3__third.sql"), "CREATE TABLE u (id INT);");

        assertThatThrownBy(() -> Database.open(dir.resolve("data"), loader(), "mig"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("V2 is missing");
    }

    @Test
    void a_commit_survives_the_process_being_killed() throws Exception {
        Path data = dir.resolve("killed");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                CommitThenWait.class.getName(), data.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("committed"));
            assertThat(line).as("the child committed").isEqualTo("committed");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no orderly close
            child.waitFor(30, TimeUnit.SECONDS);
        }
        try (Database db = Database.open(data)) {
            assertThat(get(db, "survivor")).isEqualTo("yes");
        }
    }

    /** Run in a child JVM by the kill test: commits one row, says so, and waits to be killed. */
    public static final class CommitThenWait {
        public static void main(String[] args) throws InterruptedException {
            Database db = Database.open(Path.of(args[0]));
            put(db, "survivor", "yes");
            System.out.println("committed");
            System.out.flush();
            // Waits to be killed (bounded, so a lost parent never leaves it behind for long).
            new java.util.concurrent.CountDownLatch(1).await(5, TimeUnit.MINUTES);
        }
    }

    @Test
    void after_commit_actions_run_only_after_a_commit() {
        try (Database db = Database.open(dir)) {
            List<String> seen = new ArrayList<>();
            db.inTransaction(tx -> {
                insertState(tx, "a", "1");
                tx.afterCommit(() -> seen.add("committed a, visible: " + get(db, "a")));
                return null;
            });
            assertThatThrownBy(() -> db.inTransaction(tx -> {
                insertState(tx, "b", "2");
                tx.afterCommit(() -> seen.add("b"));
                throw new IllegalStateException("changed my mind");
            })).isInstanceOf(IllegalStateException.class).hasMessage("changed my mind");

            assertThat(seen).containsExactly("committed a, visible: 1");
            assertThat(count(db, "SELECT COUNT(*) FROM site_state WHERE state_key = 'b'")).isZero();
        }
    }

    @Test
    void end_actions_run_when_a_transaction_commits_and_when_it_rolls_back_before_after_commit_actions() {
        try (Database db = Database.open(dir)) {
            List<String> seen = new ArrayList<>();
            db.inTransaction(tx -> {
                tx.afterCommit(() -> seen.add("committed"));
                tx.atEnd(() -> seen.add("ended, open here: " + db.currentTransaction().isPresent()));
                return null;
            });
            assertThatThrownBy(() -> db.inTransaction(tx -> {
                tx.atEnd(() -> seen.add("rolled back"));
                throw new IllegalStateException("changed my mind");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(seen).containsExactly("ended, open here: false", "committed", "rolled back");
        }
    }

    @Test
    void an_sql_error_rolls_back_and_comes_out_as_a_store_exception() {
        try (Database db = Database.open(dir)) {
            AtomicBoolean ran = new AtomicBoolean();
            assertThatThrownBy(() -> db.inTransaction(tx -> {
                insertState(tx, "a", "1");
                tx.afterCommit(() -> ran.set(true));
                insertState(tx, "a", "duplicate key");
                return null;
            })).isInstanceOf(StoreException.class).hasCauseInstanceOf(SQLException.class);
            assertThat(count(db, "SELECT COUNT(*) FROM site_state")).isZero();
            assertThat(ran).isFalse();
        }
    }

    @Test
    void a_transaction_inside_a_transaction_is_refused() {
        try (Database db = Database.open(dir)) {
            assertThatThrownBy(() -> db.inTransaction(tx -> db.read(inner -> 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pass its Tx down");
        }
    }

    @Test
    void a_read_only_transaction_refuses_after_commit_actions() {
        try (Database db = Database.open(dir)) {
            assertThatThrownBy(() -> db.read(tx -> {
                tx.afterCommit(() -> { });
                return null;
            })).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void a_closed_database_refuses_work_and_closing_twice_is_harmless() {
        Database db = Database.open(dir);
        db.sync();
        db.close();
        db.close();
        assertThat(db.isClosed()).isTrue();
        assertThatThrownBy(() -> db.read(tx -> 1)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(db::sync).isInstanceOf(StoreException.class);
    }

    @Test
    void the_database_directory_is_private_to_its_owner() throws IOException {
        Path data = dir.resolve("private");
        Database.open(data).close();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
    }

    private ClassLoader loader() throws IOException {
        return new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null);
    }

    private static List<Integer> versions(Database db) {
        return db.read(tx -> {
            List<Integer> versions = new ArrayList<>();
            try (Statement s = tx.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                while (rs.next()) {
                    versions.add(rs.getInt(1));
                }
            }
            return versions;
        });
    }

    private static long count(Database db, String sql) {
        return db.read(tx -> {
            try (Statement s = tx.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static void put(Database db, String key, String value) {
        db.inTransaction(tx -> {
            insertState(tx, key, value);
            return null;
        });
    }

    private static void insertState(Tx tx, String key, String value) throws SQLException {
        try (PreparedStatement p = tx.connection().prepareStatement(
                "INSERT INTO site_state (state_key, state_value, updated) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    private static String get(Database db, String key) {
        return db.read(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement("SELECT state_value FROM site_state WHERE state_key = ?")) {
                p.setString(1, key);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }
}
