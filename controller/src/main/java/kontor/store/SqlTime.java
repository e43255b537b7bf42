package kontor.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * How an {@link Instant} goes into and out of a {@code TIMESTAMP(3) WITH TIME ZONE} column: in UTC, to the
 * millisecond (truncated here, so that what is read back equals what the caller was given).
 */
public final class SqlTime {
    private SqlTime() { }

    /** The instant as the database keeps it. */
    public static Instant stored(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    public static void set(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(stored(instant), ZoneOffset.UTC));
    }

    /** The instant in {@code column}, or null. */
    public static Instant get(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
