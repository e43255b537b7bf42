package kontor.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import kontor.store.Database;
import kontor.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seq keeps increasing for subscribers across a lost database (issue 14, item 10). */
class SeqHighWaterTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");

    @TempDir
    Path dir;

    private long appendWaited(Journal journal) {
        journal.handIn("door.opened", "door-1", Map.of(), Instant.parse("2026-12-01T09:00:00Z"), null);
        journal.awaitWritten();
        return journal.lastSeq();
    }

    @Test
    void a_normal_restart_goes_on_without_a_gap_and_the_mark_is_private() throws IOException {
        try (Database db = Database.open(dir)) {
            Journal journal = new Journal(db, ZONE);
            assertThat(appendWaited(journal)).isEqualTo(1);
            assertThat(appendWaited(journal)).isEqualTo(2);
            journal.close();
        }
        try (Database db = Database.open(dir)) {
            Journal journal = new Journal(db, ZONE);
            assertThat(appendWaited(journal)).isEqualTo(3);
            journal.close();
        }
        Path mark = dir.resolve(SeqHighWater.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mark))).isEqualTo("rw-------");
        assertThat(Files.readString(mark)).startsWith("reserved=" + SeqHighWater.BLOCK + "\n");
    }

    @Test
    void after_the_database_is_set_aside_seq_starts_above_every_seq_handed_out_before() throws IOException {
        try (Database db = Database.open(dir)) {
            Journal journal = new Journal(db, ZONE);
            for (int i = 0; i < 5; i++) {
                appendWaited(journal);
            }
            journal.close();
        }
        // What an unreadable database's setting aside leaves: no database, the mark beside it.
        Path file = dir.resolve("kontor.mv.db");
        byte[] wrecked = Files.readAllBytes(file);
        java.util.Arrays.fill(wrecked, 0, Math.min(wrecked.length, 8192), (byte) 0x5A);
        Files.write(file, wrecked);
        Database.Opened opened = Database.openOrSetAside(dir, Instant.parse("2026-12-01T10:00:00Z"));
        try (Database db = opened.db()) {
            assertThat(opened.setAside()).isNotNull();
            Journal journal = new Journal(db, ZONE);
            long next = appendWaited(journal);
            assertThat(next).isGreaterThan(5).isEqualTo(SeqHighWater.BLOCK + 1);
            journal.close();
        }
        // And that new database is now the mark's: its next restart has no gap.
        try (Database db = Database.open(dir)) {
            Journal journal = new Journal(db, ZONE);
            assertThat(appendWaited(journal)).isEqualTo(SeqHighWater.BLOCK + 2);
            journal.close();
        }
    }

    @Test
    void the_mark_moves_ahead_before_seqs_beyond_it_are_taken() {
        try (Database db = Database.open(dir)) {
            Journal journal = new Journal(db, ZONE);
            SeqHighWater mark = SeqHighWater.load(dir);
            long reserved = mark.reserved();
            for (long i = 0; i < 3; i++) {
                appendWaited(journal);
            }
            assertThat(SeqHighWater.load(dir).reserved()).isEqualTo(reserved);
            db.inTransaction(tx -> {
                try (var p = tx.connection().prepareStatement("UPDATE journal_seq SET last_seq = ? WHERE id = 1")) {
                    p.setLong(1, reserved);
                    return p.executeUpdate();
                }
            });
            assertThat(appendWaited(journal)).isEqualTo(reserved + 1);
            assertThat(SeqHighWater.load(dir).reserved()).isEqualTo(reserved + 1 + SeqHighWater.BLOCK);
            journal.close();
        }
    }

    @Test
    void a_mangled_mark_is_refused_with_what_to_do() throws IOException {
        Files.writeString(dir.resolve(SeqHighWater.FILE), "reserved=12\n");
        assertThatThrownBy(() -> SeqHighWater.load(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("keeps seq increasing across a database reset");
    }
}
