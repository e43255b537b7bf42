/** The {@code kontor} command line: picocli, one class per sub-command. */
package kontor.cli;
