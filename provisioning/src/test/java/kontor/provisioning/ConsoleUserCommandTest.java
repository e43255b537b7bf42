package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import kontor.console.Accounts;
import kontor.members.PasswordHash;
import kontor.console.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleUserCommandTest {
    @TempDir
    Path dir;

    private int run(String stdin, String... args) throws Exception {
        Path site = dir.resolve("site.yaml");
        if (!Files.exists(site)) {
            kontor.cli.Main.commandLine().execute("provision", "init", "--site-id", "test", "--out", site.toString());
        }
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 6];
            all[0] = "provision";
            all[1] = "console-user";
            all[2] = "--config";
            all[3] = site.toString();
            all[4] = "--data";
            all[5] = dir.resolve("data").toString();
            System.arraycopy(args, 0, all, 6, args.length);
            return kontor.cli.Main.commandLine().execute(all);
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void the_first_admin_is_written_as_an_argon2id_hash_in_a_file_only_the_gateway_reads() throws Exception {
        assertThat(run("a long passphrase\n", "--name", "anna", "--role", "admin", "--password-stdin")).isZero();
        Path file = dir.resolve("data").resolve(Accounts.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Accounts.Account anna = new Accounts(dir.resolve("data")).find("anna").orElseThrow();
        assertThat(anna.role()).isEqualTo(Role.ADMIN);
        assertThat(anna.hash()).startsWith("$argon2id$v=19$").doesNotContain("passphrase");
        assertThat(PasswordHash.verify("a long passphrase".toCharArray(), anna.hash())).isTrue();
        assertThat(PasswordHash.verify("a long passphrasE".toCharArray(), anna.hash())).isFalse();
    }

    @Test
    void a_short_password_a_bad_name_or_an_unknown_role_is_refused_and_writes_nothing() throws Exception {
        assertThat(run("short\n", "--name", "anna", "--role", "admin", "--password-stdin")).isEqualTo(2);
        assertThat(run("a long passphrase\n", "--name", "Anna!", "--role", "admin", "--password-stdin")).isEqualTo(2);
        assertThat(run("a long passphrase\n", "--name", "anna", "--role", "boss", "--password-stdin")).isEqualTo(2);
        assertThat(dir.resolve("data").resolve(Accounts.FILE_NAME)).doesNotExist();
    }
}
