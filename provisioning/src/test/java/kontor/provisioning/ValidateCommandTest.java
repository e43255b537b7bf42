package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import kontor.cli.KontorSubcommand;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int validate(String... args) {
        return new CommandLine(new ValidateCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void a_valid_site_file_is_ok_with_its_device_count() throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, SiteFiles.skeleton("test-site"));
        int devices = SiteFiles.load(file).devices().size();

        assertThat(validate(file.toString())).isZero();
        assertThat(out.toString()).isEqualTo(file + ": ok (" + devices + " devices)" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void an_invalid_site_file_prints_one_line_per_problem_and_exits_2() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, SiteFiles.skeleton("test-site")
                .replace("capacity: 40", "capacity: lots")
                .replace("reader: reader-room-1", "reader: reader-room-9"));

        assertThat(validate(file.toString())).isEqualTo(2);
        assertThat(err.toString().lines().toList()).satisfiesExactly(
                line -> assertThat(line).matches(java.util.regex.Pattern.quote(file.toString()) + ":\\d+: capacity: expected a whole number, found \"lots\""),
                line -> assertThat(line).matches(java.util.regex.Pattern.quote(file.toString())
                        + ":\\d+: rooms\\[0\\]\\.reader: there is no device \"reader-room-9\" \\(expected a card_reader\\)"));
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void a_missing_file_or_a_directory_is_file_line_and_exit_2() {
        Path missing = dir.resolve("missing.yaml");
        assertThat(validate(missing.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(missing + ":1: (file): the site file does not exist" + System.lineSeparator());
    }

    @Test
    void no_file_argument_is_a_usage_error() {
        assertThat(validate()).isEqualTo(2);
        assertThat(err.toString()).contains("FILE");
    }

    @Test
    void the_command_joins_the_kontor_cli_through_the_service_loader() {
        assertThat(ServiceLoader.load(KontorSubcommand.class).stream().map(ServiceLoader.Provider::type))
                .contains(ValidateCommand.class);
        assertThat(new CommandLine(new ValidateCommand()).getCommandName()).isEqualTo("validate");
    }
}
