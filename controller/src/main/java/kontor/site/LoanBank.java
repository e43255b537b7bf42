package kontor.site;

import java.util.List;

/**
 * A bank of loan computers (one charging locker) sharing one reader; {@code deposit} (minor units, 0 = free of
 * charge) is held while a laptop is lent, through the same money rules as a day locker's deposit. {@code calendar}
 * (null when none) is the bank's linked booking calendar: each of its events books one laptop of the bank.
 */
public record LoanBank(String id, String name, ReaderSpec reader, long deposit, List<LoanComputerSpec> computers,
                       CalendarSpec calendar) {
    public LoanBank {
        computers = List.copyOf(computers);
    }

    /** This bank linked to {@code calendar} (the demo's {@code --caldav}). */
    public LoanBank withCalendar(CalendarSpec calendar) {
        return new LoanBank(id, name, reader, deposit, computers, calendar);
    }
}
