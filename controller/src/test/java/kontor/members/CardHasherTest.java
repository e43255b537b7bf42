package kontor.members;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardHasherTest {
    @TempDir
    Path dir;

    @Test
    void the_hash_is_hex_hmac_of_the_normalised_card_and_never_shows_the_card() {
        CardHasher hasher = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("secret")));
        String hash = hasher.hash("04A1B2C3D4E501");

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(hash.toUpperCase()).doesNotContain("04A1B2C3D4E501").isNotEqualTo("04A1B2C3D4E501");
        assertThat(hasher.hash("04:a1:b2:c3:d4:e5:01")).isEqualTo(hash);
        assertThat(hasher.hash("04A1B2C3D4E502")).isNotEqualTo(hash);
    }

    @Test
    void another_site_secret_gives_another_hash() {
        CardHasher one = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("one")));
        CardHasher two = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("two")));
        assertThat(one.hash("0DDBA11C")).isNotEqualTo(two.hash("0DDBA11C"));
    }

    @Test
    void a_malformed_card_is_refused() {
        CardHasher hasher = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("secret")));
        assertThatThrownBy(() -> hasher.hash("zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_card_is_only_what_a_reader_reports_so_one_card_cannot_be_two_members() {
        // Issue 14: "0" and "00" used to become two members. A reader reports 6, 8 or 14 hex digits.
        CardHasher hasher = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("len")));
        assertThatThrownBy(() -> hasher.hash("0")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6, 8 or 14");
        assertThatThrownBy(() -> hasher.hash("00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.hash("0".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        assertThat(hasher.hash("00a1b2")).isEqualTo(hasher.hash("00-A1-B2"));
        assertThat(hasher.hash("00A1B2")).isNotEqualTo(hasher.hash("0000A1B2"));
    }
}
