package kontor.money;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import kontor.core.CommandMembers;
import kontor.core.MemberDetails;
import kontor.core.SiteContext;
import kontor.core.SiteService;
import kontor.members.Member;
import kontor.mqtt.CommandException;
import kontor.mqtt.CommandRequest;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;

/** Balances for hosts: {@code member.credit} (a top-up) and the balance in {@code member.show}. */
public final class MoneyService implements SiteService, MemberDetails {
    private final SiteContext site;
    private final Ledger ledger;

    public MoneyService(SiteContext site) {
        this.site = site;
        this.ledger = Ledger.of(site);
    }

    @Override
    public void registerCommands(CommandServer server) {
        server.register("member.credit", this::credit, "amount", "card", "member", "by");
    }

    @Override
    public void describe(Member member, Map<String, Object> result) {
        result.put("balance", ledger.balance(member.id()));
    }

    /** The key is the request id: a repeated request (even one whose reply a crash lost) credits once. */
    private JsonNode credit(CommandRequest r) throws CommandException {
        long amount = r.requirePositiveLong("amount");
        if (amount > Ledger.MAX_AMOUNT) {
            throw CommandException.badRequest("field 'amount' must be at most " + Ledger.MAX_AMOUNT);
        }
        String by = CommandMembers.by(r);
        Member member = CommandMembers.member(site.members(), r);
        Ledger.Posting posting = site.db().inTransaction(tx -> ledger.credit(tx, member.id(), amount, Ledger.TOP_UP,
                "cmd:member.credit:" + r.id(), null, fields("by", by)));
        return Json.node(fields("balance", posting.balance()));
    }
}
