package kontor.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SystemSchedulerTest {

    @Test
    void a_device_task_goes_ahead_of_every_waiting_network_task_and_each_lane_keeps_its_order() throws Exception {
        try (SystemScheduler scheduler = new SystemScheduler("test-site")) {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            List<String> ran = new CopyOnWriteArrayList<>();
            occupy(scheduler, busy);
            for (int i = 0; i < 100; i++) {
                int n = i;
                scheduler.execute(() -> ran.add("command-" + n));
            }
            scheduler.execute(Scheduler.Lane.FIELD, () -> ran.add("node"));
            scheduler.execute(Scheduler.Lane.DEVICE, () -> ran.add("door-1"));
            scheduler.execute(Scheduler.Lane.DEVICE, () -> ran.add("door-2"));
            scheduler.execute(() -> done.countDown());
            busy.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.subList(0, 4)).containsExactly("door-1", "door-2", "node", "command-0");
            assertThat(ran.getLast()).isEqualTo("command-99");
        }
    }

    @Test
    void a_due_timer_runs_ahead_of_waiting_commands_and_a_cancelled_one_not_at_all() throws Exception {
        try (SystemScheduler scheduler = new SystemScheduler("test-site")) {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            List<String> ran = new CopyOnWriteArrayList<>();
            occupy(scheduler, busy);
            scheduler.execute(() -> ran.add("command"));
            scheduler.schedule(Duration.ZERO, () -> ran.add("relock"));
            Scheduler.Timer cancelled = scheduler.schedule(Duration.ZERO, () -> ran.add("cancelled"));
            // The timers' own thread hands both to the busy site thread; one is called off after that.
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.waiting() == 3);
            cancelled.cancel();
            scheduler.execute(done::countDown);
            busy.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).containsExactly("relock", "command");
        }
    }

    /**
     * Keeps the site thread busy until {@code busy} opens, and returns once it is: a task handed in before the
     * thread has taken this one would otherwise be picked by lane ahead of it.
     */
    private static void occupy(SystemScheduler scheduler, CountDownLatch busy) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        scheduler.execute(() -> {
            running.countDown();
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).as("the site thread took the first task").isTrue();
    }
}
