package kontor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupSyncTest {

    @Test
    void callers_arriving_together_share_disk_syncs_and_all_return(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir); GroupSync sync = new GroupSync(db)) {
            SiteState state = new SiteState(db, Instant::now);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                calls.add(pool.submit(() -> {
                    state.put("k" + (n % 8), Integer.toString(n));
                    sync.awaitDurable();
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            pool.shutdown();
            assertThat(sync.syncs()).isPositive().isLessThan(400);
        }
    }

    @Test
    void a_closed_group_sync_releases_its_callers(@TempDir Path dir) {
        try (Database db = Database.open(dir)) {
            GroupSync sync = new GroupSync(db);
            sync.close();
            sync.awaitDurable();
            assertThat(sync.syncs()).isZero();
        }
    }
}
