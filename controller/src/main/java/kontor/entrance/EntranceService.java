package kontor.entrance;

import static kontor.core.Events.fields;

import kontor.core.TapDecision;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.members.Member;
import kontor.safety.Doors;
import kontor.site.Entrance;

/**
 * The entrance door by the opening hours: released (held open) while the site is open, locked
 * otherwise; out of hours only a host's or an admin's card opens it, for one strike time.
 */
public final class EntranceService implements SiteService {
    private final SiteContext context;
    private final Doors doors;
    private final Entrance entrance;

    public EntranceService(SiteContext context, Doors doors) {
        this.context = context;
        this.doors = doors;
        this.entrance = context.site().entrance();
    }

    @Override
    public void start() {
        if (entrance != null && entrance.reader() != null) {
            context.taps().decideAt(entrance.reader().id(), (reader, member, masked) -> decide(member));
        }
    }

    @Override
    public void onOpened() {
        if (entrance != null) {
            doors.setNormal(entrance.door().id(), Doors.Normal.RELEASED);
        }
    }

    @Override
    public void onClosed() {
        if (entrance != null) {
            doors.setNormal(entrance.door().id(), Doors.Normal.LOCKED);
        }
    }

    private TapDecision decide(Member member) {
        if (context.hours().isOpen()) {
            // The door is open anyway: the tap is let through and nothing moves.
            return TapDecision.grant(fields("action", "open_hours"), () -> { });
        }
        var policy = context.site().policy();
        var time = member.accessible() ? policy.accessibleStrikeTime() : policy.strikeTime();
        if (!member.role().isStaff()) {
            if (!context.hours().clockTrusted()) {
                // The hours are unknown while the clock is: a card valid at any time (the card check let only those
                // through) opens the entrance for one strike time, as a host's does.
                return TapDecision.grant(fields("action", "clock_unsynchronised"), () -> doors.unlock(entrance.door().id(), time));
            }
            return TapDecision.deny("closed");
        }
        return TapDecision.grant(fields("action", "staff"), () -> doors.unlock(entrance.door().id(), time));
    }
}
