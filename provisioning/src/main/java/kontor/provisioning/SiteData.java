package kontor.provisioning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import kontor.cli.UserError;
import kontor.members.CardHasher;
import kontor.members.Members;
import kontor.members.SiteSecret;
import kontor.store.Database;
import kontor.store.StoreException;

/** The site's data directory as a tool outside the gateway reaches it: the database and the site secret. */
final class SiteData {
    static final String DEFAULT_DIR = "/var/lib/kontor";
    static final String DATABASE_FILE = "kontor.mv.db";
    static final String SECRET_FILE = "site.secret";
    /** H2's "database may be already in use": another process (the gateway) holds the file lock. */
    private static final int DATABASE_IN_USE = 90020;

    private SiteData() { }

    /** Opens the database, or says clearly that the gateway holds it. */
    static Database open(Path dir) {
        try {
            return Database.open(dir);
        } catch (StoreException e) {
            if (inUse(e)) {
                throw new UserError("the database in " + dir + " is in use by the running gateway; stop it first"
                        + " (systemctl stop kontor)");
            }
            throw new UserError("cannot open the database in " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean inUse(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && sql.getErrorCode() == DATABASE_IN_USE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The key of the site's card hashes; it must already exist (a new one would not match the cards enrolled so
     * far). Read before the database is opened, so that a missing secret leaves no new database behind.
     */
    static CardHasher hasher(Path dir) {
        Path secret = dir.resolve(SECRET_FILE);
        if (!Files.exists(secret)) {
            throw new UserError("there is no site secret " + secret + ": install it from 'kontor provision credentials'"
                    + " (kontor provision install --credentials DIR) or start the gateway once");
        }
        try {
            return new CardHasher(SiteSecret.loadOrCreate(secret));
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** The members of the site, with its card hashes keyed by {@link #hasher}. */
    static Members members(Database db, CardHasher hasher) {
        return new Members(db, hasher);
    }
}
