package kontor.console;

import java.util.List;

/**
 * What the templates show: plain values, already in words and never a full card number. The pages
 * ({@code src/main/jte/console/*.jte}) are compiled against these at build time.
 */
public final class Views {
    private Views() { }

    /** What every page has: the words, who is logged in, the CSRF token for its forms, a message after a change. */
    public record Page(Strings strings, String title, String nav, String siteName, String user, Role role, String csrf,
                       String flash, boolean flashError) {
        public String t(String key, Object... args) {
            return strings.t(key, args);
        }

        public String lang() {
            return strings.lang();
        }

        /** Whether the user may change things (a monitor only looks). */
        public boolean canAct() {
            return role != null && role.atLeast(Role.HOST);
        }

        public boolean isAdmin() {
            return role == Role.ADMIN;
        }

        public boolean current(String item) {
            return item.equals(nav);
        }
    }

    public record Kv(String key, String value) { }

    public record RoomView(String id, String name, int seats, String status, String light, boolean occupied,
                           String bookingNow, String next) { }

    public record DoorView(String id, boolean locked, boolean open, String problem) { }

    public record SiteView(boolean open, String hoursToday, int present, int capacity, List<RoomView> rooms,
                           List<DoorView> doors, boolean hasFireInput, boolean fire, int activeAlarms) { }

    public record AlarmView(String id, String type, String device, String raised, String age, boolean acked, String ackedBy) { }

    public record EventView(long seq, String time, String type, String device, String member, String detail) { }

    public record AlarmsView(List<AlarmView> active, List<EventView> history) { }

    /** {@code problem}: the type of an alarm on the locker ({@code locker.left_open} …), or null. */
    public record LockerView(String id, int number, String type, String status, String holder, String until,
                             boolean open, boolean locked, boolean jammed, String problem) { }

    public record BankView(String id, String name, List<LockerView> lockers) { }

    /**
     * A loan computer's bay: its status as {@code loans/…/state} says it, who holds or booked it (from
     * {@code loans.list}, whose booking {@code booking} is the one a host may cancel while not yet lent), an alarm on it.
     */
    public record LoanView(String id, int number, String status, String holder, String span, boolean lent, String booking,
                           boolean open, boolean locked, boolean present, boolean charged, String problem) { }

    public record LoanBankView(String id, String name, List<LoanView> computers) { }

    public record LockersView(List<BankView> banks, List<LoanBankView> loans) { }

    /**
     * {@code email} is masked as the command layer gives it; {@code printQueue}: whether the site has one;
     * {@code loans} is null on a site without loan computers.
     */
    public record MemberView(String member, String role, String balance, String validUntil, boolean revoked,
                             List<String> lockers, List<String> bookings, String email, boolean printQueue,
                             String printName, int printJobs, List<String> loans) { }

    public record MembersView(List<EventView> deskTaps, MemberView found, String query, List<String> deskReaders) { }

    public record BookingView(String id, String start, String end, String member, boolean checkedIn) { }

    public record RoomDay(String room, String name, List<BookingView> bookings) { }

    public record BookingsView(String date, List<RoomDay> rooms) { }

    public record DeviceView(String id, String kind, boolean available, List<Kv> state) { }

    /**
     * A job of the held print queue, as {@code print.jobs} gives it: never a document name. {@code printer} is
     * null while it is held (any release printer takes it at its member's tap).
     */
    public record PrintJobView(long job, String member, int pages, String size, boolean colour, String age,
                               String status, String printer) {
        public boolean held() {
            return "held".equals(status);
        }
    }

    /**
     * {@code releasePrinters}: the printers that release held jobs (none: the site has no print queue). {@code jobs}
     * are the oldest of the queue; {@code moreJobs}: the queue has more than those.
     */
    public record PrintersView(List<DeviceView> printers, List<DeviceView> copiers, List<String> releasePrinters,
                               List<PrintJobView> jobs, boolean moreJobs) { }

    /** {@code query} repeats the filters for the live refresh, which only the newest page has. */
    public record EventsView(List<EventView> events, String type, String device, String member, String before,
                             Long olderThan, String query, boolean newest) { }

    public record ScreenRoom(String name, boolean free, String until) { }

    public record ScreenView(boolean open, String hoursToday, int present, int capacity, List<ScreenRoom> rooms) { }

    public record UserView(String name, String role, boolean paused) { }

    public record UsersView(List<UserView> users) { }
}
