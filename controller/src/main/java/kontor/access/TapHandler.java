package kontor.access;

import kontor.members.Member;

/**
 * What a kind of door (entrance, room, locker bank, copier) does with a tap the card check allowed.
 * Runs on the site thread; decides and acts, and journals what it did.
 */
@FunctionalInterface
public interface TapHandler {
    void granted(String reader, Member member, String maskedCard);
}
