package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MosquittoPasswordsTest {
    @Test
    void hashes_exactly_as_mosquitto_passwd_does() {
        // Written by: mosquitto_passwd -b -c passwd mon pw   (Mosquitto 2.0.11)
        String written = "$7$101$3FEG86ZwcWMTzuEg$ye4caZJV4403GCQEm6/OdLj9cueLwG/9zLK/X1LFC3ZpxQrss8IYQp0mRGvPTpEt7nIBSUbeaeqXnlG7pxvHbw==";
        byte[] salt = Base64.getDecoder().decode("3FEG86ZwcWMTzuEg");
        assertThat(MosquittoPasswords.hash("pw".toCharArray(), salt, 101)).isEqualTo(written);
    }

    @Test
    void every_hash_has_its_own_salt() {
        MosquittoPasswords p = new MosquittoPasswords(new SecureRandom());
        assertThat(p.hash("same".toCharArray())).isNotEqualTo(p.hash("same".toCharArray()));
    }

    @Test
    void a_user_name_that_would_break_the_file_is_refused() {
        MosquittoPasswords p = new MosquittoPasswords(new SecureRandom());
        assertThatIllegalArgumentException().isThrownBy(() -> p.line("a:b", "x".toCharArray()));
        assertThat(p.line("anna", "x".toCharArray())).startsWith("anna:$7$101$");
    }
}
