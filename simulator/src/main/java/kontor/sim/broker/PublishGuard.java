package kontor.sim.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import java.util.Optional;
import kontor.sim.broker.BrokerUser.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a PUBLISH the sender's role may not make (a topic not its own, or a retained command or simulator input),
 * acknowledging it with NOT_AUTHORIZED (MQTT 5, QoS 1/2).
 * The default permissions would refuse it too, but HiveMQ then also disconnects the client; a read-only
 * dashboard that presses a wrong button should stay connected.
 */
final class PublishGuard implements PublishInboundInterceptor {

    private static final Logger log = LoggerFactory.getLogger(PublishGuard.class);

    private final TopicRights rights;

    PublishGuard(TopicRights rights) {
        this.rights = rights;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String topic = input.getPublishPacket().getTopic();
        boolean retained = input.getPublishPacket().getRetain();
        Optional<Role> role = UserAuthenticator.role(input.getConnectionInformation());
        if (role.isEmpty() || !rights.mayPublish(role.get(), topic, retained)) {
            log.debug("dropped a publish to {} from client {} ({})", topic,
                    input.getClientInformation().getClientId(), role.map(Role::name).orElse("no role"));
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED,
                    "not allowed to publish " + (retained ? "a retained message " : "") + "to " + topic);
        }
    }
}
