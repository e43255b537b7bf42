package kontor.site;

import java.util.List;

/** A bank of lockers sharing one reader; {@code deposit} (minor units) is held while a day locker is claimed. */
public record LockerBank(String id, String name, ReaderSpec reader, long deposit, List<LockerSpec> lockers) {
    public LockerBank {
        lockers = List.copyOf(lockers);
    }
}
