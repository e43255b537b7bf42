package kontor.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SimulatedTimeTest {
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @Test
    void frozen_time_stands_still_until_advanced() {
        try (SimulatedTime time = SimulatedTime.frozen(T0)) {
            assertThat(time.now()).isEqualTo(T0);
            time.advance(Duration.ofMinutes(11));
            assertThat(time.now()).isEqualTo(T0.plusSeconds(660));
        }
    }

    @Test
    void advance_runs_due_tasks_in_order_each_at_its_own_instant() {
        try (SimulatedTime time = SimulatedTime.frozen(T0)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            time.schedule(Duration.ofMinutes(10), () -> seen.add("b@" + time.now()));
            time.schedule(Duration.ofMinutes(5), () -> seen.add("a@" + time.now()));
            time.schedule(Duration.ofMinutes(30), () -> seen.add("late"));

            time.advance(Duration.ofMinutes(11));

            assertThat(seen).containsExactly("a@" + T0.plusSeconds(300), "b@" + T0.plusSeconds(600));
        }
    }

    @Test
    void a_task_scheduled_by_a_task_within_the_advance_also_runs() {
        try (SimulatedTime time = SimulatedTime.frozen(T0)) {
            List<Instant> seen = new CopyOnWriteArrayList<>();
            time.schedule(Duration.ofSeconds(1), () -> time.schedule(Duration.ofSeconds(1), () -> seen.add(time.now())));
            time.advance(Duration.ofSeconds(5));
            assertThat(seen).containsExactly(T0.plusSeconds(2));
        }
    }

    @Test
    void cancelled_and_periodic_tasks() {
        try (SimulatedTime time = SimulatedTime.frozen(T0)) {
            List<Instant> ticks = new CopyOnWriteArrayList<>();
            var cancelled = time.schedule(Duration.ofSeconds(1), () -> ticks.add(Instant.EPOCH));
            cancelled.cancel();
            var every = time.every(Duration.ofSeconds(10), () -> ticks.add(time.now()));
            time.advance(Duration.ofSeconds(35));
            every.cancel();
            time.advance(Duration.ofSeconds(35));
            assertThat(ticks).containsExactly(T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30));
        }
    }

    @Test
    void execute_runs_on_the_time_thread_without_advancing() {
        try (SimulatedTime time = SimulatedTime.frozen(T0)) {
            List<String> threads = new CopyOnWriteArrayList<>();
            time.execute(() -> threads.add(Thread.currentThread().getName()));
            await().until(() -> threads.size() == 1);
            assertThat(threads).containsExactly("site-time");
            assertThat(time.now()).isEqualTo(T0);
        }
    }

    @Test
    void flowing_time_runs_on_its_own_and_can_jump() {
        try (SimulatedTime time = SimulatedTime.flowing(T0)) {
            List<Instant> seen = new CopyOnWriteArrayList<>();
            time.schedule(Duration.ofMillis(20), () -> seen.add(time.now()));
            await().until(() -> seen.size() == 1);
            time.set(Instant.parse("2026-12-01T21:59:00Z"));
            assertThat(time.now()).isAfterOrEqualTo(Instant.parse("2026-12-01T21:59:00Z"));
        }
    }

    @Test
    void time_cannot_be_advanced_backwards() {
        try (SimulatedTime time = SimulatedTime.frozen(T0)) {
            assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
