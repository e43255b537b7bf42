package kontor.core;

import java.util.Optional;
import kontor.device.Cards;
import kontor.members.Member;
import kontor.members.Members;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;

/** The member a command names by {@code card} or by {@code member}: exactly one of the two. */
public final class CommandMembers {
    private CommandMembers() { }

    public static Member member(Members members, CommandRequest r) throws CommandException {
        boolean hasCard = r.body().hasNonNull("card");
        boolean hasMember = r.body().hasNonNull("member");
        if (hasCard == hasMember) {
            throw CommandException.badRequest("give exactly one of 'card' and 'member'");
        }
        Optional<Member> found;
        if (hasCard) {
            String card;
            try {
                card = Cards.normalise(r.requireText("card"));
            } catch (IllegalArgumentException e) {
                throw CommandException.badRequest("field 'card': " + e.getMessage());
            }
            found = members.byCard(card);
        } else {
            found = members.byId(r.requireText("member"));
        }
        return found.orElseThrow(() -> CommandException.notFound("no such member"));
    }

    /** The optional {@code by} field: who did it (an operator's name or id), journaled with the deed. */
    public static String by(CommandRequest r) throws CommandException {
        Optional<String> by = r.optionalText("by");
        if (by.isPresent() && by.get().length() > 64) {
            throw CommandException.badRequest("field 'by' must have at most 64 characters");
        }
        return by.orElse(null);
    }
}
