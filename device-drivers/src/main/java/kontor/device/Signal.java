package kontor.device;

/** Something a device observed. Every signal names the device that saw it. */
public sealed interface Signal {

    String device();

    /** A reader read a card. {@code card} is the raw identifier as hex digits; never log it. */
    record CardPresented(String device, String card) implements Signal {
        @Override
        public String toString() {
            return "CardPresented[" + device + ", " + Cards.mask(card) + "]";
        }
    }

    /** A reader saw a frame it could not trust (wrong length, parity error, timing). */
    record CardUnreadable(String device, String reason) implements Signal { }

    /** A door or locker-door contact changed. */
    record ContactChanged(String device, boolean open) implements Signal { }

    /** A lock's feedback input changed: whether the bolt reports locked. */
    record LockFeedback(String device, boolean locked) implements Signal { }

    /** The exit (request-to-exit) button of a door was pressed. */
    record ExitPressed(String device) implements Signal { }

    /** A presence sensor saw motion start or stop. */
    record MotionChanged(String device, boolean motion) implements Signal { }

    /** A people counter counted people passing in and out. */
    record PeopleCounted(String device, int in, int out) implements Signal { }

    /** A copier reported finished pages (one pulse per page). */
    record PagesCounted(String device, int mono, int colour) implements Signal { }

    /** A loan computer's bay input changed: the laptop is in its bay or not, or its charger reports it full or not. */
    record BaySensed(String device, BayInput.Sense sense, boolean active) implements Signal { }

    /** The fire-alarm input became active or cleared. */
    record FireChanged(String device, boolean active) implements Signal { }

    /** A printer's state was read. */
    record PrinterReport(String device, PrinterStatus status) implements Signal { }

    /** A battery-powered device reported its charge, in percent. */
    record BatteryReport(String device, int percent) implements Signal { }

    /** A device's health changed. */
    record HealthChanged(String device, Health health) implements Signal { }
}
