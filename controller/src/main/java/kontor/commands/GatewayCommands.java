package kontor.commands;

import static kontor.gateway.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import kontor.gateway.Gateway;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;

/** {@code gateway.info} and {@code device.list}. */
public final class GatewayCommands {
    private final Gateway gateway;

    public GatewayCommands(Gateway gateway) {
        this.gateway = gateway;
    }

    public void registerOn(CommandServer server) {
        server.register("gateway.info", r -> info());
        server.register("device.list", r -> deviceList());
    }

    private JsonNode info() {
        var journal = gateway.journal();
        return Json.node(fields(
                "site", gateway.site().id(),
                "version", gateway.version(),
                "uptime_s", gateway.uptime().toSeconds(),
                "devices", gateway.devices().all().size(),
                "journal", fields("last_seq", journal.lastSeq(), "unpublished", journal.unpublishedCount())));
    }

    private JsonNode deviceList() {
        List<Map<String, Object>> list = gateway.devices().all().stream()
                .map(d -> fields("id", d.id(), "kind", d.kind(), "available", d.available()))
                .toList();
        return Json.node(fields("devices", list));
    }
}
