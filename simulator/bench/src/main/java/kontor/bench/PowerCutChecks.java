package kontor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import kontor.mqtt.Json;
import kontor.store.Database;
import kontor.store.SqlTime;
import kontor.store.Tx;

/**
 * What the power-cut figure checks after each kill beyond the journal: that the print queue and the calendar
 * sync of the child ({@link PowerCutChild}) left the database as whole transactions do, and kept what the child
 * was told had committed.
 *
 * <p>The print queue: every job the child was told released is charged ({@code powercut.print}'s
 * {@code lost} otherwise), and every job's state, its ledger postings ({@code print:<job>}, {@code
 * print-refund:<job>}) and its events ({@code print.job_*}, {@code payment.charged}/{@code credited}) agree: a
 * job charged has exactly one charge, one {@code print.job_released} and one {@code payment.charged} of the same
 * amount; a job never released has no posting; each account's balance is the sum of its postings.
 *
 * <p>The calendar: room-2's slots are exactly one generation of {@link PowerCutCalendar} (no sync half applied),
 * not older than the last one the child was told was applied; every slot's booking is there, live, at the slot's
 * time; every booking of the room has one {@code booking.created}, one {@code booking.released} once released,
 * and a live one belongs to a slot; every booking event names a booking that is there.
 *
 * <p>A violation is a sentence that stays the same while the fault stays in the database, so each is counted
 * once, in the round that made it. Events are read once each (the journal's own check covers their staying).
 */
final class PowerCutChecks {
    private static final Set<String> CHARGED = Set.of("releasing", "completed", "failed");
    private static final Set<String> UNCHARGED = Set.of("held", "expired", "cancelled");

    private final Instant anchor;
    /** Events read so far, counted: "type|job" or "type|booking" to how many; and the amount of each release. */
    private final Map<String, Integer> eventCounts = new HashMap<>();
    private final Map<Integer, Long> releasedAmount = new HashMap<>();
    private final Set<Integer> jobsInEvents = new HashSet<>();
    private final Set<String> bookingsInEvents = new HashSet<>();
    private long eventsReadTo;

    private final Set<String> printSeen = new HashSet<>();
    private final Set<String> calendarSeen = new HashSet<>();
    private final List<String> printFailures = new ArrayList<>();
    private final List<String> calendarFailures = new ArrayList<>();
    /** Every job the children were told was released and charged, and those of them found not to be. */
    private final Set<Integer> reported = new HashSet<>();
    private final Set<Integer> lost = new HashSet<>();
    private long calendarLost;
    /** The newest generation the database is known to hold (reported applied, or found), -1 before any. */
    private long applied = -1;
    private Map<String, Object> printState = Map.of();
    private Map<String, Object> calendarState = Map.of();

    PowerCutChecks(Instant anchor) {
        this.anchor = anchor;
    }

    long applied() {
        return applied;
    }

    long printViolations() {
        return printSeen.size();
    }

    long calendarViolations() {
        return calendarSeen.size();
    }

    long printLost() {
        return lost.size();
    }

    long calendarLost() {
        return calendarLost;
    }

    List<String> printFailures() {
        return printFailures;
    }

    List<String> calendarFailures() {
        return calendarFailures;
    }

    /** The print queue as the last check found it: jobs by status, money charged and refunded. */
    Map<String, Object> printState() {
        return printState;
    }

    Map<String, Object> calendarState() {
        return calendarState;
    }

    /**
     * Checks the database after round {@code round}. {@code released}: the jobs this round's child was told were
     * released and charged (those of earlier rounds are checked again too); {@code reportedApplied}: the newest generation it was told was synced (-1: none);
     * {@code served}: the newest generation the feed may have served. Returns the new violations' sentences.
     */
    List<String> check(Database db, int round, Collection<Integer> released, long reportedApplied, long served) {
        readEvents(db);
        reported.addAll(released);
        List<String> out = new ArrayList<>();
        List<String> print = db.read(this::print);
        for (String v : print) {
            if (printSeen.add(v)) {
                printFailures.add("round " + round + ": " + v);
                out.add(v);
            }
        }
        if (reportedApplied > applied) {
            applied = reportedApplied;
        }
        List<String> calendar = db.read(tx -> calendar(tx, served));
        for (String v : calendar) {
            if (calendarSeen.add(v)) {
                calendarFailures.add("round " + round + ": " + v);
                out.add(v);
            }
        }
        return out;
    }

    // --- events -----------------------------------------------------------------------------------

    private void readEvents(Database db) {
        db.read(tx -> {
            try (PreparedStatement p = tx.connection().prepareStatement("SELECT seq, type, device, fields FROM events "
                    + "WHERE seq > ? AND (type LIKE 'print.%' OR type LIKE 'payment.%' OR type LIKE 'booking.%') ORDER BY seq")) {
                p.setLong(1, eventsReadTo);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        eventsReadTo = Math.max(eventsReadTo, rs.getLong(1));
                        event(rs.getString(2), rs.getString(3), Json.tree(rs.getString(4).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    }
                }
            }
            // Past what was read, whatever the types: the next read starts after the newest event there is.
            try (Statement s = tx.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM events")) {
                rs.next();
                eventsReadTo = Math.max(eventsReadTo, rs.getLong(1));
            }
            return null;
        });
    }

