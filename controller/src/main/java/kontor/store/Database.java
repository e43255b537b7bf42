package kontor.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's H2 database ({@code <dir>/kontor.mv.db}): transactions on a small connection pool, the schema
 * brought up to date at open, and an orderly close.
 *
 * <p>Durability choices (docs/operations.md, "H2 settings, and why", says the same for operators):
 * <ul>
 * <li>{@code WRITE_DELAY=0}: H2's default keeps committed changes in memory for up to 500 ms, so a
 *     kill -9 loses transactions that were reported committed. With 0 every commit reaches the operating
 *     system before {@link #inTransaction} returns, so it survives the process dying. It does not survive a
 *     power cut: only {@code CHECKPOINT SYNC} forces the file to the disk, which {@link #sync()} offers to the
 *     few callers that need it (and which is cheap when done once per batch, not per row).</li>
 * <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2's own shutdown hook would close the database at an arbitrary
 *     moment during JVM exit, while our components still write (a last journal event, a lock state). The
 *     gateway instead stops its writers and then calls {@link #close()}, which waits for open transactions,
 *     syncs and shuts H2 down.</li>
 * <li>{@code RETENTION_TIME} stays at its default: lowering it is what makes MVStore files fragile after a
 *     crash.</li>
 * <li>{@code LOCK_TIMEOUT=10000} ({@link #LOCK_TIMEOUT_MILLIS}, also how long the journal's appenders queue for its
 *     sequence): a waiter should wait out a slow transaction rather than fail after H2's default second.</li>
 * <li>{@code PAGE_SIZE=4096}: smaller B-tree pages, so a commit writes fewer bytes ({@link #PAGE_SIZE}).</li>
 * <li>Compaction is ours ({@link #compact}). With {@code WRITE_DELAY=0} H2 runs no background writer, and its
 *     background writer is also what compacts the file: every commit writes a chunk holding a few pages that stay
 *     live, so without it the file grows by kilobytes per commit for ever (about 16 KB per command was seen) and
 *     shrinks only on a clean stop. {@code MAX_COMPACT_TIME=0}: no chunk moving at close either; moving chunks
 *     (H2's {@code compactMoveChunks}) trips an assertion of H2's own free-space map (2.4.240) and is what left a
 *     stack trace in {@code kontor.trace.db} on every clean stop.</li>
 * </ul>
 *
 * <p>Every file here is private to the gateway's user ({@link PrivateFiles}): H2 would create them with the
 * umask's mode (644) and they hold card hashes, balances and the journal.
 *
 * <p>Schema: {@code db/migration/V<n>__<what>.sql} on the class path, applied in order, each once, and
 * recorded in {@code schema_version}. H2 commits implicitly after most DDL, so a migration cannot be made
 * strictly atomic with its record; each migration is therefore written to be re-runnable
 * ({@code IF NOT EXISTS}, guarded inserts), and its record is committed together with its last statement.
 * A database whose schema is newer than this code is refused rather than touched.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long a transaction waits for a lock another holds before it gives up (H2's and the journal's). */
    public static final int LOCK_TIMEOUT_MILLIS = 10_000;
    static final String MIGRATIONS = "db/migration";
    private static final int MAX_CONNECTIONS = 8;
    private static final long CLOSE_WAIT_SECONDS = 30;
    /**
     * H2 splits a B-tree page beyond this many bytes (its default: 16 KB). Every commit writes each page it changed
     * whole, so a command or a tap that adds one row of 100 bytes wrote 16 KB leaves: 4 KB halves what a commit
     * writes (docs/benchmarks.md, {@code disk}). Only how new pages are cut; a file written with another size opens.
     */
    static final int PAGE_SIZE = 4096;
    /** Chunks less full than this (percent of live data) are rewritten by {@link #compact}. */
    private static final int COMPACT_BELOW_FILL_RATE = 70;
    /** How much one step of {@link #compact} rewrites while it holds H2's store lock. */
    private static final int COMPACT_STEP_BYTES = 256 * 1024;

    private final Path dir;
    private final JdbcConnectionPool pool;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ThreadLocal<Tx> current = new ThreadLocal<>();
    private volatile boolean closed;

    private Database(Path dir, JdbcConnectionPool pool) {
        this.dir = dir;
        this.pool = pool;
    }

    /** Opens (creating if needed) the database in {@code dir} and brings its schema up to date. */
    public static Database open(Path dir) {
        return open(dir, Database.class.getClassLoader(), MIGRATIONS);
    }

    /** A database opened by {@link #openOrSetAside}; {@code setAside} is where an unreadable one was moved, or null. */
    public record Opened(Database db, Path setAside) { }

    /**
     * Opens the database; if its file cannot be read (corrupted by a power cut, say), never deletes
     * it: moves it into {@code unreadable-<time>/} next to it, where it can be recovered by hand,
     * and starts a fresh one. Any other failure (another process holds it, a newer schema) is thrown.
     */
    public static Opened openOrSetAside(Path dir, java.time.Instant now) {
        try {
            return new Opened(open(dir), null);
        } catch (StoreException e) {
            if (!corrupted(e)) {
                throw e;
            }
            Path absolute = dir.toAbsolutePath().normalize();
            Path aside = absolute.resolve("unreadable-" + now.toString().replace(':', '-'));
            try {
                Files.createDirectories(aside);
                try (var files = Files.list(absolute)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("kontor.")).toList()) {
                        Files.move(f, aside.resolve(f.getFileName()));
                    }
                }
            } catch (java.io.IOException io) {
                throw new StoreException("the database in " + absolute + " cannot be read, and could not be moved aside: " + io.getMessage(), e);
            }
            return new Opened(open(dir), aside);
        }
    }

    /** Whether H2 said the file itself is unreadable, as opposed to locked, missing or refused. */
    private static boolean corrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && (sql.getErrorCode() == 90030 || sql.getErrorCode() == 90048)) {
                return true;
            }
            if (t instanceof org.h2.mvstore.MVStoreException) {
                return true;
            }
        }
        return false;
    }

    /** Opens with the migrations that {@code loader} finds under {@code migrations} (tests use their own). */
    static Database open(Path dir, ClassLoader loader, String migrations) {
        return open(dir, loader, migrations, "");
    }

    /** The same, with more H2 settings in the URL ({@code ;NAME=value}): tests that must not wait out H2's clock. */
    static Database open(Path dir, ClassLoader loader, String migrations, String moreSettings) {
        Path absolute = dir.toAbsolutePath().normalize();
        moreSettings = ";PAGE_SIZE=" + PAGE_SIZE + moreSettings;
        createDirectory(absolute);
        List<Migrations.Migration> known = Migrations.load(loader, migrations);
        privateFiles(absolute);
        String url = "jdbc:h2:file:" + absolute.resolve("kontor")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=" + LOCK_TIMEOUT_MILLIS + ";MAX_COMPACT_TIME=0" + moreSettings;
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        Database db = new Database(absolute, pool);
        try {
            db.migrate(known);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        return db;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Runs {@code work} in a new transaction and commits it; rolls back if the work throws (anything) or the
     * commit fails. {@link Tx#afterCommit} actions run after a successful commit. SQL errors come out as
     * {@link StoreException}; the work's own unchecked exceptions come out unchanged.
     *
     * @throws IllegalStateException when this thread is already inside a transaction: pass its {@link Tx} down
     */
    public <T> T inTransaction(TxWork<T> work) {
        return run(work, false);
    }

    /** The transaction open on this thread, if any. */
    public java.util.Optional<Tx> currentTransaction() {
        return java.util.Optional.ofNullable(current.get());
    }

    /** Runs read-only {@code work} in a transaction of its own; nothing it might write is kept. */
    public <T> T read(TxWork<T> work) {
        return run(work, true);
    }

    /** Forces everything committed so far to the disk ({@code CHECKPOINT SYNC}): it then survives a power cut. */
    public void sync() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            requireOpen();
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        } catch (SQLException e) {
            throw new StoreException("database sync failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Waits for open transactions (up to 30 s), refuses new ones, forces the file to disk and shuts H2 down.
     * Call it after the components that write have stopped. Harmless when already closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Lock lock = lifecycle.writeLock();
        boolean locked = false;
        try {
            locked = lock.tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            if (!locked) {
                log.warn("Closing the database while transactions are still open after {} s", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            } catch (SQLException e) {
                log.warn("Database sync at close reported: {}", e.getMessage());
            }
            // Closing the pool's connections closes the database with the last of them. (A SHUTDOWN first would
            // leave the pool to roll back connections of a closed database: a stack trace in kontor.trace.db.)
            pool.dispose();
            log.info("Database {} closed", dir);
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    private <T> T run(TxWork<T> work, boolean readOnly) {
        if (current.get() != null) {
            throw new IllegalStateException("a transaction is already open on this thread; pass its Tx down instead");
        }
        Lock lock = lifecycle.readLock();
        lock.lock();
        Tx tx;
        T result;
        try {
            requireOpen();
            try (Connection c = pool.getConnection()) {
                tx = new Tx(c, readOnly);
                current.set(tx);
                try {
                    c.setAutoCommit(false);
                    result = work.run(tx);
                    if (readOnly) {
                        c.rollback();
                    } else {
                        c.commit();
                    }
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(c, e);
                    throw e;
                } finally {
                    current.remove();
                    restoreAutoCommit(c);
                    runAtEnd(tx);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
        for (Runnable action : tx.afterCommitActions()) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.error("An after-commit action failed", e);
            }
        }
        return result;
    }

    private static void runAtEnd(Tx tx) {
        for (Runnable action : tx.atEndActions()) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.error("A transaction's end action failed", e);
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreException("the database is closed");
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            log.debug("Could not reset auto-commit on a pooled connection", e);
        }
    }

    private void migrate(List<Migrations.Migration> known) {
        int latest = known.isEmpty() ? 0 : known.getLast().version();
        try (Connection c = pool.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        + "version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, "
                        + "applied TIMESTAMP(3) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
            }
            int current = currentVersion(c);
            if (current > latest) {
                throw new StoreException("the database in " + dir + " has schema version " + current
                        + ", newer than this Kontor knows (" + latest + "): run the newer Kontor or restore a backup");
            }
            for (Migrations.Migration m : known) {
                if (m.version() <= current) {
                    continue;
                }
                apply(c, m);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the database in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void apply(Connection c, Migrations.Migration m) throws SQLException {
        c.setAutoCommit(false);
        String statement = null;
        try {
            try (Statement s = c.createStatement()) {
                for (String sql : m.statements()) {
                    statement = sql;
                    s.execute(sql);
                }
            }
            statement = null;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version (version, name) VALUES (?, ?)")) {
                p.setInt(1, m.version());
                p.setString(2, m.name());
                p.executeUpdate();
            }
            c.commit();
            log.info("Database schema migrated to version {} ({})", m.version(), m.name());
        } catch (SQLException e) {
            rollbackQuietly(c, e);
            throw new StoreException("schema migration " + m.name() + " failed"
                    + (statement == null ? "" : " at \"" + abbreviate(statement) + "\"") + ": " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    private static void createDirectory(Path dir) {
        try {
            // The database holds card hashes and balances: nobody else on the machine needs to read it.
            PrivateFiles.createDirectory(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create the database directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The directory 700 and H2's files 600, created so before H2 opens them: an empty {@code kontor.mv.db} is a new
     * database to H2, and H2 appends to a trace file that exists. Files of an older install are tightened too.
     */
    private static void privateFiles(Path dir) {
        try {
            PrivateFiles.restrict(dir);
            PrivateFiles.create(dir.resolve("kontor.mv.db"));
            PrivateFiles.create(dir.resolve("kontor.trace.db"));
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    PrivateFiles.restrict(f);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot make the database files in " + dir + " private: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps the file compact while the gateway runs, as H2's own background writer would if {@code WRITE_DELAY}
     * were not 0: rewrites the live pages of the sparsest chunks into new ones, so that the old chunks die and
     * their space is used again (after H2's retention time, 45 s). In small steps, each holding H2's store lock
     * for a moment only, so a tap's commit never waits long for it; call it off the site thread.
     *
     * @return the file's size in bytes afterwards
     */
    public long compact(Duration atMost) {
        return withStore("database compaction failed", store -> {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (System.nanoTime() < deadline
                    && store.getFileStore().getChunksFillRate() < COMPACT_BELOW_FILL_RATE
                    && store.compact(COMPACT_BELOW_FILL_RATE, COMPACT_STEP_BYTES)) {
                // The rewritten pages are written by the next commit: this one, at once.
                store.commit();
            }
            return store.getFileStore().size();
        });
    }

    /** How much of the chunks in the file is live data, in percent; what {@link #compact} raises. */
    public int chunksFillRate() {
        return withStore("cannot read the database's fill rate", store -> store.getFileStore().getChunksFillRate());
    }

    /**
     * The bytes of live pages in the file: what stays once dead chunks are reused and sparse ones compacted. The sum
     * of every chunk's live length as H2's layout map records it; not the file's size times its fill rate, which
     * counts a chunk whole as long as one page of it lives, and dead ones for their retention time too.
     */
    public long liveBytes() {
        return withStore("cannot read the database's live data", store -> {
            long live = 0;
            for (var chunk : store.getLayoutMap().entrySet()) {
                if (chunk.getKey().startsWith("chunk.")) {
                    var fields = org.h2.mvstore.DataUtils.parseMap(chunk.getValue());
                    live += org.h2.mvstore.DataUtils.readHexLong(fields, "liveMax",
                            org.h2.mvstore.DataUtils.readHexLong(fields, "max", 0));
                }
            }
            return live;
        });
    }

    /** Runs {@code work} on H2's own store (below SQL), with the database held open meanwhile. */
    private <T> T withStore(String failure, java.util.function.Function<MVStore, T> work) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            requireOpen();
            try (Connection c = pool.getConnection()) {
                return work.apply(((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase()
                        .getStore().getMvStore());
            }
        } catch (SQLException e) {
            throw new StoreException(failure + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The size of {@code kontor.mv.db} in bytes. */
    public long fileSize() {
        try {
            return Files.size(dir.resolve("kontor.mv.db"));
        } catch (IOException e) {
            throw new StoreException("cannot read the size of the database file: " + e.getMessage(), e);
        }
    }
}
