package kontor.core;

import java.util.Optional;
import kontor.journal.Journal;
import kontor.mqtt.CommandLog;
import kontor.store.CommandReplies;
import kontor.store.Database;
import kontor.time.Scheduler;

/**
 * Command replies kept in the database, so a repeated command id is answered the same after a restart too.
 * A reply is kept (and so sent) only once the events its command emitted are in the journal.
 */
public final class StoredCommandLog implements CommandLog {
    private final CommandReplies replies;
    private final Journal journal;

    public StoredCommandLog(Database db, Journal journal, Scheduler clock) {
        this.replies = new CommandReplies(db, clock::now);
        this.journal = journal;
    }

    @Override
    public Optional<byte[]> find(String command, String id) {
        return replies.find(command, id);
    }

    @Override
    public void remember(String command, String id, byte[] reply) {
        journal.awaitWritten();
        replies.remember(command, id, reply);
    }
}
