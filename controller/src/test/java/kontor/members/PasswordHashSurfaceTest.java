package kontor.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stranger's flood of wrong passwords, held still: the print queue's hashing slot is taken (as a long flood keeps
 * it), so every check there waits. The console's log-in is not slowed, one address cannot hold more than its share of
 * the queue's line, and the line itself is bounded.
 */
class PasswordHashSurfaceTest {
    private static final String HASH = PasswordHash.hash("right pin".toCharArray());

    @Test
    void a_flood_at_one_surface_neither_slows_another_nor_lets_one_address_take_the_line() throws Exception {
        Semaphore taken = new Semaphore(0, true);
        PasswordHash.Surface print = new PasswordHash.Surface(taken);
        PasswordHash.Surface console = new PasswordHash.Surface();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Optional<Boolean>> a1 = clients.submit(() -> print.verify("10.0.0.1", "x1".toCharArray(), null));
            Future<Optional<Boolean>> a2 = clients.submit(() -> print.verify("10.0.0.1", "x2".toCharArray(), null));
            await().until(() -> taken.getQueueLength() == 2);

            assertThat(print.verify("10.0.0.1", "x3".toCharArray(), null))
                    .as("a third check from the flooding address is refused at once, nothing checked").isEmpty();
            assertThat(console.verify("10.0.0.1", "right pin".toCharArray(), HASH))
                    .as("the console's log-in hashes on its own slot").contains(true);

            Future<Optional<Boolean>> right = clients.submit(() -> print.verify("10.0.0.2", "right pin".toCharArray(), HASH));
            Future<Optional<Boolean>> c = clients.submit(() -> print.verify("10.0.0.3", "x4".toCharArray(), null));
            await().until(() -> taken.getQueueLength() == 4);
            assertThat(print.verify("10.0.0.4", "x5".toCharArray(), null))
                    .as("the line is bounded: a fifth client is refused, not queued").isEmpty();

            taken.release();
            assertThat(right.get(30, TimeUnit.SECONDS)).as("another client's right PIN got its place").contains(true);
            assertThat(a1.get(30, TimeUnit.SECONDS)).contains(false);
            assertThat(a2.get(30, TimeUnit.SECONDS)).contains(false);
            assertThat(c.get(30, TimeUnit.SECONDS)).contains(false);
        }
        assertThat(print.verify("10.0.0.1", "right pin".toCharArray(), HASH)).as("places are given back").contains(true);
    }
}
