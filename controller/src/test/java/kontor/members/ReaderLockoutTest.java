package kontor.members;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReaderLockoutTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private final ReaderLockout lockout = ReaderLockout.defaults();

    @Test
    void five_denials_within_a_minute_lock_the_reader_for_a_minute() {
        for (int i = 0; i < 4; i++) {
            assertThat(lockout.recordDenied("reader-room-1", T0.plusSeconds(i * 10))).isFalse();
        }
        assertThat(lockout.lockedOut("reader-room-1", T0.plusSeconds(40))).isFalse();

        assertThat(lockout.recordDenied("reader-room-1", T0.plusSeconds(50))).isTrue();
        assertThat(lockout.lockedOut("reader-room-1", T0.plusSeconds(50))).isTrue();
        assertThat(lockout.lockedUntil("reader-room-1", T0.plusSeconds(60))).contains(T0.plusSeconds(110));
        assertThat(lockout.lockedOut("reader-room-2", T0.plusSeconds(50))).as("other readers are not affected").isFalse();

        assertThat(lockout.lockedOut("reader-room-1", T0.plusSeconds(109))).isTrue();
        assertThat(lockout.lockedOut("reader-room-1", T0.plusSeconds(110))).isFalse();
        assertThat(lockout.lockedUntil("reader-room-1", T0.plusSeconds(110))).isEmpty();
    }

    @Test
    void denials_older_than_the_window_do_not_count() {
        for (int i = 0; i < 4; i++) {
            lockout.recordDenied("r", T0.plusSeconds(i));
        }
        assertThat(lockout.recordDenied("r", T0.plusSeconds(60))).as("the first denial is exactly 60 s old").isFalse();
        assertThat(lockout.lockedOut("r", T0.plusSeconds(60))).isFalse();
        assertThat(lockout.recordDenied("r", T0.plusSeconds(60))).as("denials at 1, 2, 3, 60 and 60 s").isTrue();
    }

    @Test
    void denials_during_a_lockout_neither_extend_it_nor_start_another() {
        for (int i = 0; i < 5; i++) {
            lockout.recordDenied("r", T0);
        }
        assertThat(lockout.recordDenied("r", T0.plusSeconds(30))).isFalse();
        assertThat(lockout.lockedUntil("r", T0.plusSeconds(30))).contains(T0.plusSeconds(60));

        assertThat(lockout.lockedOut("r", T0.plusSeconds(60))).isFalse();
        assertThat(lockout.recordDenied("r", T0.plusSeconds(61))).as("counting starts afresh").isFalse();
    }

    @Test
    void a_custom_rule_is_honoured() {
        ReaderLockout strict = new ReaderLockout(2, Duration.ofSeconds(10), Duration.ofMinutes(5));
        strict.recordDenied("r", T0);
        assertThat(strict.recordDenied("r", T0.plusSeconds(9))).isTrue();
        assertThat(strict.lockedUntil("r", T0.plusSeconds(9))).contains(T0.plusSeconds(9).plus(Duration.ofMinutes(5)));
    }

    @Test
    void a_flood_of_names_from_strangers_is_remembered_only_up_to_a_bound_and_the_fresh_lockout_stays() {
        for (int i = 0; i < 5; i++) {
            lockout.recordDenied("print:target", T0);
        }
        // Fewer names than the bound: the target's lockout is still remembered after them.
        for (int i = 0; i < ReaderLockout.MAX_TRACKED - 1; i++) {
            lockout.recordDenied("print:guess-" + i, T0.plusSeconds(1));
        }
        assertThat(lockout.lockedOut("print:target", T0.plusSeconds(2))).isTrue();
        for (int i = 0; i < 3 * ReaderLockout.MAX_TRACKED; i++) {
            lockout.recordDenied("print:flood-" + i, T0.plusSeconds(2));
        }
        assertThat(lockout.tracked()).isLessThanOrEqualTo(2 * ReaderLockout.MAX_TRACKED);
    }
}
