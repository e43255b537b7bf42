package kontor.provisioning;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import kontor.cli.UserError;
import kontor.members.CardHasher;
import kontor.site.Site;
import kontor.core.Events;
import kontor.journal.Journal;
import kontor.money.Ledger;
import kontor.store.Database;
import kontor.time.SystemScheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kontor provision cards …}. */
@Command(name = "cards", mixinStandardHelpOptions = true, description = "Cards of a site's members.",
        subcommands = CardsCommand.ImportCommand.class)
final class CardsCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code kontor provision cards import --config FILE [--data DIR] CSV}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Enrols the cards of a CSV file, all or nothing.",
                    "Columns: card, role, accessible, valid_until, opening_balance, email.",
                    "Every problem is reported with its line number, and then nothing is imported.",
                    "Stop the gateway first; it holds the database while it runs."})
    static final class ImportCommand implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        SiteOptions site;

        @Parameters(index = "0", paramLabel = "CSV", description = "the cards")
        Path csv;

        @Override
        public Integer call() throws IOException {
            Site loaded = site.site();
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(csv))).toString();
            } catch (NoSuchFileException e) {
                throw new UserError("the file " + csv + " does not exist");
            } catch (CharacterCodingException e) {
                throw new UserError(csv + " is not UTF-8 text; save it from the spreadsheet as 'CSV UTF-8'");
            }
            CardImport cardImport = new CardImport(loaded.zone(), Instant::now);
            PrintWriter err = spec.commandLine().getErr();
            try {
                cardImport.check(text); // problems in the file itself are reported without opening the database
                CardHasher hasher = SiteData.hasher(site.data); // and so is a missing secret: no database is created
                try (Database db = SiteData.open(site.data);
                     SystemScheduler clock = new SystemScheduler("card-import")) {
                    Journal journal = new Journal(db, loaded.zone());
                    Ledger ledger = new Ledger(db, new Events(journal, clock), clock, loaded.policy().creditLimit());
                    CardImport.Imported done = cardImport.run(text, db, SiteData.members(db, hasher), ledger);
                    PrintWriter out = spec.commandLine().getOut();
                    out.println("Imported " + done.members() + " cards into " + site.data
                            + (done.withBalance() == 0 ? "." : "; " + done.withBalance() + " with an opening balance, "
                            + done.balanceTotal() + " minor units of " + loaded.currency() + " in all."));
                    out.flush();
                    return 0;
                }
            } catch (CardImport.ImportFailed e) {
                for (CardImport.LineError line : e.errors()) {
                    err.println(csv + ": " + line);
                }
                err.println("kontor provision cards import: " + e.errors().size() + (e.errors().size() == 1 ? " problem" : " problems")
                        + "; nothing was imported.");
                err.flush();
                return 2;
            }
        }
    }
}