    private void event(String type, String device, JsonNode f) {
        if (type.startsWith("booking.")) {
            if (PowerCutCalendar.ROOM.equals(device) && f.hasNonNull("booking")) {
                String booking = f.get("booking").asText();
                bookingsInEvents.add(booking);
                eventCounts.merge(type + "|" + booking, 1, Integer::sum);
            }
            return;
        }
        if (!f.hasNonNull("job")) {
            return; // a top-up, a locker's charge: not the print queue's
        }
        int job = f.get("job").asInt();
        String key = type.startsWith("payment.") ? type + "." + f.path("reason").asText() : type;
        jobsInEvents.add(job);
        eventCounts.merge(key + "|" + job, 1, Integer::sum);
        if (type.equals("print.job_released")) {
            releasedAmount.put(job, f.path("amount").asLong());
        }
    }

    private int count(String type, Object id) {
        return eventCounts.getOrDefault(type + "|" + id, 0);
    }

    // --- the print queue ------------------------------------------------------------------------------

    private record Job(int id, String status, Long amount) { }

    private List<String> print(Tx tx) throws SQLException {
        List<String> v = new ArrayList<>();
        Map<Integer, Job> jobs = new LinkedHashMap<>();
        try (Statement s = tx.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT job_id, status, amount FROM print_jobs ORDER BY job_id")) {
            while (rs.next()) {
                jobs.put(rs.getInt(1), new Job(rs.getInt(1), rs.getString(2), (Long) rs.getObject(3)));
            }
        }
        Map<Integer, Long> charges = new HashMap<>();
        Map<Integer, Long> refunds = new HashMap<>();
        try (Statement s = tx.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT idem_key, amount FROM ledger WHERE idem_key LIKE 'print%'")) {
            while (rs.next()) {
                String key = rs.getString(1);
                Map<Integer, Long> to = key.startsWith("print:") ? charges : key.startsWith("print-refund:") ? refunds : null;
                Integer job = to == null ? null : parseJob(key.substring(key.indexOf(':') + 1));
                if (job == null) {
                    v.add("a ledger posting '" + key + "' of no print job");
                } else if (to.put(job, rs.getLong(2)) != null) {
                    v.add("job " + job + ": two postings '" + key + "'"); // the key is UNIQUE: never, unless H2 is wrong
                }
            }
        }
        for (int id : reported) {
            Job job = jobs.get(id);
            if ((job == null || !CHARGED.contains(job.status()) || !charges.containsKey(id)) && lost.add(id)) {
                v.add("job " + id + " was reported released and charged, and is " + (job == null ? "not there" : job.status())
                        + (charges.containsKey(id) ? "" : " without its charge"));
            }
        }
        Map<String, Integer> byStatus = new TreeMap<>();
        long charged = 0;
        long refunded = 0;
        for (Job job : jobs.values()) {
            byStatus.merge(job.status(), 1, Integer::sum);
            int id = job.id();
            Long charge = charges.get(id);
            Long refund = refunds.get(id);
            String is = "job " + id + " (" + job.status() + ")";
            if (count("print.job_held", id) != 1) {
                v.add(is + ": " + count("print.job_held", id) + " print.job_held events");
            }
            int completed = count("print.job_completed", id);
            int failed = count("print.job_failed", id);
            if (CHARGED.contains(job.status())) {
                charged -= charge == null ? 0 : charge;
                refunded += refund == null ? 0 : refund;
                if (charge == null) {
                    v.add(is + ": no charge");
                } else if (!Objects.equals(releasedAmount.get(id), -charge)) {
                    v.add(is + ": charged " + -charge + ", released for " + releasedAmount.get(id));
                }
                if (count("print.job_released", id) != 1 || count("payment.charged.print", id) != 1) {
                    v.add(is + ": " + count("print.job_released", id) + " print.job_released and "
                            + count("payment.charged.print", id) + " payment.charged events");
                }
                long paid = -(charge == null ? 0 : charge) - (refund == null ? 0 : refund);
                if (job.amount() == null || paid != job.amount()) {
                    v.add(is + ": the ledger says " + paid + " paid, the job " + job.amount());
                }
                boolean refundOk = (refund == null) == (count("payment.credited.print_refund", id) == 0)
                        && count("payment.credited.print_refund", id) <= 1;
                boolean endOk = switch (job.status()) {
                    case "releasing" -> completed == 0 && failed == 0 && refund == null;
                    case "completed" -> completed == 1 && failed == 0 && refund == null;
                    default -> completed == 0 && failed == 1;
                };
                if (!refundOk || !endOk) {
                    v.add(is + ": " + completed + " print.job_completed, " + failed + " print.job_failed, "
                            + count("payment.credited.print_refund", id) + " refund events, refund posting " + refund);
                }
            } else if (UNCHARGED.contains(job.status())) {
                if (charge != null || refund != null || count("print.job_released", id) + count("payment.charged.print", id)
                        + completed + failed > 0) {
                    v.add(is + ": money or release events of a job never released");
                }
                int ended = count("print.job_expired", id) + count("print.job_cancelled", id);
                if (ended != (job.status().equals("held") ? 0 : 1)) {
                    v.add(is + ": " + ended + " print.job_expired/cancelled events");
                }
            } else {
                v.add(is + ": an unknown status");
            }
        }
        for (int id : jobsInEvents) {
            if (!jobs.containsKey(id)) {
                v.add("events of job " + id + ", which is not there");
            }
        }
        for (int id : charges.keySet()) {
            if (!jobs.containsKey(id)) {
                v.add("a charge of job " + id + ", which is not there");
            }
        }
        try (Statement s = tx.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT m.id, COALESCE(a.balance, 0), COALESCE((SELECT SUM(l.amount) FROM ledger l "
                     + "WHERE l.member_id = m.id), 0) FROM members m LEFT JOIN accounts a ON a.member_id = m.id")) {
            while (rs.next()) {
                if (rs.getLong(2) != rs.getLong(3)) {
                    v.add("member " + rs.getString(1) + ": the balance differs from the ledger's sum by " + (rs.getLong(2) - rs.getLong(3)));
                }
            }
        }
        printState = new LinkedHashMap<>();
        printState.put("jobs", byStatus);
        printState.put("charged", charged);
        printState.put("refunded", refunded);
        return v;
    }

    private static Integer parseJob(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // --- the calendar ---------------------------------------------------------------------------------

    private record Slot(Instant start, Instant end, String booking) { }

    private record Booking(Instant start, Instant end, boolean live) { }

    private List<String> calendar(Tx tx, long served) throws SQLException {
        List<String> v = new ArrayList<>();
        Map<String, Slot> slots = new TreeMap<>();
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT slot, starts, ends, booking_id FROM calendar_slots WHERE room_id = ?")) {
            p.setString(1, PowerCutCalendar.ROOM);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    slots.put(rs.getString(1), new Slot(SqlTime.get(rs, "starts"), SqlTime.get(rs, "ends"), rs.getString(4)));
                }
            }
        }
        Map<String, Booking> bookings = new TreeMap<>();
        try (PreparedStatement p = tx.connection().prepareStatement(
                "SELECT id, starts, ends, released FROM bookings WHERE room_id = ?")) {
            p.setString(1, PowerCutCalendar.ROOM);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    bookings.put(rs.getString(1), new Booking(SqlTime.get(rs, "starts"), SqlTime.get(rs, "ends"),
                            rs.getObject(4) == null));
                }
            }
        }
        long g = PowerCutCalendar.generationOf(slots.keySet());
        if (slots.isEmpty()) {
            if (applied >= 0) {
                calendarLost++;
                v.add("no calendar slots, though generation " + applied + " was synced");
            }
        } else {
            Map<String, Instant[]> expected = g < 0 ? Map.of() : PowerCutCalendar.events(g, anchor);
            boolean whole = expected.keySet().equals(slots.keySet()) && expected.entrySet().stream().allMatch(e ->
                    e.getValue()[0].equals(slots.get(e.getKey()).start()) && e.getValue()[1].equals(slots.get(e.getKey()).end()));
            if (!whole) {
                v.add("the slots " + slots.keySet() + " are no one generation: a sync half applied");
            } else if (g < applied) {
                calendarLost++;
                v.add("generation " + g + " in the database, though " + applied + " was synced");
            } else if (g > served) {
                v.add("generation " + g + " in the database, though the feed served at most " + served);
            }
            if (whole) {
                applied = g;
            }
        }
        Set<String> ofSlots = new HashSet<>();
        slots.forEach((key, slot) -> {
            Booking b = slot.booking() == null ? null : bookings.get(slot.booking());
            if (b == null || !b.live() || !b.start().equals(slot.start()) || !b.end().equals(slot.end())) {
                v.add("slot " + key + ": its booking " + slot.booking() + " is " + (b == null ? "not there"
                        : !b.live() ? "released" : "at " + b.start() + "-" + b.end() + ", the slot at " + slot.start()));
            }
            ofSlots.add(slot.booking());
        });
        int live = 0;
        for (Map.Entry<String, Booking> e : bookings.entrySet()) {
            String id = e.getKey();
            boolean isLive = e.getValue().live();
            live += isLive ? 1 : 0;
            int created = count("booking.created", id);
            int released = count("booking.released", id);
            if (created != 1 || released != (isLive ? 0 : 1)) {
                v.add("booking " + id + " (" + (isLive ? "live" : "released") + "): " + created + " booking.created and "
                        + released + " booking.released events");
            }
            if (isLive && !ofSlots.contains(id)) {
                v.add("booking " + id + " is live and no calendar slot's");
            }
        }
        for (String id : bookingsInEvents) {
            if (!bookings.containsKey(id)) {
                v.add("events of booking " + id + ", which is not there");
            }
        }
        calendarState = new LinkedHashMap<>();
        calendarState.put("generation", g);
        calendarState.put("bookings_live", live);
        calendarState.put("bookings_released", bookings.size() - live);
        return v;
    }
}
