package kontor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kontor.time.ClockSync;
import kontor.time.Scheduler;
import org.junit.jupiter.api.Test;

/**
 * Clock jumps as a real Pi sees them: the watch's timer runs on monotonic time (every 10 s), while the wall
 * clock jumps by hours, forward or back, under it.
 */
class ClockWatchTest {
    /** A scheduler whose periodic task the test runs by hand ("10 s of monotonic time passed") and whose wall clock it sets. */
    static final class WallClock implements Scheduler {
        Instant wall = Instant.parse("2026-12-01T09:00:00Z");
        final List<Runnable> periodic = new ArrayList<>();

        @Override
        public Instant now() {
            return wall;
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            return () -> { };
        }

        @Override
        public Timer every(Duration period, Runnable task) {
            periodic.add(task);
            return () -> { };
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        void tenSecondsPass(Duration wallJump) {
            wall = wall.plus(ClockWatch.PERIOD).plus(wallJump);
            periodic.forEach(Runnable::run);
        }
    }

    private final WallClock clock = new WallClock();
    private final Alarms alarms = mock(Alarms.class);
    private final Events events = mock(Events.class);
    private final AtomicInteger replans = new AtomicInteger();

    private ClockWatch watch(ClockSync sync) {
        ClockWatch watch = new ClockWatch(sync, clock, alarms, events, List.of(), replans::incrementAndGet);
        watch.start();
        return watch;
    }

    @Test
    void a_jump_forward_or_back_is_an_event_and_replans_the_hours() {
        watch(ClockSync.ALWAYS);
        clock.tenSecondsPass(Duration.ZERO);
        clock.tenSecondsPass(Duration.ofSeconds(30)); // NTP's slew and small steps are no jump
        verify(events, never()).emit(eq("clock.jumped"), any(), any());
        assertThat(replans).hasValue(0);

        clock.tenSecondsPass(Duration.ofHours(3));
        verify(events).emit("clock.jumped", null, Map.of("by_s", 3L * 3600));
        clock.tenSecondsPass(Duration.ofHours(-5));
        verify(events).emit("clock.jumped", null, Map.of("by_s", -5L * 3600));
        assertThat(replans).hasValue(2);
    }

    @Test
    void the_alarm_follows_the_synchronisation_and_the_listeners_hear_each_change_once() {
        boolean[] synced = {false};
        List<Boolean> heard = new ArrayList<>();
        ClockWatch watch = new ClockWatch(() -> synced[0], clock, alarms, events, List.of(heard::add), replans::incrementAndGet);
        watch.start();
        assertThat(watch.trusted()).isFalse();
        verify(alarms).raise(eq("clock.unsynchronised"), eq("gateway"), any());
        clock.tenSecondsPass(Duration.ZERO);
        synced[0] = true;
        clock.tenSecondsPass(Duration.ZERO);
        clock.tenSecondsPass(Duration.ZERO);
        verify(alarms).clear("clock.unsynchronised", "gateway");
        assertThat(heard).containsExactly(false, true);
        assertThat(watch.trusted()).isTrue();
        verify(events, never()).emit(eq("clock.jumped"), isNull(), any());
    }
}
