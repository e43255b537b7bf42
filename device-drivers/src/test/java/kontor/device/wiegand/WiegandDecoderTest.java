package kontor.device.wiegand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kontor.device.wiegand.WiegandDecoder.Card;
import kontor.device.wiegand.WiegandDecoder.Rejected;
import kontor.device.wiegand.WiegandDecoder.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WiegandDecoderTest {
    private static final long MS = 1_000_000L;

    private final WiegandDecoder decoder = new WiegandDecoder();
    private final List<Result> results = new ArrayList<>();
    private long now = 1_000 * MS;

    /** Feeds a frame with 2 ms between bits, as a typical reader does. */
    private void send(String frame) {
        for (char c : frame.toCharArray()) {
            now += 2 * MS;
            decoder.feed(c - '0', now).ifPresent(results::add);
        }
    }

    private void silence() {
        now += 30 * MS;
        decoder.poll(now).ifPresent(results::add);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1A2B3C", "DEADBEEF", "04A1B2C3D4E501", "000000", "FFFFFFFF", "FFFFFFFFFFFFFF"})
    void a_good_frame_decodes_to_the_card_it_encodes(String card) {
        send(WiegandEncoder.encode(card));
        silence();

        assertThat(results).containsExactly(new Card(card, card.length() * 4 + 2));
    }

    @Test
    void frame_sizes_follow_the_card_length() {
        assertThat(WiegandEncoder.encode("1A2B3C")).hasSize(26);
        assertThat(WiegandEncoder.encode("1a:2b:3c:4d")).hasSize(34);
        assertThat(WiegandEncoder.encode("04A1B2C3D4E501")).hasSize(58);
    }

    @Test
    void the_standard_26_bit_parity_is_kept() {
        // H10301 facility 1, card 1 = 0x010001: first 12 data bits hold one 1 -> leading 1;
        // last 12 hold one 1 -> trailing 0
        assertThat(WiegandEncoder.encode("010001")).isEqualTo("1" + "000000010000" + "000000000001" + "0");
    }

    @Test
    void the_encoder_refuses_a_card_of_another_length() {
        assertThatThrownBy(() -> WiegandEncoder.encode("12345")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6, 8 or 14");
        assertThatThrownBy(() -> WiegandEncoder.encode("XYZ123")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_frame_is_not_finished_before_the_gap() {
        send(WiegandEncoder.encode("1A2B3C"));
        assertThat(decoder.poll(now + 24 * MS)).isEmpty();
        assertThat(decoder.inFrame()).isTrue();
        assertThat(decoder.poll(now + 25 * MS)).containsInstanceOf(Card.class);
        assertThat(decoder.inFrame()).isFalse();
    }

    @Test
    void a_wrong_leading_parity_is_rejected() {
        String frame = WiegandEncoder.encode("04A1B2C3D4E501");
        send(flip(frame, 0));
        silence();

        assertThat(results).singleElement().isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("parity").contains("first half"));
    }

    @Test
    void a_flipped_data_bit_in_the_second_half_is_a_parity_error() {
        String frame = WiegandEncoder.encode("DEADBEEF");
        send(flip(frame, 30));
        silence();

        assertThat(results).singleElement().isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("parity").contains("second half"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 25, 27, 32, 57, 59, 100})
    void a_frame_of_another_length_is_rejected(int length) {
        send("1".repeat(length));
        silence();

        assertThat(results).singleElement().isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).contains("wrong length").contains(length + " bits");
            assertThat(r.bits()).isEqualTo(length);
        });
    }

    @Test
    void two_frames_back_to_back_are_two_cards() {
        send(WiegandEncoder.encode("1A2B3C"));
        now += 26 * MS;  // the gap passes, but nobody polls before the next frame starts
        send(WiegandEncoder.encode("04A1B2C3D4E501"));
        silence();

        assertThat(results).containsExactly(new Card("1A2B3C", 26), new Card("04A1B2C3D4E501", 58));
    }

    @Test
    void a_bad_frame_does_not_spoil_the_next_one() {
        send("101");
        silence();
        send(WiegandEncoder.encode("DEADBEEF"));
        silence();

        assertThat(results).hasSize(2);
        assertThat(results.get(0)).isInstanceOf(Rejected.class);
        assertThat(results.get(1)).isEqualTo(new Card("DEADBEEF", 34));
    }

    @Test
    void bits_closer_than_the_minimum_interval_are_rejected_as_too_fast() {
        String frame = WiegandEncoder.encode("1A2B3C");
        for (char c : frame.toCharArray()) {
            now += 10_000;  // 10 µs
            decoder.feed(c - '0', now).ifPresent(results::add);
        }
        silence();

        assertThat(results).singleElement().isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("too fast"));
    }

    @Test
    void bits_further_apart_than_the_maximum_interval_are_rejected_as_too_slow() {
        WiegandDecoder slowGap = new WiegandDecoder(
                new WiegandDecoder.Timing(Duration.ZERO, Duration.ofMillis(5), Duration.ofMillis(25)));
        String frame = WiegandEncoder.encode("1A2B3C");
        Optional<Result> result = Optional.empty();
        for (char c : frame.toCharArray()) {
            now += 10 * MS;
            slowGap.feed(c - '0', now);
        }
        result = slowGap.poll(now + 30 * MS);

        assertThat(result).get().isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).contains("too slow"));
    }

    @Test
    void a_bit_that_is_not_0_or_1_is_refused_and_changes_nothing() {
        assertThatThrownBy(() -> decoder.feed(2, now)).isInstanceOf(IllegalArgumentException.class);
        assertThat(decoder.inFrame()).isFalse();
    }

    @Test
    void timing_bounds_that_contradict_each_other_are_refused() {
        assertThatThrownBy(() -> new WiegandDecoder.Timing(Duration.ofMillis(5), Duration.ofMillis(1), Duration.ofMillis(25)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WiegandDecoder.Timing(Duration.ZERO, Duration.ofMillis(30), Duration.ofMillis(25)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_card_never_shows_its_number_in_text() {
        assertThat(new Card("04A1B2C3D4E501", 58).toString()).doesNotContain("04A1B2C3D4E5").contains("E501");
    }

    private static String flip(String frame, int index) {
        char[] c = frame.toCharArray();
        c[index] = c[index] == '0' ? '1' : '0';
        return new String(c);
    }
}
