package kontor.sim.lockers;

import static kontor.sim.lockers.LockerSites.VISITOR;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import kontor.sim.SiteHarness;
import kontor.site.LockerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's group commit lets the site thread go on before an event is stored; a lock must
 * still not move before the record of why is committed. Checked at the instant the lock's output
 * pin changes on the expander, by reading the events table itself (not through the journal, which
 * would wait for the commit).
 */
@ExtendWith(LockerSites.QuickPolling.class)
class JournaledBeforeMovedTest {

    @Test
    void a_tapped_locker_opens_only_once_the_grant_and_the_unlock_are_committed(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            List<List<String>> committedWhenOpened = watchOpenings(site, site.site().lockers().getFirst());

            LockerSites.tap(site, VISITOR);

            assertThat(committedWhenOpened).hasSize(1);
            assertThat(committedWhenOpened.getFirst()).containsSubsequence("card.granted", "locker.assigned", "locker.unlocked");
        }
    }

    @Test
    void a_locker_opened_by_a_host_opens_only_once_its_unlock_is_committed(@TempDir Path data) {
        try (SiteHarness site = LockerSites.demo(data)) {
            LockerSpec locker = site.site().lockers().get(3);
            List<List<String>> committedWhenOpened = watchOpenings(site, locker);

            site.command("locker.open", "{\"locker\":\"" + locker.id() + "\",\"by\":\"anna\"}");

            assertThat(committedWhenOpened).hasSize(1);
            assertThat(committedWhenOpened.getFirst()).endsWith("locker.unlocked");
        }
    }

    /** For each time the locker's lock is released: the types of the events committed at that instant. */
    private static List<List<String>> watchOpenings(SiteHarness site, LockerSpec locker) {
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        site.world().board().watch(locker.lock().output(), released -> {
            if (released) {
                seen.add(committedTypes(site));
            }
        });
        return seen;
    }

    private static List<String> committedTypes(SiteHarness site) {
        return site.gateway().context().db().read(tx -> {
            List<String> types = new ArrayList<>();
            try (PreparedStatement p = tx.connection().prepareStatement("SELECT type FROM events ORDER BY seq");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            return types;
        });
    }
}
