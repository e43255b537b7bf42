package kontor.core;

import kontor.members.Member;

/**
 * What the door, bank or machine behind a reader decides for a tap whose card is valid: a meeting
 * room lets in only its booker (or anyone when it is free), a locker bank opens the member's locker,
 * the copier starts a session. Runs on the site thread and must not act: it returns what to do, and
 * the card check ({@code kontor.access.CardAccess}) journals that before the grant's action moves anything.
 */
@FunctionalInterface
public interface TapDecider {
    TapDecision decide(String reader, Member member, String maskedCard);
}
