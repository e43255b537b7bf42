package kontor.sim.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.device.Lock;
import kontor.device.Signal;
import kontor.device.PrinterFactory;
import kontor.device.gpio.Pi4jDevices;
import kontor.device.wiring.ExpanderPin;
import kontor.device.wiring.GpioPin;
import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LockWiring;
import kontor.time.SystemScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedDoorTest {
    private static final LockWiring STRIKE = new LockWiring(new GpioPin(17, false), new GpioPin(18, true), false);
    private static final InputWiring CONTACT = new InputWiring(new GpioPin(4, false));

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

    @Test
    void opening_a_locked_door_forces_it_but_it_opens() {
        devices.lock("door-1", STRIKE, signals::add);
        devices.contact("door-1-contact", CONTACT, signals::add);
        SimulatedDoor door = new SimulatedDoor(board, STRIKE, CONTACT);

        assertThat(door.open()).as("not let in").isFalse();

        assertThat(door.isOpen()).isTrue();
        assertThat(signals).contains(new Signal.ContactChanged("door-1-contact", true));
    }

    @Test
    void opening_an_unlocked_door_is_a_normal_opening_and_closing_reports_closed() {
        Lock lock = devices.lock("door-1", STRIKE, signals::add);
        devices.contact("door-1-contact", CONTACT, signals::add);
        SimulatedDoor door = new SimulatedDoor(board, STRIKE, CONTACT);

        lock.hold();
        assertThat(door.open()).isTrue();
        door.close();

        assertThat(door.isOpen()).isFalse();
        assertThat(signals).containsSubsequence(new Signal.ContactChanged("door-1-contact", true),
                new Signal.ContactChanged("door-1-contact", false));
    }

    @Test
    void a_fail_safe_strike_holds_while_energised() {
        LockWiring failSafe = new LockWiring(new GpioPin(22, false), null, true);
        Lock lock = devices.lock("door-2", failSafe, signals::add);
        SimulatedDoor door = new SimulatedDoor(board, failSafe, null);

        assertThat(door.locked()).isTrue();
        lock.hold();
        assertThat(door.locked()).isFalse();
    }

    @Test
    void feedback_follows_the_lock_output() {
        Lock lock = devices.lock("door-1", STRIKE, signals::add);
        new SimulatedDoor(board, STRIKE, CONTACT);
        signals.clear();

        lock.hold();
        lock.lock();

        assertThat(signals).containsExactly(new Signal.LockFeedback("door-1", false), new Signal.LockFeedback("door-1", true));
    }

    @Test
    void a_jammed_lock_keeps_its_feedback_until_it_is_freed() {
        Lock lock = devices.lock("door-1", STRIKE, signals::add);
        SimulatedDoor door = new SimulatedDoor(board, STRIKE, CONTACT);
        lock.hold();
        signals.clear();

        door.jam(true);
        lock.lock();
        assertThat(signals).isEmpty();

        door.jam(false);
        assertThat(signals).containsExactly(new Signal.LockFeedback("door-1", true));
    }

    @Test
    void a_locker_door_on_an_expander_has_the_same_physics() {
        LockWiring locker = new LockWiring(new ExpanderPin(1, 0x20, 0, true), new ExpanderPin(1, 0x20, 8, true), false);
        InputWiring lockerDoor = new InputWiring(new ExpanderPin(1, 0x20, 9, true));
        // the door is there before the gateway starts: its feedback reads locked from the first poll
        SimulatedDoor door = new SimulatedDoor(board, locker, lockerDoor);
        Lock lock = devices.lock("locker-01", locker, signals::add);
        devices.contact("locker-01-door", lockerDoor, signals::add);
        assertThat(door.locked()).isTrue();

        lock.hold();
        assertThat(door.open()).isTrue();

        await().untilAsserted(() -> assertThat(signals).contains(
                new Signal.LockFeedback("locker-01", false), new Signal.ContactChanged("locker-01-door", true)));
    }
}
