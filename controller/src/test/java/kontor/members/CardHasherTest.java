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
        assertThat(one.hash("01")).isNotEqualTo(two.hash("01"));
    }

    @Test
    void a_malformed_card_is_refused() {
        CardHasher hasher = new CardHasher(SiteSecret.loadOrCreate(dir.resolve("secret")));
        assertThatThrownBy(() -> hasher.hash("zz")).isInstanceOf(IllegalArgumentException.class);
    }
}
