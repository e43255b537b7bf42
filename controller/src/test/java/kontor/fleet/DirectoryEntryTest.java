package kontor.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import kontor.members.FleetMember;
import kontor.members.Role;
import kontor.mqtt.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory entry is applied only as the owner signed it, about the member its topic names. */
class DirectoryEntryTest {
    private static final KeyPair OWNER = OwnerKeys.generate();
    private static final String HASH = "a".repeat(64);

    private static DirectoryEntry anna(List<String> sites) {
        return new DirectoryEntry(new FleetMember("anna", 3, HASH, "E601", Role.VISITOR, true,
                Instant.parse("2027-06-30T22:00:00Z"), false), sites);
    }

    @Test
    void an_entry_the_owner_signed_reads_back_as_written() throws Exception {
        DirectoryEntry read = DirectoryEntry.verify(anna(List.of("north", "south")).signed(OWNER.getPrivate()), OWNER.getPublic(), "anna");
        assertThat(read).isEqualTo(anna(List.of("north", "south")));
        assertThat(read.appliesTo("north")).isTrue();
        assertThat(read.appliesTo("west")).isFalse();
        assertThat(anna(List.of("all")).appliesTo("west")).isTrue();
    }

    @Test
    void another_key_a_changed_byte_another_topic_or_an_unknown_field_is_refused() {
        byte[] signed = anna(List.of("all")).signed(OWNER.getPrivate());
        assertThatThrownBy(() -> DirectoryEntry.verify(anna(List.of("all")).signed(OwnerKeys.generate().getPrivate()), OWNER.getPublic(), "anna"))
                .isInstanceOf(DirectoryEntry.Refused.class).hasMessageContaining("not signed by the owner");
        byte[] tampered = new String(signed, StandardCharsets.UTF_8).replace("\\\"revoked\\\":false", "\\\"revoked\\\":true")
                .replace("\\\"accessible\\\":true", "\\\"accessible\\\":false").getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(signed);
        assertThatThrownBy(() -> DirectoryEntry.verify(tampered, OWNER.getPublic(), "anna")).isInstanceOf(DirectoryEntry.Refused.class);
        assertThatThrownBy(() -> DirectoryEntry.verify(signed, OWNER.getPublic(), "bert"))
                .isInstanceOf(DirectoryEntry.Refused.class).hasMessageContaining("published for bert");
        assertThatThrownBy(() -> DirectoryEntry.verify("{}".getBytes(StandardCharsets.UTF_8), OWNER.getPublic(), "anna"))
                .isInstanceOf(DirectoryEntry.Refused.class);
        assertThatThrownBy(() -> DirectoryEntry.verify(new byte[DirectoryEntry.MAX_BYTES + 1], OWNER.getPublic(), "anna"))
                .isInstanceOf(DirectoryEntry.Refused.class).hasMessageContaining("larger");
    }

    @Test
    void an_entry_with_a_field_a_site_does_not_know_is_refused_even_when_signed() throws Exception {
        String entry = "{\"member\":\"anna\",\"version\":1,\"card_hash\":\"" + HASH + "\",\"card_last4\":\"E601\",\"role\":\"visitor\","
                + "\"accessible\":false,\"valid_until\":null,\"sites\":[\"all\"],\"revoked\":false,\"balance\":100000}";
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(OWNER.getPrivate());
        s.update(entry.getBytes(StandardCharsets.UTF_8));
        var message = Json.object();
        message.put("entry", entry);
        message.put("sig", java.util.Base64.getEncoder().encodeToString(s.sign()));
        assertThatThrownBy(() -> DirectoryEntry.verify(message.toString().getBytes(StandardCharsets.UTF_8), OWNER.getPublic(), "anna"))
                .isInstanceOf(DirectoryEntry.Refused.class).hasMessageContaining("unknown field balance");
    }

    @Test
    void the_owners_keys_survive_a_round_trip_through_their_files(@TempDir Path dir) throws Exception {
        OwnerKeys.write(dir.resolve("owner.key"), OWNER.getPrivate());
        OwnerKeys.write(dir.resolve("owner.pub"), OWNER.getPublic());
        byte[] signed = anna(List.of("all")).signed(OwnerKeys.readPrivate(dir.resolve("owner.key")));
        assertThat(DirectoryEntry.verify(signed, OwnerKeys.readPublic(dir.resolve("owner.pub")), "anna").member().fleetId()).isEqualTo("anna");
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("owner.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }
}
