package kontor.sim.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.sim.SiteHarness;
import kontor.sim.demo.DemoCards;
import kontor.sim.rooms.RoomSite;
import kontor.site.DoorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events go to the journal's group commit and the site thread goes on; what tells of them (a retained
 * state) or acts on them (a strike) must still wait until they are committed. Checked at the instant
 * the state is sent or the pin changes, by reading the events table itself.
 */
class ToldAfterJournaledTest {

    @Test
    void a_doors_open_state_goes_out_only_once_door_opened_is_committed(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T10:00:00"))) {
            List<List<String>> committedWhenToldOpen = new CopyOnWriteArrayList<>();
            site.gateway().context().retained().onChange((topic, payload) -> {
                if (topic.endsWith("/devices/door-room-1/state") && payload != null
                        && new String(payload, StandardCharsets.UTF_8).contains("\"open\":true")) {
                    committedWhenToldOpen.add(committed(site, "door-room-1"));
                }
            });

            RoomSite.door(site, "door-room-1", true);

            assertThat(committedWhenToldOpen).hasSize(1);
            assertThat(committedWhenToldOpen.getFirst()).contains("door.opened");
        }
    }

    @Test
    void the_entrance_strike_moves_after_hours_only_once_the_hosts_grant_is_committed(@TempDir Path data) {
        try (SiteHarness site = SiteHarness.demo(data, LocalDateTime.parse("2026-12-01T22:30:00"))) {
            DoorSpec entrance = site.site().device("door-entrance", DoorSpec.class).orElseThrow();
            List<List<String>> committedWhenMoved = new CopyOnWriteArrayList<>();
            site.world().board().watch(entrance.strike().output(), level -> committedWhenMoved.add(committed(site, "reader-entrance")));

            site.tap("reader-entrance", DemoCards.HOST);

            assertThat(committedWhenMoved).isNotEmpty();
            assertThat(committedWhenMoved.getFirst()).containsExactly("card.granted");
        }
    }

    /** The types of the committed events of one device, straight from the database. */
    private static List<String> committed(SiteHarness site, String device) {
        return site.gateway().context().db().read(tx -> {
            List<String> types = new ArrayList<>();
            try (PreparedStatement p = tx.connection().prepareStatement(
                    "SELECT type FROM events WHERE device = ? ORDER BY seq")) {
                p.setString(1, device);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        types.add(rs.getString(1));
                    }
                }
            }
            return types;
        });
    }
}
