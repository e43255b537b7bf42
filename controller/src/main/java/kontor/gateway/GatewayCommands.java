package kontor.gateway;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import kontor.core.SiteDevices;
import kontor.journal.Journal;
import kontor.mqtt.CommandServer;
import kontor.mqtt.Json;

/** {@code gateway.info} and {@code device.list}. */
public final class GatewayCommands {
    private final String site;
    private final String version;
    private final Supplier<Duration> uptime;
    private final SiteDevices devices;
    private final Journal journal;

    public GatewayCommands(String site, String version, Supplier<Duration> uptime, SiteDevices devices, Journal journal) {
        this.site = site;
        this.version = version;
        this.uptime = uptime;
        this.devices = devices;
        this.journal = journal;
    }

    public void registerOn(CommandServer server) {
        server.register("gateway.info", r -> info());
        server.register("device.list", r -> deviceList());
    }

    private JsonNode info() {
        return Json.node(fields(
                "site", site,
                "version", version,
                "uptime_s", uptime.get().toSeconds(),
                "devices", devices.all().size(),
                "journal", fields("last_seq", journal.lastSeq(), "unpublished", journal.unpublishedCount())));
    }

    private JsonNode deviceList() {
        List<Map<String, Object>> list = devices.all().stream()
                .map(d -> fields("id", d.id(), "kind", d.kind(), "available", d.available()))
                .toList();
        return Json.node(fields("devices", list));
    }
}
