package kontor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRepliesTest {
    @TempDir
    Path dir;
    private Database db;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T08:00:00Z"));
    private CommandReplies replies;

    @BeforeEach
    void open() {
        db = Database.open(dir);
        replies = new CommandReplies(db, now::get);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void a_remembered_reply_is_found_again_and_the_first_one_wins() {
        replies.remember("card.enroll", "req-1", bytes("{\"ok\":true}"));
        replies.remember("card.enroll", "req-1", bytes("{\"ok\":false}"));

        assertThat(replies.find("card.enroll", "req-1")).hasValueSatisfying(r -> assertThat(r).isEqualTo(bytes("{\"ok\":true}")));
        assertThat(replies.find("card.revoke", "req-1")).as("same id, other command").isEmpty();
        assertThat(replies.find("card.enroll", "req-2")).isEmpty();
    }

    @Test
    void replies_are_forgotten_after_seven_days() {
        replies.remember("card.enroll", "old", bytes("{}"));
        now.set(now.get().plus(Duration.ofDays(7)).plusSeconds(1));
        assertThat(replies.find("card.enroll", "old")).isEmpty();

        replies.remember("card.enroll", "new", bytes("{}"));
        long rows = db.read(tx -> {
            try (var s = tx.connection().createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM command_replies")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(rows).as("the old reply was pruned").isEqualTo(1);
    }

    @Test
    void a_reply_remembered_in_a_rolled_back_transaction_is_not_kept() {
        assertThatThrownBy(() -> db.inTransaction(tx -> {
            replies.remember(tx, "member.credit", "r", bytes("{}"));
            throw new IllegalStateException("the command failed after all");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(replies.find("member.credit", "r")).isEmpty();
    }

    @Test
    void an_over_long_request_id_is_refused() {
        assertThatThrownBy(() -> replies.remember("card.enroll", "x".repeat(257), bytes("{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void site_state_keeps_the_latest_value() {
        SiteState state = new SiteState(db, now::get);
        assertThat(state.get("fire")).isEmpty();
        state.put("fire", "true");
        state.put("fire", "false");
        assertThat(state.get("fire")).contains("false");
        state.remove("fire");
        assertThat(state.get("fire")).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
