package kontor.sim.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import java.util.Optional;
import kontor.sim.broker.BrokerUser.Role;

/**
 * Delivers a message, retained ones included, only to a client whose role may read its topic. A monitor may
 * subscribe to {@code #} as on the production Mosquitto, and as there it gets states, events, alarms, status and
 * discovery, but never commands, their replies or simulator input: those carry raw card numbers.
 */
final class DeliveryGuard implements PublishOutboundInterceptor {

    private final TopicRights rights;

    DeliveryGuard(TopicRights rights) {
        this.rights = rights;
    }

    @Override
    public void onOutboundPublish(PublishOutboundInput input, PublishOutboundOutput output) {
        Optional<Role> role = UserAuthenticator.role(input.getConnectionInformation());
        if (role.isEmpty() || !rights.mayRead(role.get(), input.getPublishPacket().getTopic())) {
            output.preventPublishDelivery();
        }
    }
}
