package kontor.access;

import kontor.members.Member;

/**
 * A door that decides for itself whether a valid card opens it now (a meeting room: only its booker,
 * or anyone when it is free). Runs on the site thread and must not act: it returns what to do, and
 * {@link CardAccess} journals that before anything moves.
 */
@FunctionalInterface
public interface TapDecider {
    TapDecision decide(String reader, Member member, String maskedCard);
}
