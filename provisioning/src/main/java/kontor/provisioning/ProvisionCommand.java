package kontor.provisioning;

import kontor.cli.KontorSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kontor provision …}: what an installer runs to set up a site. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Sets up a site: a site-file skeleton, credentials, cards, the service, the wiring table.",
        subcommands = {InitCommand.class, CredentialsCommand.class, CardsCommand.class, InstallCommand.class,
                WiringCommand.class, ConsoleUserCommand.class, CentreCommand.class})
public final class ProvisionCommand implements KontorSubcommand, Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
