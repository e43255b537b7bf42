package kontor.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import kontor.journal.Journal;
import kontor.mqtt.CommandLog;
import kontor.store.CommandReplies;
import kontor.store.Database;
import kontor.store.StoreException;
import kontor.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command replies kept in the database, so a repeated command id is answered the same after a restart too.
 * A reply is kept (and so sent) only once the events its command emitted are in the journal.
 *
 * <p>Kept by a thread of its own, not the site thread: waiting for the command's events to be written and
 * committing the reply were two of the three commits a command cost the site thread, and a door's tap that
 * arrives meanwhile waits for whatever the site thread is doing. Replies that arrive together are kept in one
 * transaction. Until a reply is stored, {@link #find} answers it from memory, so a request repeated at once
 * is not carried out twice.
 */
public final class StoredCommandLog implements CommandLog, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoredCommandLog.class);
    private static final int MAX_BATCH = 500;

    private record Key(String command, String id) { }

    private record Unkept(Key key, byte[] reply, CompletableFuture<Void> kept) { }

    private final Database db;
    private final CommandReplies replies;
    private final Journal journal;
    private final ExecutorService keeper;
    /** Replies given and not yet stored, by request. */
    private final Map<Key, byte[]> unkept = new ConcurrentHashMap<>();
    private final List<Unkept> waiting = new ArrayList<>();
    private boolean draining;

    public StoredCommandLog(Database db, Journal journal, Scheduler clock) {
        this(db, journal, clock, Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("command-replies").unstarted(r)));
    }

    /** With the thread that keeps replies given (tests run it by hand). */
    StoredCommandLog(Database db, Journal journal, Scheduler clock, ExecutorService keeper) {
        this.db = db;
        this.replies = new CommandReplies(db, clock::now);
        this.journal = journal;
        this.keeper = keeper;
    }

    @Override
    public Optional<byte[]> find(String command, String id) {
        byte[] pending = unkept.get(new Key(command, id));
        return pending != null ? Optional.of(pending) : replies.find(command, id);
    }

    @Override
    public CompletableFuture<Void> remember(String command, String id, byte[] reply) {
        Key key = new Key(command, id);
        CompletableFuture<Void> kept = new CompletableFuture<>();
        if (unkept.putIfAbsent(key, reply) != null) {
            return CompletableFuture.completedFuture(null); // the first reply is the one kept; find gave it
        }
        synchronized (waiting) {
            waiting.add(new Unkept(key, reply, kept));
            if (!draining) {
                try {
                    keeper.execute(this::drain);
                    draining = true;
                } catch (RejectedExecutionException closed) {
                    waiting.removeLast();
                    unkept.remove(key, reply);
                    kept.completeExceptionally(new StoreException("the gateway is stopping: the reply to " + command + " was not kept"));
                }
            }
        }
        return kept;
    }

    /** Keeps what is waiting, in transactions of up to {@link #MAX_BATCH}, until nothing is. */
    private void drain() {
        while (true) {
            List<Unkept> batch;
            synchronized (waiting) {
                if (waiting.isEmpty()) {
                    draining = false;
                    return;
                }
                batch = new ArrayList<>(waiting.subList(0, Math.min(MAX_BATCH, waiting.size())));
                waiting.subList(0, batch.size()).clear();
            }
            keep(batch);
        }
    }

    private void keep(List<Unkept> batch) {
        try {
            journal.awaitWritten(); // the events of these commands were handed in before their replies
            db.inTransaction(tx -> {
                for (Unkept u : batch) {
                    replies.remember(tx, u.key().command(), u.key().id(), u.reply());
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.error("{} command replies could not be kept, and are not sent: {}", batch.size(), e.getMessage());
            for (Unkept u : batch) {
                unkept.remove(u.key(), u.reply());
                u.kept().completeExceptionally(e);
            }
            return;
        }
        for (Unkept u : batch) {
            unkept.remove(u.key(), u.reply());
            u.kept().complete(null);
        }
    }

    /** Keeps the replies still waiting (up to 30 s), then refuses new ones. Call it before the journal closes. */
    @Override
    public void close() {
        keeper.shutdown();
        try {
            if (!keeper.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Command replies were still being kept after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
