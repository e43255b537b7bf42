package kontor.console;

import kontor.members.PasswordHash;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConsolePartsTest {

    @Test
    void both_languages_have_the_same_words_and_the_browser_chooses() {
        assertThat(Strings.of("sv").keys()).isEqualTo(Strings.of("en").keys());
        assertThat(Strings.forAcceptLanguage("sv-SE,sv;q=0.9,en;q=0.8").lang()).isEqualTo("sv");
        assertThat(Strings.forAcceptLanguage("en-GB,en;q=0.9,sv;q=0.5").lang()).isEqualTo("en");
        assertThat(Strings.forAcceptLanguage("de-DE,sv;q=0.4").lang()).isEqualTo("sv");
        assertThat(Strings.forAcceptLanguage("nb-NO").lang()).isEqualTo("sv");
        assertThat(Strings.forAcceptLanguage("fr").lang()).isEqualTo("en");
        assertThat(Strings.forAcceptLanguage(null).lang()).isEqualTo("en");
        assertThat(Strings.of("sv").t("site.present", 3, 40)).isEqualTo("3 personer här av 40");
    }

    @Test
    void a_password_is_an_argon2id_phc_string_that_only_it_matches() {
        String hash = PasswordHash.hash("correct horse".toCharArray());
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHash.hash("correct horse".toCharArray())).isNotEqualTo(hash); // a fresh salt each time
        assertThat(PasswordHash.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(PasswordHash.verify("correct horsE".toCharArray(), hash)).isFalse();
        assertThat(PasswordHash.verify("x".toCharArray(), "$2a$10$notargon")).isFalse();
        assertThat(PasswordHash.verify("x".toCharArray(), "$argon2id$v=19$m=999999999,t=2,p=1$AAAA$AAAA")).isFalse();
        assertThat(PasswordHash.verify("x".toCharArray(), null)).isFalse();
    }

    @Test
    void five_wrong_passwords_pause_an_account_and_sessions_time_out() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T08:00:00Z"));
        Sessions sessions = new Sessions(now::get);
        for (int i = 1; i < Sessions.MAX_FAILURES; i++) {
            assertThat(sessions.failed("anna")).isFalse();
        }
        assertThat(sessions.failed("anna")).isTrue();
        assertThat(sessions.pausedUntil("anna")).contains(now.get().plus(Sessions.PAUSE));
        now.set(now.get().plus(Sessions.PAUSE));
        assertThat(sessions.pausedUntil("anna")).isEmpty();

        Sessions.Session s = sessions.start("anna", Role.HOST);
        assertThat(s.csrf()).isNotEqualTo(s.token()).hasSizeGreaterThan(40);
        now.set(now.get().plus(Sessions.IDLE.minus(Duration.ofSeconds(1))));
        assertThat(sessions.find(s.token())).isPresent();
        now.set(now.get().plus(Sessions.IDLE.plus(Duration.ofSeconds(1))));
        assertThat(sessions.find(s.token())).isEmpty();
        assertThat(sessions.find("forged")).isEmpty();
    }

    @Test
    void roles_are_ordered_monitor_host_admin() {
        assertThat(Role.MONITOR.atLeast(Role.HOST)).isFalse();
        assertThat(Role.HOST.atLeast(Role.HOST)).isTrue();
        assertThat(Role.ADMIN.atLeast(Role.HOST)).isTrue();
        assertThat(Role.HOST.atLeast(Role.ADMIN)).isFalse();
    }
}
