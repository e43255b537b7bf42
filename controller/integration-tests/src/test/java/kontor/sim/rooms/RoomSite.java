package kontor.sim.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import kontor.sim.SiteHarness;

/** Shorthands for room, entrance and fire behaviour tests on a {@link SiteHarness}; times are site-local. */
public final class RoomSite {
    public static final String VISITOR = "04A1B2C3D4E501";
    public static final String ACCESSIBLE = "04A1B2C3D4E502";
    public static final String HOST = "04A1B2C3D4E503";

    private RoomSite() { }

    /**
     * A card tap through the real Wiegand reader; returns the decision event. A frame the reader could
     * not read (its bits arrive in real time, and a loaded test machine can stretch them past the
     * reader's frame gap) is presented again, as a person would hold the card again.
     */
    public static JsonNode tap(SiteHarness site, String reader, String card) {
        JsonNode decision = site.tap(reader, card);
        for (int retry = 0; retry < 3 && "unreadable".equals(decision.path("reason").asText()); retry++) {
            decision = site.tap(reader, card);
        }
        return decision;
    }

    /** A site-local time as commands take it: ISO-8601 with the offset of that moment. */
    public static String iso(SiteHarness site, String local) {
        return site.gateway().journal().json().formatTime(instant(site, local));
    }

    public static Instant instant(SiteHarness site, String local) {
        return LocalDateTime.parse(local).atZone(site.site().zone()).toInstant();
    }

    /** Moves the clock to that local time, running everything due on the way. */
    public static void advanceTo(SiteHarness site, String local) {
        site.advance(Duration.between(site.now(), instant(site, local)));
    }

    /** A host's {@code room.book} for the member holding {@code card}; returns the whole reply. */
    public static JsonNode book(SiteHarness site, String room, String card, String startLocal, String endLocal) {
        return site.command("room.book", "{\"room\":\"" + room + "\",\"card\":\"" + card + "\",\"start\":\""
                + iso(site, startLocal) + "\",\"end\":\"" + iso(site, endLocal) + "\"}");
    }

    /** Books and returns the new booking's id (the booking must be accepted). */
    public static String booked(SiteHarness site, String room, String card, String startLocal, String endLocal) {
        JsonNode reply = book(site, room, card, startLocal, endLocal);
        if (!reply.path("ok").asBoolean()) {
            throw new AssertionError("booking refused: " + reply);
        }
        return reply.path("result").path("booking").path("id").asText();
    }

    public static JsonNode roomState(SiteHarness site, String room) {
        return site.retained("rooms/" + room + "/state");
    }

    public static JsonNode deviceState(SiteHarness site, String device) {
        return site.retained("devices/" + device + "/state");
    }

    /** Whether the door's strike is locked now (its published device state). */
    public static boolean locked(SiteHarness site, String door) {
        return deviceState(site, door).path("locked").asBoolean();
    }

    public static void motion(SiteHarness site, String sensor, boolean motion) {
        site.world().motion(sensor, motion);
        site.settle();
    }

    /** Opens or closes a door and waits until the gateway has seen it (expander inputs are polled). */
    public static void door(SiteHarness site, String door, boolean open) {
        long mark = site.lastSeq();
        site.world().contact(door, open);
        site.awaitEvent(mark, open ? "door.opened" : "door.closed", e -> e.path("device").asText().equals(door));
        site.settle();
    }

    /** Presses a door's exit button and waits until the gateway has seen it. */
    public static void exit(SiteHarness site, String door) {
        long mark = site.lastSeq();
        site.world().exit(door);
        site.awaitEvent(mark, "door.exit_pressed", e -> e.path("device").asText().equals(door));
        site.settle();
    }

    public static JsonNode alarm(SiteHarness site, String type, String device) {
        return site.retained("alarms/" + type + ":" + device);
    }
}
