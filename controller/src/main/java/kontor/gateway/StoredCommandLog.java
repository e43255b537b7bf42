package kontor.gateway;

import java.util.Optional;
import kontor.mqtt.CommandLog;
import kontor.store.CommandReplies;
import kontor.store.Database;
import kontor.time.Scheduler;

/** Command replies kept in the database, so a repeated command id is answered the same after a restart too. */
final class StoredCommandLog implements CommandLog {
    private final CommandReplies replies;

    StoredCommandLog(Database db, Scheduler clock) {
        this.replies = new CommandReplies(db, clock::now);
    }

    @Override
    public Optional<byte[]> find(String command, String id) {
        return replies.find(command, id);
    }

    @Override
    public void remember(String command, String id, byte[] reply) {
        replies.remember(command, id, reply);
    }
}
