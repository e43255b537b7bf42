package kontor.rooms;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kontor.calendars.CalendarTarget;
import kontor.calendars.FreeBusyFeed;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.http.HttpRoutes;
import kontor.site.CalendarSpec;
import kontor.site.Room;
import kontor.store.Tx;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The rooms' side of the linked calendars (docs/rooms-and-entrance.md, "Linked calendars"): each room with a
 * {@code calendar:} as a {@link CalendarTarget} for {@link kontor.calendars.Calendars}, which holds the rules,
 * and each room's schedule as a free/busy feed over HTTP. A room lets the events of its own calendar overlap
 * (the booking system allowed them); a booking made at the door or by command keeps the room from an event.
 */
public final class RoomCalendars implements SiteService, HttpRoutes {
    private final SiteContext context;
    private final Rooms rooms;

    public RoomCalendars(SiteContext context, Rooms rooms) {
        this.context = context;
        this.rooms = rooms;
    }

    /** Every room linked to a calendar, as a target of the calendars' sync. */
    public List<CalendarTarget> targets() {
        return context.site().rooms().stream().filter(r -> r.calendar() != null)
                .map(r -> (CalendarTarget) new RoomTarget(r)).toList();
    }

    private final class RoomTarget implements CalendarTarget {
        private final Room room;

        RoomTarget(Room room) {
            this.room = room;
        }

        @Override
        public String id() {
            return room.id();
        }

        @Override
        public String kind() {
            return "room";
        }

        @Override
        public CalendarSpec calendar() {
            return room.calendar();
        }

        @Override
        public Optional<Held> booking(Tx tx, String id) throws SQLException {
            return rooms.store().byId(tx, id).map(RoomCalendars::held);
        }

        @Override
        public Booked book(Tx tx, String member, Instant start, Instant end, Set<String> fromCalendar, String ref)
                throws SQLException {
            Instant now = context.clock().now();
            Optional<Booking> holder = rooms.store().live(tx, room.id()).stream()
                    .filter(b -> !fromCalendar.contains(b.id()) && b.overlaps(start, end) && b.end().isAfter(now))
                    .findFirst();
            if (holder.isPresent()) {
                return new Booked(null, holder.get().id());
            }
            return new Booked(rooms.insertFromCalendar(tx, room.id(), member, start, end).id(), null);
        }

        @Override
        public boolean move(Tx tx, Held b, String member, Instant start, Instant end) throws SQLException {
            if (!java.util.Objects.equals(b.member(), member)) {
                rooms.store().reassign(tx, b.id(), member);
            }
            rooms.store().reschedule(tx, b.id(), start, end);
            return true; // a room's own calendar may overlap itself: a moved event always fits
        }

        @Override
        public void release(Tx tx, Held b, String reason) throws SQLException {
            Optional<Booking> booking = rooms.store().byId(tx, b.id());
            if (booking.isPresent() && booking.get().live()) {
                rooms.releaseIn(tx, booking.get(), reason);
            }
        }

        @Override
        public List<Held> walkUps(Tx tx, Instant since) throws SQLException {
            return rooms.store().onTheSpotSince(tx, room.id(), since).stream().map(RoomCalendars::held).toList();
        }

        @Override
        public void refresh() {
            rooms.refresh(room.id());
        }
    }

    private static CalendarTarget.Held held(Booking b) {
        return new CalendarTarget.Held(b.id(), b.member(), b.start(), b.end(), b.live(), b.checkedIn(),
                !b.live() && ("no_show".equals(b.reason()) || "vacant".equals(b.reason())));
    }

    // --- free/busy over HTTP ----------------------------------------------------------------------

    private static final java.util.regex.Pattern FREE_BUSY_PATH = java.util.regex.Pattern.compile("/([a-z0-9-]+)/freebusy\\.ics");

    /**
     * {@code GET /rooms/{room}/freebusy.ics}: each room's live bookings as one VFREEBUSY, no names, for door
     * displays and anyone's calendar app. Read from the database on the HTTP thread: the store is shared and
     * the site thread is not asked. A blocking handler (a database read), so Jetty never runs it on a selector.
     */
    @Override
    public Map<String, Handler> httpRoutes() {
        return Map.of("/rooms", new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                java.util.regex.Matcher m = FREE_BUSY_PATH.matcher(path);
                if (!"GET".equals(request.getMethod()) || !m.matches() || !rooms.hasRoom(m.group(1))) {
                    Response.writeError(request, response, callback, 404);
                    return true;
                }
                String body = freeBusy(m.group(1));
                response.getHeaders().put("Content-Type", "text/calendar; charset=utf-8");
                response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
    }

    /** The room's free/busy feed from now to {@code policy.booking_days_ahead} days on. */
    public String freeBusy(String room) {
        Instant now = context.clock().now();
        Instant to = now.plus(Duration.ofDays(context.site().policy().bookingDaysAhead() + 1L));
        List<FreeBusyFeed.Busy> busy = rooms.between(room, now, to).stream().filter(Booking::live)
                .map(b -> new FreeBusyFeed.Busy(b.start(), b.end())).toList();
        return FreeBusyFeed.render(context.site().id(), room, busy, now, to, now);
    }
}
