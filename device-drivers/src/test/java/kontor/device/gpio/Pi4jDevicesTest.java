package kontor.device.gpio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.device.Copier;
import kontor.device.DoorContact;
import kontor.device.LightColor;
import kontor.device.Lock;
import kontor.device.PrinterFactory;
import kontor.device.Signal;
import kontor.device.StatusLight;
import kontor.device.wiegand.WiegandDecoder;
import kontor.device.wiegand.WiegandEncoder;
import kontor.device.wiring.CopierWiring;
import kontor.device.wiring.CounterWiring;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LightWiring;
import kontor.device.wiring.LockWiring;
import kontor.device.wiring.WiegandWiring;
import kontor.time.SimulatedTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Pi4jDevicesTest {
    private final Context pi4j = Pi4J.newContextBuilder().noAutoDetect()
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
            .build();
    private final SimulatedTime scheduler = SimulatedTime.frozen(Instant.parse("2026-03-02T08:00:00Z"));
    private final Pi4jDevices devices = new Pi4jDevices(pi4j, scheduler, new Pi4jDevices.Settings(
            Duration.ofMillis(20),
            // bits come as fast as the test thread sends them; bounds wide enough for a slow build machine
            new WiegandDecoder.Timing(Duration.ZERO, Duration.ofMillis(500), Duration.ofMillis(500))), PrinterFactory.NONE);
    private final List<Signal> signals = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        devices.close();
        pi4j.shutdown();
        scheduler.close();
    }

    private DigitalOutput output(int bcm) {
        return pi4j.registry().get("bcm" + bcm, DigitalOutput.class);
    }

    private MockDigitalInput input(int bcm) {
        return pi4j.registry().get("bcm" + bcm, MockDigitalInput.class);
    }

    private static GpioPin pin(int bcm) {
        return new GpioPin(bcm, false);
    }

    private static GpioPin activeLow(int bcm) {
        return new GpioPin(bcm, true);
    }

    @Test
    void every_output_starts_at_its_safe_level() {
        devices.lock("locker-01", new LockWiring(pin(17), null, false), signals::add);
        devices.lock("locker-02", new LockWiring(activeLow(27), null, false), signals::add);
        devices.lock("door-1", new LockWiring(pin(22), null, true), signals::add);
        devices.light("light-1", new LightWiring(activeLow(5), null, pin(6)), signals::add);
        devices.copier("copier-1", new CopierWiring(pin(13), pin(19), null), signals::add);

        assertThat(output(17).state()).isEqualTo(DigitalState.LOW);
        assertThat(output(27).state()).as("active-low relay off").isEqualTo(DigitalState.HIGH);
        assertThat(output(22).state()).as("fail-safe strike energised").isEqualTo(DigitalState.HIGH);
        assertThat(output(5).state()).isEqualTo(DigitalState.HIGH);
        assertThat(output(6).state()).isEqualTo(DigitalState.LOW);
        assertThat(output(13).state()).isEqualTo(DigitalState.LOW);
        assertThat(output(27).config().initialState()).as("requested at the safe level").isEqualTo(DigitalState.HIGH);
    }

    @Test
    void a_pulse_unlocks_and_relocks_when_site_time_has_passed() {
        Lock lock = devices.lock("locker-01", new LockWiring(activeLow(17), null, false), signals::add);

        lock.pulse(Duration.ofMillis(500));
        assertThat(lock.unlocked()).isTrue();
        assertThat(output(17).state()).isEqualTo(DigitalState.LOW);

        scheduler.advance(Duration.ofMillis(499));
        assertThat(lock.unlocked()).isTrue();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(lock.unlocked()).isFalse();
        assertThat(output(17).state()).isEqualTo(DigitalState.HIGH);
    }

    @Test
    void a_new_pulse_restarts_the_time() {
        Lock lock = devices.lock("door-1", new LockWiring(pin(17), null, false), signals::add);

        lock.pulse(Duration.ofSeconds(5));
        scheduler.advance(Duration.ofSeconds(4));
        lock.pulse(Duration.ofSeconds(5));
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(lock.unlocked()).isTrue();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(lock.unlocked()).isFalse();
    }

    @Test
    void a_fail_safe_strike_is_de_energised_to_unlock() {
        Lock lock = devices.lock("door-1", new LockWiring(pin(17), null, true), signals::add);

        lock.hold();
        assertThat(output(17).state()).isEqualTo(DigitalState.LOW);
        lock.lock();
        assertThat(output(17).state()).isEqualTo(DigitalState.HIGH);
    }

    @Test
    void hold_keeps_the_lock_open_until_lock_even_over_a_pending_pulse() {
        Lock lock = devices.lock("door-1", new LockWiring(pin(17), null, false), signals::add);

        lock.pulse(Duration.ofSeconds(1));
        lock.hold();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(lock.unlocked()).isTrue();
        lock.lock();
        assertThat(lock.unlocked()).isFalse();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void a_pulse_of_no_time_is_refused_and_changes_nothing() {
        Lock lock = devices.lock("door-1", new LockWiring(pin(17), null, false), signals::add);

        assertThatThrownBy(() -> lock.pulse(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(lock.unlocked()).isFalse();
    }

    @Test
    void lock_feedback_is_reported_as_the_bolt_moves() {
        Lock lock = devices.lock("locker-01", new LockWiring(pin(17), activeLow(18), false), signals::add);
        assertThat(lock.hasFeedback()).isTrue();

        input(18).mockState(DigitalState.HIGH);
        input(18).mockState(DigitalState.LOW);

        assertThat(signals).containsExactly(
                new Signal.LockFeedback("locker-01", false), new Signal.LockFeedback("locker-01", true));
    }

    @Test
    void contact_edges_become_contact_signals() {
        DoorContact contact = devices.contact("door-1-contact", new InputWiring(pin(4)), signals::add);

        input(4).mockState(DigitalState.HIGH);
        assertThat(contact.open()).isTrue();
        input(4).mockState(DigitalState.LOW);

        assertThat(signals).containsExactly(
                new Signal.ContactChanged("door-1-contact", true), new Signal.ContactChanged("door-1-contact", false));
    }

    @Test
    void inputs_get_the_debounce_in_microseconds_and_the_pull_that_fits_their_level() {
        devices.contact("door-1-contact", new InputWiring(activeLow(4), Duration.ofMillis(30)), signals::add);
        devices.presence("pir-1", new InputWiring(pin(5)), signals::add);

        DigitalInput contact = pi4j.registry().get("bcm4", DigitalInput.class);
        assertThat(contact.config().debounce()).isEqualTo(30_000L);
        assertThat(contact.config().pull()).isEqualTo(com.pi4j.io.gpio.digital.PullResistance.PULL_UP);
        assertThat(pi4j.registry().get("bcm5", DigitalInput.class).config().pull())
                .isEqualTo(com.pi4j.io.gpio.digital.PullResistance.PULL_DOWN);
    }

    @Test
    void exit_button_reports_the_press_not_the_release() {
        devices.exitButton("door-1-exit", new InputWiring(activeLow(4)), signals::add);
        input(4).mockState(DigitalState.HIGH);  // pulled up: released
        signals.clear();

        input(4).mockState(DigitalState.LOW);
        input(4).mockState(DigitalState.HIGH);

        assertThat(signals).containsExactly(new Signal.ExitPressed("door-1-exit"));
    }

    @Test
    void presence_and_fire_report_both_edges() {
        devices.presence("pir-1", new InputWiring(pin(5)), signals::add);
        devices.fire("fire", new InputWiring(pin(6)), signals::add);

        input(5).mockState(DigitalState.HIGH);
        input(6).mockState(DigitalState.HIGH);
        input(6).mockState(DigitalState.LOW);

        assertThat(signals).containsExactly(new Signal.MotionChanged("pir-1", true),
                new Signal.FireChanged("fire", true), new Signal.FireChanged("fire", false));
    }

    @Test
    void counter_and_copier_count_one_per_pulse() {
        devices.counter("counter-entrance", new CounterWiring(pin(20), pin(21)), signals::add);
        Copier copier = devices.copier("copier-1", new CopierWiring(pin(13), pin(19), pin(26)), signals::add);
        assertThat(copier.countsColour()).isTrue();

        pulse(20);
        pulse(21);
        pulse(19);
        pulse(26);

        assertThat(signals).containsExactly(new Signal.PeopleCounted("counter-entrance", 1, 0),
                new Signal.PeopleCounted("counter-entrance", 0, 1),
                new Signal.PagesCounted("copier-1", 1, 0), new Signal.PagesCounted("copier-1", 0, 1));
    }

    @Test
    void amber_without_an_amber_lamp_is_green_and_red() {
        StatusLight light = devices.light("light-1", new LightWiring(pin(5), null, pin(6)), signals::add);

        light.show(LightColor.AMBER, false);

        assertThat(output(5).state()).isEqualTo(DigitalState.HIGH);
        assertThat(output(6).state()).isEqualTo(DigitalState.HIGH);
        light.show(LightColor.RED, false);
        assertThat(output(5).state()).isEqualTo(DigitalState.LOW);
        assertThat(output(6).state()).isEqualTo(DigitalState.HIGH);
    }

    @Test
    void a_blinking_light_toggles_with_site_time_and_stops_when_told() {
        StatusLight light = devices.light("light-1", new LightWiring(pin(5), pin(7), pin(6)), signals::add);

        light.show(LightColor.AMBER, true);
        assertThat(output(7).state()).isEqualTo(DigitalState.HIGH);
        scheduler.advance(Duration.ofMillis(500));
        assertThat(output(7).state()).isEqualTo(DigitalState.LOW);
        scheduler.advance(Duration.ofMillis(500));
        assertThat(output(7).state()).isEqualTo(DigitalState.HIGH);

        light.show(LightColor.GREEN, false);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(output(5).state()).isEqualTo(DigitalState.HIGH);
        assertThat(output(7).state()).isEqualTo(DigitalState.LOW);
        assertThat(light.blinking()).isFalse();
    }

    @Test
    void close_drives_every_output_safe() {
        Lock lock = devices.lock("locker-01", new LockWiring(activeLow(17), null, false), signals::add);
        Copier copier = devices.copier("copier-1", new CopierWiring(pin(13), pin(19), null), signals::add);
        StatusLight light = devices.light("light-1", new LightWiring(pin(5), null, pin(6)), signals::add);
        DigitalOutput lockOut = output(17);
        DigitalOutput enable = output(13);
        DigitalOutput green = output(5);
        lock.hold();
        copier.enable(true);
        light.show(LightColor.GREEN, true);
        assertThat(lockOut.state()).isEqualTo(DigitalState.LOW);

        devices.close();

        assertThat(lockOut.state()).isEqualTo(DigitalState.HIGH);
        assertThat(enable.state()).isEqualTo(DigitalState.LOW);
        assertThat(green.state()).isEqualTo(DigitalState.LOW);
        assertThat(lock.unlocked()).isFalse();
        lock.hold();
        assertThat(lockOut.state()).as("a closed lock ignores commands").isEqualTo(DigitalState.HIGH);
    }

    @Test
    void closing_one_device_makes_it_safe_and_frees_its_pins() {
        Lock lock = devices.lock("locker-01", new LockWiring(pin(17), null, false), signals::add);
        DigitalOutput out = output(17);
        lock.hold();

        lock.close();

        assertThat(out.state()).isEqualTo(DigitalState.LOW);
        Lock again = devices.lock("locker-01", new LockWiring(pin(17), null, false), signals::add);
        assertThat(again.unlocked()).isFalse();
    }

    @Test
    void a_pin_used_twice_is_refused_with_both_users_named_and_nothing_changes() {
        devices.lock("locker-01", new LockWiring(pin(17), null, false), signals::add);

        assertThatThrownBy(() -> devices.contact("door-1-contact", new InputWiring(pin(17)), signals::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GPIO17").hasMessageContaining("locker-01");
        assertThatThrownBy(() -> devices.counter("counter-1", new CounterWiring(pin(20), pin(20)), signals::add))
                .isInstanceOf(IllegalArgumentException.class);
        devices.counter("counter-1", new CounterWiring(pin(20), pin(21)), signals::add);
        assertThat(output(17).state()).isEqualTo(DigitalState.LOW);
    }

    @Test
    void a_failing_listener_does_not_stop_later_signals() {
        List<Signal> seen = new CopyOnWriteArrayList<>();
        devices.contact("door-1-contact", new InputWiring(pin(4)), s -> {
            seen.add(s);
            throw new IllegalStateException("boom");
        });

        input(4).mockState(DigitalState.HIGH);
        input(4).mockState(DigitalState.LOW);

        assertThat(seen).hasSize(2);
    }

    @Test
    void a_wiegand_reader_turns_pulses_into_a_card() {
        devices.cardReader("reader-1", new WiegandWiring(activeLow(23), activeLow(24)), signals::add);
        input(23).mockState(DigitalState.HIGH);
        input(24).mockState(DigitalState.HIGH);

        send(WiegandEncoder.encode("04A1B2C3D4E501"));

        await().untilAsserted(() -> assertThat(signals).containsExactly(
                new Signal.CardPresented("reader-1", "04A1B2C3D4E501")));
    }

    @Test
    void a_wiegand_frame_with_bad_parity_is_unreadable() {
        devices.cardReader("reader-1", new WiegandWiring(activeLow(23), activeLow(24)), signals::add);
        input(23).mockState(DigitalState.HIGH);
        input(24).mockState(DigitalState.HIGH);
        String frame = WiegandEncoder.encode("1A2B3C");

        send((frame.charAt(0) == '0' ? "1" : "0") + frame.substring(1));

        await().untilAsserted(() -> assertThat(signals).singleElement()
                .isInstanceOfSatisfying(Signal.CardUnreadable.class, s -> assertThat(s.reason()).contains("parity")));
    }

    private void send(String bits) {
        for (char c : bits.toCharArray()) {
            MockDigitalInput line = input(c == '0' ? 23 : 24);
            line.mockState(DigitalState.LOW);
            line.mockState(DigitalState.HIGH);
        }
    }

    private void pulse(int bcm) {
        input(bcm).mockState(DigitalState.HIGH);
        input(bcm).mockState(DigitalState.LOW);
    }
}
