package kontor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the database leaves on the disk: private files, and a clean trace after a clean stop. */
class DataAtRestTest {
    @TempDir
    Path dir;

    @Test
    void every_file_of_the_database_is_private_to_the_gateways_user() throws IOException {
        Path data = dir.resolve("data");
        try (Database db = Database.open(data)) {
            put(db, "k");
            db.sync();
        }
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .as(f.getFileName().toString()).isEqualTo(Files.isDirectory(f) ? "rwx------" : "rw-------");
            }
        }
        assertThat(Files.exists(data.resolve("kontor.mv.db"))).isTrue();
    }

    private static void put(Database db, String key) {
        db.inTransaction(tx -> {
            try (var p = tx.connection().prepareStatement(
                    "INSERT INTO site_state (state_key, state_value, updated) VALUES (?, 'v', CURRENT_TIMESTAMP)")) {
                p.setString(1, key);
                return p.executeUpdate();
            }
        });
    }

    /**
     * H2 reuses a chunk's space only 45 s (RETENTION_TIME) after the chunk died, and rewrites only chunks that old:
     * here that time is 0, so that the test need not wait it out; the gateway keeps H2's default.
     */
    @Test
    void compaction_while_running_keeps_the_file_from_growing_with_every_commit() {
        long without = sizeAfterSmallCommits(false);
        long with = sizeAfterSmallCommits(true);
        assertThat(with).as("with compaction (without: %d bytes)", without).isLessThan(without / 2);
    }

    private long sizeAfterSmallCommits(boolean compacting) {
        Path data = dir.resolve(compacting ? "compacting" : "not-compacting");
        try (Database db = Database.open(data, Database.class.getClassLoader(), Database.MIGRATIONS, ";RETENTION_TIME=0")) {
            // Many small commits, as commands and taps make them: each writes a chunk that keeps a few live pages.
            for (int i = 0; i < 5000; i++) {
                put(db, "k" + i);
                if (compacting && i % 500 == 0) {
                    db.compact(java.time.Duration.ofSeconds(30));
                }
            }
            return db.fileSize();
        }
    }

    @Test
    void a_clean_stop_leaves_no_stack_trace_in_the_trace_file() throws IOException {
        try (Database db = Database.open(dir)) {
            for (int i = 0; i < 20; i++) {
                put(db, "k" + i);
            }
        }
        Path trace = dir.resolve("kontor.trace.db");
        String text = Files.exists(trace) ? Files.readString(trace) : "";
        assertThat(text).doesNotContain("already closed").doesNotContain("Exception");
    }
}
