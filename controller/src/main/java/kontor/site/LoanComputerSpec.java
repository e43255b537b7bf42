package kontor.site;

import kontor.device.wiring.InputWiring;
import kontor.device.wiring.LockWiring;

/**
 * A loan computer: a laptop in a bay of a charging locker. The bay has a lock and a door contact (both
 * required: a loan ends only when the laptop is back <em>and</em> the door is shut, so the contact cannot be
 * optional as it is for a plain locker), a {@code present} input (a charger current sense or a microswitch,
 * active = the laptop is in its bay) and an optional {@code charged} input (active = the charger reports it
 * full; {@code charged} is null when the bay has none, and then a present laptop counts as charged once it has
 * been in its bay for {@code policy.loan_recharge}). {@code calendar} (null when none) is this one computer's
 * linked booking calendar, for a booking system that lists each laptop as a resource of its own.
 */
public record LoanComputerSpec(String id, String bank, int number, LockWiring lock, InputWiring contact,
                               InputWiring present, InputWiring charged, CalendarSpec calendar) implements DeviceSpec {
    public static final String KIND = "loan_computer";

    @Override
    public String kind() {
        return KIND;
    }

    public boolean hasChargeInput() {
        return charged != null;
    }
}
