package kontor.store;

import static org.assertj.core.api.Assertions.assertThat;


import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnreadableDatabaseTest {

    @Test
    void an_unreadable_database_is_moved_aside_untouched_and_a_fresh_one_starts(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir)) {
            new SiteState(db, Instant::now).put("k", "v");
        }
        Path file = dir.resolve("kontor.mv.db");
        byte[] wrecked = Files.readAllBytes(file);
        Arrays.fill(wrecked, 0, Math.min(wrecked.length, 8192), (byte) 0x5A);
        Files.write(file, wrecked);

        Database.Opened opened = Database.openOrSetAside(dir, Instant.parse("2026-12-01T09:00:00Z"));
        try (Database fresh = opened.db()) {
            assertThat(opened.setAside()).isNotNull();
            assertThat(Files.readAllBytes(opened.setAside().resolve("kontor.mv.db"))).isEqualTo(wrecked);
            assertThat(new SiteState(fresh, Instant::now).get("k")).isEmpty();
            new SiteState(fresh, Instant::now).put("k", "new");
        }
    }

    @Test
    void a_readable_database_is_simply_opened(@TempDir Path dir) {
        try (Database db = Database.open(dir)) {
            new SiteState(db, Instant::now).put("k", "v");
        }
        Database.Opened opened = Database.openOrSetAside(dir, Instant.now());
        try (Database db = opened.db()) {
            assertThat(opened.setAside()).isNull();
            assertThat(new SiteState(db, Instant::now).get("k")).contains("v");
        }
    }

}
