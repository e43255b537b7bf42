package kontor.gateway;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import kontor.core.CommandMembers;
import kontor.core.MemberDetails;
import kontor.device.Cards;
import kontor.core.Events;
import kontor.members.Emails;
import kontor.members.Member;
import kontor.members.MemberException;
import kontor.members.Members;
import kontor.members.Role;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;

/** {@code card.enroll}, {@code card.revoke}, {@code member.show}, {@code member.email}. */
public final class MemberCommands {
    private final Members members;
    private final Events events;
    private final ZoneId zone;

    private final List<MemberDetails> details;

    public MemberCommands(Members members, Events events, ZoneId zone, List<MemberDetails> details) {
        this.members = members;
        this.events = events;
        this.zone = zone;
        this.details = List.copyOf(details);
    }

    public void registerOn(CommandServer server) {
        server.register("card.enroll", this::enroll, "card", "role", "accessible", "valid_until");
        server.register("card.revoke", this::revoke, "card", "member");
        server.register("member.show", this::show, "card", "member", "email");
        server.register("member.email", this::email, "card", "member", "email");
    }

    /**
     * Sets a member's e-mail address ({@code email} null removes it), by which a linked calendar's events name
     * who booked. The event shows it masked, as a card.
     */
    private JsonNode email(CommandRequest r) throws CommandException {
        Member m = member(r);
        if (!r.body().has("email")) {
            throw CommandException.badRequest("field 'email' is required (null removes the address)");
        }
        JsonNode given = r.body().get("email");
        if (!given.isNull() && !given.isTextual()) {
            throw CommandException.badRequest("field 'email' must be a string or null");
        }
        String email;
        try {
            email = given.isNull() ? null : Emails.normalise(given.textValue());
        } catch (IllegalArgumentException e) {
            throw CommandException.badRequest("field 'email': " + e.getMessage());
        }
        call(() -> {
            members.setEmail(m.id(), email);
            return null;
        });
        events.emit("member.email_set", null, fields("member", m.id(), "email", Emails.mask(email),
                "by", CommandMembers.by(r)));
        return Json.node(fields("member", m.id(), "email", Emails.mask(email)));
    }

    private JsonNode enroll(CommandRequest r) throws CommandException {
        String card = card(r);
        Role role = role(r);
        boolean accessible = r.optionalBoolean("accessible").orElse(false);
        Instant validUntil = validUntil(r);
        Member m = call(() -> members.enroll(card, role, accessible, validUntil));
        events.emit("card.enrolled", null, fields("member", m.id(), "card", Cards.mask(card),
                "role", role.wireName(), "accessible", accessible));
        return Json.node(fields("member", m.id()));
    }

    /** By {@code card}, or by {@code member} (the pseudonymous id in events): then no raw card need travel. */
    private JsonNode revoke(CommandRequest r) throws CommandException {
        boolean hasCard = r.body().hasNonNull("card");
        if (hasCard == r.body().hasNonNull("member")) {
            throw CommandException.badRequest("give exactly one of 'card' and 'member'");
        }
        if (hasCard) {
            String card = card(r);
            Member m = call(() -> members.revoke(card));
            events.emit("card.revoked", null, fields("member", m.id(), "card", Cards.mask(card)));
        } else {
            String id = r.requireText("member");
            Member m = call(() -> members.revokeMember(id));
            // Each enrolment makes a member of one card: the event shows that card, masked, as always.
            List<String> cards = members.maskedCards(m.id());
            events.emit("card.revoked", null, fields("member", m.id(), "card", cards.isEmpty() ? "…" : cards.getFirst()));
        }
        return null;
    }

    private JsonNode show(CommandRequest r) throws CommandException {
        Member m = r.body().hasNonNull("email") ? byEmail(r) : member(r);
        Map<String, Object> result = fields(
                "member", m.id(),
                "role", m.role().wireName(),
                "accessible", m.accessible(),
                "valid_until", m.validUntil() == null ? null : validUntilText(m.validUntil()),
                "revoked", m.revoked(),
                "email", Emails.mask(members.email(m.id()).orElse(null)),
                "balance", 0,
                "lockers", List.of(),
                "bookings", List.of());
        details.forEach(d -> d.describe(m, result));
        return Json.node(result);
    }

    /**
     * {@code member.show} by {@code email} instead of {@code card} or {@code member}: how a host finds a member who
     * has their address but not their card. Never both: one way to name a member per request.
     */
    private Member byEmail(CommandRequest r) throws CommandException {
        if (r.body().hasNonNull("card") || r.body().hasNonNull("member")) {
            throw CommandException.badRequest("give exactly one of 'card', 'member' and 'email'");
        }
        String address;
        try {
            address = Emails.normalise(r.requireText("email"));
        } catch (IllegalArgumentException e) {
            throw CommandException.badRequest("field 'email': " + e.getMessage());
        }
        return members.byEmail(address).orElseThrow(() -> CommandException.notFound("no member has that e-mail address"));
    }

    /**
     * A validity given as a date is stored as the midnight that ends that day: show it as the date it was
     * given ({@code 2027-06-30}), not as the next midnight; any other instant as a date-time with offset.
     */
    private Object validUntilText(Instant until) {
        java.time.ZonedDateTime local = until.atZone(zone);
        return local.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                ? local.toLocalDate().minusDays(1).toString()
                : events.time(until);
    }

    /** A member named by {@code card} or {@code member}, exactly one of them. */
    Member member(CommandRequest r) throws CommandException {
        return CommandMembers.member(members, r);
    }

    private static String card(CommandRequest r) throws CommandException {
        String raw = r.requireText("card");
        try {
            return Cards.normalise(raw);
        } catch (IllegalArgumentException e) {
            throw new CommandException("bad_request", "field 'card': " + e.getMessage());
        }
    }

    private static Role role(CommandRequest r) throws CommandException {
        try {
            return Role.fromWireName(r.optionalText("role").orElse("visitor"));
        } catch (IllegalArgumentException e) {
            throw new CommandException("bad_request", "field 'role': " + e.getMessage());
        }
    }

    /** {@code valid_until}: a date (valid through the end of that day, site time) or a date-time with offset. */
    private Instant validUntil(CommandRequest r) throws CommandException {
        var text = r.optionalText("valid_until");
        if (text.isEmpty()) {
            return null;
        }
        String s = text.get();
        try {
            return s.length() == 10
                    ? LocalDate.parse(s).plusDays(1).atStartOfDay(zone).toInstant()
                    : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new CommandException("bad_request", "field 'valid_until' must be a date (2026-12-31) or a date-time with offset");
        }
    }

    private interface MemberCall<T> {
        T run() throws MemberException;
    }

    private static <T> T call(MemberCall<T> c) throws CommandException {
        try {
            return c.run();
        } catch (MemberException e) {
            throw new CommandException(e.code(), e.getMessage());
        }
    }
}
