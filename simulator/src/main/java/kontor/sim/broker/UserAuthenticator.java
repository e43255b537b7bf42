package kontor.sim.broker;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import kontor.sim.broker.BrokerUser.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Username/password check for every CONNECT. On success the connection carries its role (for {@link PublishGuard})
 * and the role's default permissions, which HiveMQ itself enforces on every SUBSCRIBE and PUBLISH.
 */
final class UserAuthenticator implements SimpleAuthenticator {

    static final String ROLE_ATTRIBUTE = "kontor.role";
    /** The gateway's client id is {@code kontor-<site>}; no other user may take one that starts so. */
    static final String GATEWAY_CLIENT_PREFIX = "kontor-";

    private static final Logger log = LoggerFactory.getLogger(UserAuthenticator.class);

    private final Map<String, Account> accounts;
    private final Map<Role, List<TopicPermission>> permissions;
    /** Compared against when the username is unknown, so that an unknown user costs as much as a wrong password. */
    private final byte[] decoyDigest;

    private record Account(Role role, byte[] passwordDigest) {}

    UserAuthenticator(List<BrokerUser> users, Map<Role, List<TopicPermission>> permissions) {
        this.accounts = users.stream().collect(Collectors.toUnmodifiableMap(
                BrokerUser::username, user -> new Account(user.role(), sha256(user.password().getBytes(StandardCharsets.UTF_8)))));
        this.permissions = Map.copyOf(permissions);
        byte[] decoy = new byte[32];
        new SecureRandom().nextBytes(decoy);
        this.decoyDigest = sha256(decoy);
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        Optional<String> username = input.getConnectPacket().getUserName();
        Optional<ByteBuffer> password = input.getConnectPacket().getPassword();
        if (username.isEmpty() || password.isEmpty()) {
            log.debug("refused a connection without username and password");
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "username and password required");
            return;
        }
        Account account = accounts.get(username.get());
        // Digests have one fixed length, so isEqual's time does not depend on how much of the password was right.
        byte[] expected = account == null ? decoyDigest : account.passwordDigest();
        boolean matches = MessageDigest.isEqual(expected, sha256(bytes(password.get())));
        if (account == null || !matches) {
            log.debug("refused a connection with a bad username or password");
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            return;
        }
        // The gateway connects as kontor-<site>. MQTT lets a second connection with a client id take it over, which
        // would knock the gateway off the broker: only the gateway's own user may use that prefix.
        String clientId = input.getConnectPacket().getClientId();
        if (account.role() != Role.GATEWAY && clientId.startsWith(GATEWAY_CLIENT_PREFIX)) {
            log.warn("refused user {}: client ids starting with '{}' belong to the gateway", username.get(), GATEWAY_CLIENT_PREFIX);
            output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client ids starting with '" + GATEWAY_CLIENT_PREFIX + "' belong to the gateway");
            return;
        }
        input.getConnectionInformation().getConnectionAttributeStore().putAsString(ROLE_ATTRIBUTE, account.role().name());
        ModifiableDefaultPermissions granted = output.getDefaultPermissions();
        granted.addAll(permissions.get(account.role()));
        granted.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    /** The role {@link #onConnect} gave the connection; empty for one it did not let in. */
    static Optional<Role> role(com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(ROLE_ATTRIBUTE).map(Role::valueOf);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        copy.rewind();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
