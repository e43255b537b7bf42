package kontor.gateway;

import java.util.Optional;
import kontor.mqtt.CommandLog;
import kontor.store.CommandReplies;
import kontor.store.Database;

/** Command replies kept in the database, so a repeated command id is answered the same after a restart too. */
final class JournalCommandLog implements CommandLog {
    private final CommandReplies replies;

    JournalCommandLog(Database db) {
        this.replies = new CommandReplies(db);
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
