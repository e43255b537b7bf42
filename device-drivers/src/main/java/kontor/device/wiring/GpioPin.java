package kontor.device.wiring;

/** A pin of the Pi's header, in BCM numbering (0–27). */
public record GpioPin(int bcm, boolean activeLow) implements Pin {
    public GpioPin {
        if (bcm < 0 || bcm > 27) {
            throw new IllegalArgumentException("BCM pin must be 0..27, not " + bcm);
        }
    }

    @Override
    public String describe() {
        return "GPIO" + bcm + (activeLow ? " (active low)" : "");
    }
}
