package kontor.core;

import java.util.Map;
import kontor.members.Member;

/**
 * A {@link SiteService} that knows something about a member for hosts ({@code member.show}):
 * the ledger adds the balance, lockers the lockers held, rooms the bookings. Runs on the site thread.
 */
public interface MemberDetails {
    void describe(Member member, Map<String, Object> result);
}
