package kontor.rooms;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.core.CommandMembers;
import kontor.members.Member;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;

/** {@code room.book}, {@code booking.cancel} and {@code bookings.list} (docs/reference.md, "Commands"). */
public final class RoomCommands implements SiteService {
    private final Rooms rooms;
    private final SiteContext context;
    private final ZoneId zone;

    public RoomCommands(Rooms rooms, SiteContext context) {
        this.rooms = rooms;
        this.context = context;
        this.zone = context.site().zone();
    }

    @Override
    public void registerCommands(CommandServer server) {
        server.register("room.book", this::book, "room", "card", "member", "start", "end");
        server.register("booking.cancel", this::cancel, "booking");
        server.register("bookings.list", this::list, "room", "date");
        server.register("booking.check_in", this::checkIn, "booking", "by");
    }

    private JsonNode book(CommandRequest r) throws CommandException {
        String room = room(r.requireText("room"));
        Member member = member(r);
        Instant start = r.requireDateTime("start").toInstant();
        Instant end = r.requireDateTime("end").toInstant();
        if (!end.isAfter(start)) {
            throw CommandException.badRequest("field 'end' must be after 'start'");
        }
        if (member.revoked()) {
            throw CommandException.denied("the member's card is revoked");
        }
        if (member.validUntil() != null && member.validUntil().isBefore(end)) {
            throw CommandException.denied("the member is valid only until " + context.events().time(member.validUntil()));
        }
        Rooms.BookingResult result = rooms.book(room, member, start, end);
        if (result.refusal() != null) {
            throw new CommandException(result.refusal().code(), result.refusal().message());
        }
        return Json.node(fields("booking", rooms.view(result.booking())));
    }

    private JsonNode checkIn(CommandRequest r) throws CommandException {
        String id = r.requireText("booking");
        String by = kontor.core.CommandMembers.by(r);
        Booking b = rooms.find(id).orElseThrow(() -> CommandException.notFound("no booking called '" + id + "'"));
        if (!b.live()) {
            throw CommandException.conflict("booking " + id + " was already released (" + b.reason() + ")");
        }
        String refusal = rooms.checkInByHost(b, by);
        if (refusal != null) {
            throw CommandException.conflict(refusal);
        }
        return null;
    }

    private JsonNode cancel(CommandRequest r) throws CommandException {
        String id = r.requireText("booking");
        Booking b = rooms.find(id).orElseThrow(() -> CommandException.notFound("no booking called '" + id + "'"));
        if (!b.live()) {
            throw CommandException.conflict("booking " + id + " was already released (" + b.reason() + ")");
        }
        rooms.cancel(b);
        return null;
    }

    /** With a date: every booking of that day, released ones too. Without: every live booking from now on. */
    private JsonNode list(CommandRequest r) throws CommandException {
        Optional<String> roomField = r.optionalText("room");
        String room = roomField.isPresent() ? room(roomField.get()) : null;
        Optional<LocalDate> date = r.optionalDate("date");
        List<Booking> found;
        if (date.isPresent()) {
            Instant from = date.get().atStartOfDay(zone).toInstant();
            Instant to = date.get().plusDays(1).atStartOfDay(zone).toInstant();
            found = rooms.between(room, from, to);
        } else {
            found = rooms.upcoming().stream().filter(b -> room == null || b.room().equals(room)).toList();
        }
        List<Object> list = found.stream()
                .sorted(Comparator.comparing(Booking::start).thenComparing(Booking::room))
                .map(b -> (Object) rooms.view(b)).toList();
        return Json.node(fields("bookings", list));
    }

    private String room(String id) throws CommandException {
        if (!rooms.hasRoom(id)) {
            throw CommandException.notFound("no room called '" + id + "'");
        }
        return id;
    }

    /** The member named by {@code card} or {@code member}, exactly one of them (as {@code member.show}). */
    private Member member(CommandRequest r) throws CommandException {
        return CommandMembers.member(context.members(), r);
    }
}
