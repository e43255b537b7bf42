package kontor.lockers;

import static kontor.core.Events.fields;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kontor.calendars.CalendarTarget;
import kontor.core.SiteContext;
import kontor.members.Member;
import kontor.site.CalendarSpec;
import kontor.site.LoanBank;
import kontor.site.LoanComputerSpec;
import kontor.store.SqlTime;
import kontor.store.Tx;

/**
 * The loan computers' side of the linked calendars (docs/loan-computers.md, "Booking by calendar"): a loan bank
 * with a {@code calendar:} is one bookable pool (each event books one laptop, the first of the bank free through
 * the whole event, as {@code loan.book} with {@code bank} does), a loan computer with a {@code calendar:} is that
 * one laptop. A bank's calendar books only the computers that have no calendar of their own, and a loan made on the
 * spot is written to its computer's calendar if it has one, else to its bank's.
 *
 * <p>Unlike a room, a laptop is lent to one member at a time: an event that finds no computer free is flagged,
 * whichever booking holds it (rule 2 of {@link kontor.calendars.Calendars}), and a laptop still out past its
 * booking's end holds its computer until it is back.
 */
public final class LoanCalendars {
    static final String SOURCE = "calendar";

    private LoanCalendars() { }

    /** Every linked bank and computer of the site, as targets of the calendars' sync. */
    public static List<CalendarTarget> targets(SiteContext site, LoanService loans) {
        LoanStore store = new LoanStore(); // stateless: the same tables as the service's
        List<CalendarTarget> out = new ArrayList<>();
        for (LoanBank bank : site.site().loanBanks()) {
            List<String> pooled = bank.computers().stream().filter(c -> c.calendar() == null)
                    .sorted(Comparator.comparingInt(LoanComputerSpec::number)).map(LoanComputerSpec::id).toList();
            if (bank.calendar() != null) {
                out.add(new Target(bank.id(), "bank", bank.calendar(), pooled, site, loans, store));
            }
            for (LoanComputerSpec c : bank.computers()) {
                if (c.calendar() != null) {
                    out.add(new Target(c.id(), "computer", c.calendar(), List.of(c.id()), site, loans, store));
                }
            }
        }
        return out;
    }

    private static final class Target implements CalendarTarget {
        private final String id;
        private final String kind;
        private final CalendarSpec calendar;
        /** The computers it books, in the order a bank hands them out. */
        private final List<String> computers;
        private final SiteContext site;
        private final LoanService loans;
        private final LoanStore store;

        Target(String id, String kind, CalendarSpec calendar, List<String> computers, SiteContext site,
               LoanService loans, LoanStore store) {
            this.id = id;
            this.kind = kind;
            this.calendar = calendar;
            this.computers = computers;
            this.site = site;
            this.loans = loans;
            this.store = store;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public CalendarSpec calendar() {
            return calendar;
        }

        @Override
        public Optional<Held> booking(Tx tx, String bookingId) throws SQLException {
            return store.get(tx, bookingId).map(LoanCalendars::held);
        }

        @Override
        public Booked book(Tx tx, String member, Instant start, Instant end, Set<String> fromCalendar, String ref)
                throws SQLException {
            List<LoanBooking> live = store.live(tx);
            Instant now = site.clock().now();
            // In service first: a computer out of order is booked only when no other is free.
            List<String> order = computers.stream().filter(c -> loans.isLoanComputer(c))
                    .sorted(Comparator.comparing(c -> loans.inService(c) ? 0 : 1)).toList();
            for (String c : order) {
                if (holder(live, c, null, start, end, now).isEmpty()) {
                    LoanBooking b = new LoanBooking(UUID.randomUUID().toString(), c, member, SqlTime.stored(start),
                            SqlTime.stored(end), LoanBooking.BOOKED, SOURCE, ref, null, null, null, SqlTime.stored(now));
                    store.insert(tx, b);
                    site.events().emit(tx, "loan.booked", c, fields("member", member, "booking", b.id(),
                            "start", b.start(), "end", b.end(), "source", SOURCE, "by", null));
                    return new Booked(b.id(), null);
                }
            }
            String heldBy = order.stream().map(c -> holder(live, c, null, start, end, now)).flatMap(Optional::stream)
                    .map(LoanBooking::id).findFirst().orElse("no_computer");
            return new Booked(null, heldBy);
        }

        /** {@code loan.book}'s own rule: no laptop for a member revoked, or not valid until the event's end. */
        @Override
        public String refuses(Member member, Instant end) {
            return LoanService.memberRefusal(member, end);
        }

        @Override
        public boolean move(Tx tx, Held held, String member, Instant start, Instant end) throws SQLException {
            Optional<LoanBooking> b = store.get(tx, held.id());
            if (b.isEmpty() || !b.get().live()) {
                return true;
            }
            if (holder(store.live(tx), b.get().computer(), b.get().id(), start, end, site.clock().now()).isPresent()) {
                return false;
            }
            // A lent laptop is with its member: only the end may follow the calendar.
            store.reschedule(tx, b.get().id(), b.get().lent() ? b.get().member() : member, SqlTime.stored(start),
                    SqlTime.stored(end));
            return true;
        }

        @Override
        public void release(Tx tx, Held held, String reason) throws SQLException {
            Optional<LoanBooking> b = store.get(tx, held.id());
            // A lent laptop's loan ends only when it is back in its bay, whatever the calendar says.
            if (b.isPresent() && b.get().live() && !b.get().lent()) {
                store.end(tx, b.get().id(), LoanBooking.CANCELLED, site.clock().now());
                site.events().emit(tx, "loan.released", b.get().computer(), fields("member", b.get().member(),
                        "booking", b.get().id(), "reason", reason, "by", null));
            }
        }

        @Override
        public List<Held> walkUps(Tx tx, Instant since) throws SQLException {
            return store.spotSince(tx, since).stream().filter(b -> computers.contains(b.computer()))
                    .map(LoanCalendars::held).toList();
        }

        @Override
        public void refresh() {
            loans.refresh();
        }
    }

    /**
     * The live booking that holds {@code computer} in [{@code start}, {@code end}), other than {@code except}. A
     * laptop still out after its booking's end holds its computer until it is back.
     */
    private static Optional<LoanBooking> holder(List<LoanBooking> live, String computer, String except, Instant start,
                                                Instant end, Instant now) {
        return live.stream().filter(b -> b.computer().equals(computer) && !Objects.equals(b.id(), except))
                .filter(b -> b.overlaps(start, end) || (b.lent() && !b.end().isAfter(now) && end.isAfter(now)))
                .findFirst();
    }

    private static CalendarTarget.Held held(LoanBooking b) {
        return new CalendarTarget.Held(b.id(), b.member(), b.start(), b.end(), b.live(), b.started(),
                LoanBooking.NO_SHOW.equals(b.status()));
    }
}
