package kontor.sim.demo;

import static kontor.core.Events.fields;

import kontor.gateway.Gateway;
import kontor.members.Member;
import kontor.members.Members;
import kontor.members.Role;
import kontor.money.Ledger;
import kontor.printing.PrintQueue;

/**
 * The demo cards of docs/reference.md (the raw identifiers a reader reports), enrolled on a data directory's
 * first start, together with the visitor's starting balance (journaled as {@code payment.credited}).
 */
public final class DemoCards {
    public static final String VISITOR = "04A1B2C3D4E501";
    public static final String ACCESSIBLE_VISITOR = "04A1B2C3D4E502";
    public static final String HOST = "04A1B2C3D4E503";
    public static final String REVOKED = "04A1B2C3D4E5FF";
    /** The visitor's print name and PIN for the held print queue. */
    public static final String PRINT_NAME = "demo";
    public static final String PRINT_PIN = "1234";
    /** The visitor's balance on a fresh demo, in öre. */
    public static final long VISITOR_BALANCE = 10_000;

    private DemoCards() { }

    /** The demo members' e-mail addresses (docs/reference.md, "The demo site"), by card. */
    public static final java.util.Map<String, String> EMAILS = java.util.Map.of(
            VISITOR, "alice@example.org", ACCESSIBLE_VISITOR, "bob@example.org", HOST, "host@example.org");

    static void enrol(Gateway gateway) {
        Members members = gateway.members();
        if (members.byCard(VISITOR).isPresent()) {
            giveEmails(members);
            return;
        }
        Ledger ledger = Ledger.of(gateway.context());
        Member enrolled = gateway.context().db().inTransaction(tx -> {
            Member visitor = members.enroll(tx, VISITOR, Role.VISITOR, false, null);
            members.enroll(tx, ACCESSIBLE_VISITOR, Role.VISITOR, true, null);
            members.enroll(tx, HOST, Role.HOST, false, null);
            members.enroll(tx, REVOKED, Role.VISITOR, false, null);
            members.revoke(tx, REVOKED);
            ledger.credit(tx, visitor.id(), VISITOR_BALANCE, Ledger.TOP_UP, "demo:visitor-balance", null,
                    fields("by", "demo"));
            return visitor;
        });
        // The visitor's print log-in for the held print queue (docs/printing.md): name demo, PIN 1234.
        PrintQueue.setLogin(gateway.context().db(), enrolled.id(), PRINT_NAME, PRINT_PIN);
        giveEmails(members);
    }

    /** Also on a data directory from before the e-mails: each demo member without one gets its own. */
    private static void giveEmails(Members members) {
        EMAILS.forEach((card, email) -> members.byCard(card).ifPresent(m -> {
            if (members.email(m.id()).isEmpty()) {
                members.setEmail(m.id(), email);
            }
        }));
    }
}
