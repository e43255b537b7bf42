package kontor.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One command as received: its name, the client's id and the whole JSON body. The typed getters refuse
 * a wrong field with {@code bad_request} and a message naming the field and what it must be.
 */
public record CommandRequest(String command, String id, ObjectNode body) {

    public String requireText(String field) throws CommandException {
        return optionalText(field).orElseThrow(() -> missing(field));
    }

    public Optional<String> optionalText(String field) throws CommandException {
        JsonNode n = present(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw bad(field, "must be a string");
        }
        if (n.textValue().isBlank()) {
            throw bad(field, "must not be empty");
        }
        return Optional.of(n.textValue());
    }

    public boolean requireBoolean(String field) throws CommandException {
        return optionalBoolean(field).orElseThrow(() -> missing(field));
    }

    public Optional<Boolean> optionalBoolean(String field) throws CommandException {
        JsonNode n = present(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw bad(field, "must be true or false");
        }
        return Optional.of(n.booleanValue());
    }

    public long requireLong(String field) throws CommandException {
        return optionalLong(field).orElseThrow(() -> missing(field));
    }

    public Optional<Long> optionalLong(String field) throws CommandException {
        JsonNode n = present(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad(field, "must be an integer");
        }
        return Optional.of(n.longValue());
    }

    /** An integer greater than zero, e.g. an amount in minor units. */
    public long requirePositiveLong(String field) throws CommandException {
        JsonNode n = present(field);
        if (n == null) {
            throw missing(field);
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() <= 0) {
            throw bad(field, "must be a positive integer");
        }
        return n.longValue();
    }

    /** An ISO-8601 date-time with offset, e.g. {@code 2025-03-01T09:00:00+01:00}. */
    public OffsetDateTime requireDateTime(String field) throws CommandException {
        return optionalDateTime(field).orElseThrow(() -> missing(field));
    }

    public Optional<OffsetDateTime> optionalDateTime(String field) throws CommandException {
        Optional<String> text = optionalTextOf(field, "must be an ISO-8601 date-time with offset, e.g. 2025-03-01T09:00:00+01:00");
        try {
            return text.map(OffsetDateTime::parse);
        } catch (DateTimeParseException e) {
            throw bad(field, "must be an ISO-8601 date-time with offset, e.g. 2025-03-01T09:00:00+01:00");
        }
    }

    /** An ISO-8601 date, e.g. {@code 2025-03-01}. */
    public Optional<LocalDate> optionalDate(String field) throws CommandException {
        Optional<String> text = optionalTextOf(field, "must be an ISO-8601 date, e.g. 2025-03-01");
        try {
            return text.map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            throw bad(field, "must be an ISO-8601 date, e.g. 2025-03-01");
        }
    }

    private Optional<String> optionalTextOf(String field, String what) throws CommandException {
        JsonNode n = present(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw bad(field, what);
        }
        return Optional.of(n.textValue());
    }

    /** The field, or null when it is absent or JSON null: optional fields may be sent as null. */
    private JsonNode present(String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n;
    }

    private static CommandException missing(String field) {
        return CommandException.badRequest("field '" + field + "' is required");
    }

    private static CommandException bad(String field, String what) {
        return CommandException.badRequest("field '" + field + "' " + what);
    }
}
