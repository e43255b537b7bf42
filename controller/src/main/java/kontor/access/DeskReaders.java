package kontor.access;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import kontor.core.CommandMembers;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;
import kontor.site.ReaderSpec;

/**
 * The readers at the hosts' desk (site file: {@code kind: card_reader}, {@code role: desk}). No door is
 * behind them: a valid tap is granted and journaled ({@code card.granted} at the desk reader), which is how
 * the console finds the member. {@code card.enroll_next} lets a host enrol the next new card tapped there.
 */
public final class DeskReaders implements SiteService {
    private final SiteContext site;
    private final CardAccess access;
    private final Set<String> desk;

    public DeskReaders(SiteContext site, CardAccess access) {
        this.site = site;
        this.access = access;
        this.desk = site.site().devices().stream().filter(d -> d instanceof ReaderSpec r && r.desk())
                .map(d -> d.id()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void registerCommands(CommandServer server) {
        server.register("card.enroll_next", this::enrollNext, "reader", "by");
    }

    private JsonNode enrollNext(CommandRequest r) throws CommandException {
        String reader = r.requireText("reader");
        if (!desk.contains(reader)) {
            throw CommandException.notFound("no desk reader called '" + reader + "' (a card_reader with role: desk)");
        }
        Instant until = access.openEnrolWindow(reader, CommandMembers.by(r));
        return Json.node(fields("reader", reader, "until", site.events().time(until)));
    }
}
