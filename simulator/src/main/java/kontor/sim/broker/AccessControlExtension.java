package kontor.sim.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.MqttActivity;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.util.List;
import java.util.Map;
import kontor.sim.broker.BrokerUser.Role;

/**
 * The embedded extension that makes the broker refuse strangers. {@code Services} and {@code Builders} are static
 * per JVM, and HiveMQ points them at the broker that is starting: they are used only inside
 * {@link #extensionStart}, which {@link DemoBroker} runs one broker at a time.
 */
final class AccessControlExtension implements ExtensionMain {

    private final List<BrokerUser> users;
    private final TopicRights rights;
    private volatile boolean active;

    AccessControlExtension(List<BrokerUser> users, TopicRights rights) {
        this.users = List.copyOf(users);
        this.rights = rights;
    }

    /** False if HiveMQ never started it or it failed: the broker would then let anyone in. */
    boolean isActive() {
        return active;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        try {
            UserAuthenticator authenticator = new UserAuthenticator(users, permissionsPerRole());
            PublishGuard guard = new PublishGuard(rights);
            DeliveryGuard delivery = new DeliveryGuard(rights);
            Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
            Services.initializerRegistry().setClientInitializer((initializerInput, clientContext) -> {
                clientContext.addPublishInboundInterceptor(guard);
                clientContext.addPublishOutboundInterceptor(delivery);
            });
            active = true;
        } catch (RuntimeException e) {
            output.preventExtensionStartup("access control could not start: " + e);
        }
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        active = false;
    }

    private Map<Role, List<TopicPermission>> permissionsPerRole() {
        Map<Role, List<TopicPermission>> perRole = new java.util.EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            List<TopicPermission> granted = new java.util.ArrayList<>();
            // Any subscription is accepted, as Mosquitto accepts it; the DeliveryGuard decides what reaches a monitor.
            granted.add(allow("#", MqttActivity.SUBSCRIBE, TopicPermission.Retain.ALL));
            // Publish rights come from TopicRights alone, so the broker and the PublishGuard cannot disagree.
            rights.publishGrants(role).forEach(g -> granted.add(allow(g.filter(),
                    role == Role.GATEWAY ? MqttActivity.ALL : MqttActivity.PUBLISH,
                    g.retain() ? TopicPermission.Retain.ALL : TopicPermission.Retain.NOT_RETAINED)));
            perRole.put(role, List.copyOf(granted));
        }
        return perRole;
    }

    private static TopicPermission allow(String filter, MqttActivity activity, TopicPermission.Retain retain) {
        return Builders.topicPermission()
                .topicFilter(filter)
                .type(TopicPermission.PermissionType.ALLOW)
                .activity(activity)
                .retain(retain)
                .build();
    }
}
