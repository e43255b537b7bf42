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
        server.register("member.refund", this::refund, "amount", "card", "member", "by");
    }

    @Override
    public void describe(Member member, Map<String, Object> result) {
        result.put("balance", ledger.balance(member.id()));
    }

    /** The key is the request id: a repeated request (even one whose reply a crash lost) credits once. */
    private JsonNode credit(CommandRequest r) throws CommandException {
        long amount = amount(r);
        String by = CommandMembers.by(r);
        Member member = CommandMembers.member(site.members(), r);
        Ledger.Posting posting = site.db().inTransaction(tx -> ledger.credit(tx, member.id(), amount, Ledger.TOP_UP,
                "cmd:member.credit:" + r.id(), null, fields("by", by)));
        return Json.node(fields("balance", posting.balance()));
    }

    /**
     * Money paid back to the member (cash over the desk) from their balance, never below zero: a refund
     * is not a loan. The key is the request id, as for a credit.
     */
    private JsonNode refund(CommandRequest r) throws CommandException {
        long amount = amount(r);
        String by = CommandMembers.by(r);
        Member member = CommandMembers.member(site.members(), r);
        String key = "cmd:member.refund:" + r.id();
        try {
            Ledger.Posting posting = site.db().inTransaction(tx -> {
                if (!ledger.posted(tx, key)) {
                    long balance = ledger.balance(tx, member.id());
                    if (balance < amount) {
                        throw new InsufficientFundsException(balance, amount);
                    }
                }
                return ledger.charge(tx, member.id(), amount, Ledger.REFUND, key, null, fields("by", by));
            });
            return Json.node(fields("balance", posting.balance()));
        } catch (InsufficientFundsException e) {
            throw new CommandException(CommandException.INSUFFICIENT_FUNDS, "the balance is " + e.balance()
                    + "; at most that can be refunded");
        }
    }

    /** A credit's or refund's {@code amount}: a positive whole number of minor units, at most {@link Ledger#MAX_AMOUNT}. */
    private static long amount(CommandRequest r) throws CommandException {
        if (r.body().path("amount").isTextual() || r.body().path("amount").isFloatingPointNumber()) {
            // "50.00" or 50.5: the sender thinks in kronor. Say so rather than guess a factor of 100.
            throw CommandException.badRequest("field 'amount' is in minor units (öre, cents), a whole number: "
                    + "50.00 SEK is 5000, not " + r.body().get("amount"));
        }
        long amount = r.requirePositiveLong("amount");
        if (amount > Ledger.MAX_AMOUNT) {
            throw CommandException.badRequest("field 'amount' must be at most " + Ledger.MAX_AMOUNT);
        }
        return amount;
    }
}
