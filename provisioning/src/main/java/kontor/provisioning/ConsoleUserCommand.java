package kontor.provisioning;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import kontor.cli.UserError;
import kontor.console.Accounts;
import kontor.console.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kontor provision console-user}: adds (or gives a new password to) an account of the host console,
 * e.g. the first admin. The password is read from the terminal, twice, or with {@code --password-stdin} from
 * standard input (one line), so it never shows in the process list or the shell's history. The gateway
 * picks the account up without a restart.
 */
@Command(name = "console-user", mixinStandardHelpOptions = true,
        description = "Adds a host console account (or sets its password): monitor, host or admin.")
final class ConsoleUserCommand implements Callable<Integer> {
    @Mixin
    SiteOptions site;

    @Option(names = "--name", required = true, description = "the user name (lower-case letters, digits, . - _)")
    String name;

    @Option(names = "--role", required = true, description = "monitor (read only), host or admin")
    String role;

    @Option(names = "--password-stdin", description = "read the password from standard input instead of the terminal")
    boolean passwordStdin;

    @Override
    public Integer call() throws IOException {
        site.site(); // a bad site file is reported before anything is written
        String problem = Accounts.nameProblem(name);
        if (problem != null) {
            throw new UserError("--name: " + problem);
        }
        Role r;
        try {
            r = Role.of(role);
        } catch (IllegalArgumentException e) {
            throw new UserError("--role: " + e.getMessage());
        }
        char[] password = password();
        try {
            problem = Accounts.passwordProblem(password);
            if (problem != null) {
                throw new UserError(problem);
            }
            Accounts accounts = new Accounts(site.data);
            accounts.put(name, r, password);
            System.out.println("Console account '" + name + "' (" + r.wireName() + ") saved in " + accounts.file());
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }

    private char[] password() throws IOException {
        if (passwordStdin) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new UserError("--password-stdin: standard input is empty");
            }
            return line.toCharArray();
        }
        Console terminal = System.console();
        if (terminal == null) {
            throw new UserError("no terminal to ask for the password on: use --password-stdin");
        }
        char[] first = terminal.readPassword("Password for %s: ", name);
        char[] again = terminal.readPassword("The same again: ");
        if (first == null || again == null || !Arrays.equals(first, again)) {
            throw new UserError("the two passwords differ");
        }
        Arrays.fill(again, '\0');
        return first;
    }
}
