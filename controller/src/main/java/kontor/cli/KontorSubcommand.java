package kontor.cli;

/**
 * A picocli {@code @Command} class that other modules contribute to {@code kontor} through
 * {@code META-INF/services/kontor.cli.KontorSubcommand}. This is how the demo (simulator module)
 * and the provisioning commands join the CLI without the controller depending on them — and how
 * a production install without the simulator jar simply has no {@code demo}.
 */
public interface KontorSubcommand { }
