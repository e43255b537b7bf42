package kontor.members;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a member may do. Its name in JSON and in the database is the lower-case {@link #wireName()}. */
public enum Role {
    VISITOR, HOST, ADMIN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the roles there are
     */
    @JsonCreator
    public static Role fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be visitor, host or admin, not '" + name + "'");
    }

    /** A host or an admin: may act for others (enrol at a reader, open the entrance out of hours). */
    public boolean isStaff() {
        return this != VISITOR;
    }
}
