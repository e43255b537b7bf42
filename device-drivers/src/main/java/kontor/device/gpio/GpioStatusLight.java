package kontor.device.gpio;

import java.time.Duration;
import java.util.Objects;
import kontor.device.DeviceListener;
import kontor.device.LightColor;
import kontor.device.StatusLight;
import kontor.time.Scheduler;

/** A status light of up to three lamps; without an amber lamp, amber is green and red together. */
final class GpioStatusLight extends DeviceBase implements StatusLight {
    static final Duration BLINK_HALF_PERIOD = Duration.ofMillis(500);

    private final Scheduler scheduler;
    private OutputLine green;
    private OutputLine amber;
    private OutputLine red;
    private LightColor color = LightColor.OFF;
    private boolean blinking;
    private boolean lit;
    private long generation;
    private Scheduler.Timer blinker;

    GpioStatusLight(String id, DeviceListener listener, Scheduler scheduler) {
        super(id, listener);
        this.scheduler = scheduler;
    }

    void wire(OutputLine green, OutputLine amber, OutputLine red) {
        this.green = green;
        this.amber = amber;
        this.red = red;
    }

    @Override
    public synchronized void show(LightColor color, boolean blinking) {
        Objects.requireNonNull(color, "color");
        if (isClosed()) {
            return;
        }
        stopBlinking();
        this.color = color;
        this.blinking = blinking && color != LightColor.OFF;
        apply(color);
        if (this.blinking) {
            long mine = generation;
            blinker = scheduler.every(BLINK_HALF_PERIOD, () -> toggle(mine));
        }
    }

    private synchronized void toggle(long blinkGeneration) {
        if (blinkGeneration != generation || isClosed()) {
            return;
        }
        apply(lit ? LightColor.OFF : color);
    }

    @Override
    public synchronized LightColor color() {
        return color;
    }

    @Override
    public synchronized boolean blinking() {
        return blinking;
    }

    @Override
    synchronized void beforeClose() {
        stopBlinking();
        color = LightColor.OFF;
        blinking = false;
        apply(LightColor.OFF);
    }

    private void stopBlinking() {
        generation++;
        if (blinker != null) {
            blinker.cancel();
            blinker = null;
        }
    }

    private void apply(LightColor shown) {
        boolean mixAmber = shown == LightColor.AMBER && amber == null;
        green.set(shown == LightColor.GREEN || mixAmber);
        red.set(shown == LightColor.RED || mixAmber);
        if (amber != null) {
            amber.set(shown == LightColor.AMBER);
        }
        lit = shown != LightColor.OFF;
    }
}
