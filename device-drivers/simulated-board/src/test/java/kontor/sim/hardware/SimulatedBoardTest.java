package kontor.sim.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.device.DoorContact;
import kontor.device.ExitButton;
import kontor.device.Health;
import kontor.device.Lock;
import kontor.device.Signal;
import kontor.device.PrinterFactory;
import kontor.device.gpio.Pi4jDevices;
import kontor.device.wiring.ExpanderPin;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LockWiring;
import kontor.device.wiring.WiegandWiring;
import kontor.time.SystemScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real Pi4J drivers on simulated hardware. */
class SimulatedBoardTest {
    private static final WiegandWiring READER = new WiegandWiring(new GpioPin(23, true), new GpioPin(24, true));

    private final SimulatedBoard board = new SimulatedBoard();
    private final SystemScheduler scheduler = new SystemScheduler("test-site");
    private final Pi4jDevices devices = new Pi4jDevices(board.pi4j(), scheduler, SimulatedBoard.DRIVER_SETTINGS, PrinterFactory.NONE);
    private final List<Signal> signals = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        devices.close();
        board.close();
        scheduler.close();
    }

    private static ExpanderPin expander(int address, int pin) {
        return new ExpanderPin(1, address, pin, true);
    }

    @Test
    void a_presented_7_byte_card_arrives_with_the_same_number() {
        devices.cardReader("reader-room-1", READER, signals::add);

        board.presentCard(READER, "04A1B2C3D4E501");

        await().untilAsserted(() -> assertThat(signals)
                .containsExactly(new Signal.CardPresented("reader-room-1", "04A1B2C3D4E501")));
    }

    @Test
    void cards_of_each_length_presented_one_after_the_other_arrive_in_order() {
        devices.cardReader("reader-room-1", READER, signals::add);

        board.presentCard(READER, "1A2B3C");
        board.presentCard(READER, "DEADBEEF");
        board.presentCard(READER, "04A1B2C3D4E502");

        await().untilAsserted(() -> assertThat(signals).containsExactly(
                new Signal.CardPresented("reader-room-1", "1A2B3C"),
                new Signal.CardPresented("reader-room-1", "DEADBEEF"),
                new Signal.CardPresented("reader-room-1", "04A1B2C3D4E502")));
    }

    @Test
    void a_frame_with_bad_parity_is_unreadable() {
        devices.cardReader("reader-room-1", READER, signals::add);
        String frame = new StringBuilder(kontor.device.wiegand.WiegandEncoder.encode("04A1B2C3D4E501"))
                .reverse().toString();  // same bits, wrong order: the parity no longer holds

        board.sendWiegandBits(READER, frame.charAt(0) == '0' ? "1" + frame.substring(1) : "0" + frame.substring(1));

        await().untilAsserted(() -> assertThat(signals).singleElement()
                .isInstanceOfSatisfying(Signal.CardUnreadable.class, s -> assertThat(s.reason()).contains("parity")));
    }

    @Test
    void bad_card_input_is_refused_at_once() {
        assertThatThrownBy(() -> board.presentCard(READER, "12345")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> board.sendWiegandBits(READER, "01x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_bank_of_16_locks_on_one_expander_pulses_the_right_pin() {
        List<Lock> locks = new ArrayList<>();
        for (int pin = 0; pin < 16; pin++) {
            locks.add(devices.lock(String.format("locker-%02d", pin + 1),
                    new LockWiring(expander(0x20, pin), null, false), signals::add));
        }
        for (int pin = 0; pin < 16; pin++) {
            assertThat(board.isActive(expander(0x20, pin))).as("pin %d starts locked", pin).isFalse();
        }

        locks.get(11).pulse(Duration.ofMinutes(1));
        locks.get(2).pulse(Duration.ofMillis(50));

        for (int pin = 0; pin < 16; pin++) {
            assertThat(board.isActive(expander(0x20, pin))).as("pin %d", pin).isEqualTo(pin == 11 || pin == 2);
        }
        await().untilAsserted(() -> assertThat(board.isActive(expander(0x20, 2))).isFalse());
        assertThat(board.isActive(expander(0x20, 11))).isTrue();
        locks.get(11).lock();
        assertThat(board.isActive(expander(0x20, 11))).isFalse();
    }

    @Test
    void after_a_kill_the_expanders_keep_their_outputs_until_the_next_drivers_make_them_safe() {
        ExpanderPin pin = expander(0x20, 5);
        devices.lock("locker-06", new LockWiring(pin, null, false), signals::add).hold();
        assertThat(board.isActive(pin)).isTrue();

        SimulatedBoard next = board.afterKill(); // no close: a killed process puts nothing safe
        try {
            assertThat(next.isActive(pin)).as("the chip keeps its register").isTrue();
            Pi4jDevices nextDevices = new Pi4jDevices(next.pi4j(), scheduler, SimulatedBoard.DRIVER_SETTINGS, PrinterFactory.NONE);
            try {
                nextDevices.lock("locker-06", new LockWiring(pin, null, false), signals::add);
                assertThat(next.isActive(pin)).as("the next process's driver locks it").isFalse();
            } finally {
                nextDevices.close();
            }
        } finally {
            next.close();
        }
    }

    @Test
    void an_expander_that_stops_answering_takes_its_devices_offline_and_back() {
        List<Signal> other = new CopyOnWriteArrayList<>();
        Lock lock = devices.lock("locker-01", new LockWiring(expander(0x20, 0), null, false), signals::add);
        DoorContact contact = devices.contact("locker-01-door", new InputWiring(expander(0x20, 8)), signals::add);
        Lock elsewhere = devices.lock("locker-17", new LockWiring(expander(0x21, 0), null, false), other::add);

        board.failExpander(1, 0x20, true);

        await().untilAsserted(() -> assertThat(signals).filteredOn(Signal.HealthChanged.class::isInstance)
                .extracting(Signal::device).containsExactlyInAnyOrder("locker-01", "locker-01-door"));
        assertThat(lock.health().isOnline()).isFalse();
        assertThat(contact.health().detail()).contains("mcp23017@1:0x20");
        assertThat(elsewhere.health()).isEqualTo(Health.ONLINE);

        lock.hold();  // commanded while the chip is away: applied when it answers again
        signals.clear();
        board.failExpander(1, 0x20, false);

        await().untilAsserted(() -> assertThat(signals).containsExactlyInAnyOrder(
                new Signal.HealthChanged("locker-01", Health.ONLINE),
                new Signal.HealthChanged("locker-01-door", Health.ONLINE)));
        assertThat(board.isActive(expander(0x20, 0))).isTrue();
        assertThat(other).isEmpty();
    }

    @Test
    void an_expander_input_is_polled_and_reported() {
        ExpanderPin pin = expander(0x22, 4);
        DoorContact contact = devices.contact("locker-01-door", new InputWiring(pin), signals::add);
        assertThat(contact.open()).isFalse();

        board.drive(pin, true);

        await().untilAsserted(() -> assertThat(signals)
                .containsExactly(new Signal.ContactChanged("locker-01-door", true)));
        assertThat(contact.open()).isTrue();
    }

    @Test
    void an_active_low_input_idles_inactive_on_its_pull_up() {
        GpioPin button = new GpioPin(4, true);
        List<Signal> seen = new ArrayList<>();
        ExitButton exit = devices.exitButton("door-1-exit", new InputWiring(button), seen::add);

        board.drive(button, true);

        assertThat(seen).containsExactly(new Signal.ExitPressed("door-1-exit"));
        assertThat(exit.health()).isEqualTo(Health.ONLINE);
    }

    @Test
    void a_line_driven_before_its_driver_exists_keeps_its_level() {
        GpioPin pin = new GpioPin(4, true);
        board.drive(pin, true);

        DoorContact contact = devices.contact("door-1-contact", new InputWiring(pin), signals::add);

        assertThat(contact.open()).isTrue();
    }

    @Test
    void an_output_no_driver_made_cannot_be_read() {
        assertThatThrownBy(() -> board.isActive(new GpioPin(17, false)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GPIO17");
    }

    @Test
    void watchers_see_each_change_of_an_output_by_meaning() {
        GpioPin out = new GpioPin(17, true);
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        board.watch(out, seen::add);
        Lock lock = devices.lock("door-1", new LockWiring(out, null, false), signals::add);

        lock.hold();
        lock.lock();

        assertThat(seen).containsExactly(false, true, false);
    }
}
