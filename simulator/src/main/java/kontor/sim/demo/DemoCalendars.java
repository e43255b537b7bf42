package kontor.sim.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import kontor.calendars.CalendarUrl;
import kontor.cli.UserError;
import kontor.site.CalendarSpec;
import kontor.site.Site;
import kontor.store.PrivateFiles;

/**
 * {@code kontor demo --caldav URL}: each room linked to the CalDAV collection {@code URL/{room id}/}, and each bank
 * of loan computers to {@code URL/{bank id}/} (the demo's {@code loans/}), synced every {@value #POLL_SECONDS} s. A password in the URL goes into a file of mode 600 in the data directory (where the site
 * file of a real site would name it) and is never printed: the banner shows the URL without user and password.
 */
public final class DemoCalendars {
    public static final int POLL_SECONDS = 10;
    static final String PASSWORD_FILE = "caldav.password";

    private DemoCalendars() { }

    public static Site link(Site site, String url, Path data) {
        CalendarUrl base;
        try {
            base = CalendarUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new UserError("--caldav: " + e.getMessage());
        }
        Path passwordFile = null;
        if (base.password() != null) {
            try {
                Files.createDirectories(data);
                passwordFile = data.resolve(PASSWORD_FILE);
                PrivateFiles.create(passwordFile);
                Files.writeString(passwordFile, base.password(), StandardCharsets.UTF_8,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the CalDAV password in " + passwordFile, e);
            }
        }
        Path secret = passwordFile;
        var rooms = site.rooms().stream().map(room -> room.withCalendar(caldav(base, room.id(), secret))).toList();
        var loanBanks = site.loanBanks().stream().map(bank -> bank.withCalendar(caldav(base, bank.id(), secret))).toList();
        return new Site(site.id(), site.name(), site.zone(), site.capacity(), site.currency(), site.minorUnitDigits(),
                site.hours(), site.policy(), site.mqtt(), site.devices(), site.lockerBanks(), rooms, site.entrance(),
                site.fireInput(), site.homeAssistant(), site.coap(), site.http(), site.fleet(), loanBanks);
    }

    private static CalendarSpec caldav(CalendarUrl base, String id, Path secret) {
        return new CalendarSpec(CalendarSpec.Kind.CALDAV, base.child(id).url(), base.user(), secret,
                Duration.ofSeconds(POLL_SECONDS));
    }

    /** How the banner shows a room's collection: its parent, as given, without user or password. */
    static String shown(CalendarSpec spec) {
        return spec.url().resolve("..") + "{room id}/";
    }
}
