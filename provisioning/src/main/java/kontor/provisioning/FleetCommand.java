package kontor.provisioning;

import static kontor.core.Events.fields;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import kontor.cli.KontorSubcommand;
import kontor.cli.UserError;
import kontor.fleet.DirectoryEntry;
import kontor.fleet.OwnerKeys;
import kontor.members.FleetMember;
import kontor.mqtt.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kontor fleet …}: what an owner of many offices runs on their own machine (docs/fleet.md). It reads
 * and writes the fleet directory on the cluster, and reads what every site reports there.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "One card at every office: the owner's fleet directory on the cluster, and every site's status.",
        subcommands = {FleetCommand.Import.class, FleetCommand.Revoke.class, FleetCommand.Status.class})
public final class FleetCommand implements KontorSubcommand, Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the owner's files are and, optionally, another way to the cluster. */
    static final class Centre {
        @Option(names = "--centre", required = true, paramLabel = "DIR", description = "the directory 'kontor provision centre' wrote")
        Path dir;

        @Option(names = "--broker", paramLabel = "URL", description = "reach the cluster here instead of fleet.properties' broker")
        URI broker;

        FleetOwner connect() {
            return FleetOwner.connect(dir, broker);
        }

        PublicKey ownerKey() {
            return OwnerKeys.readPublic(dir.resolve(FleetCentre.OWNER_PUBLIC_KEY));
        }
    }

    /** The directory as the cluster holds it: fleet member → entry, and the latest version. */
    record Directory(Map<String, DirectoryEntry> entries, long version) {
        static Directory read(FleetOwner owner, PublicKey key) {
            Map<String, byte[]> retained = owner.retained(List.of(owner.topics.directory(), owner.topics.version()));
            Map<String, DirectoryEntry> entries = new TreeMap<>();
            long version = 0;
            for (Map.Entry<String, byte[]> m : retained.entrySet()) {
                if (m.getKey().equals(owner.topics.version())) {
                    version = Math.max(version, Json.tree(m.getValue()).path("version").asLong());
                    continue;
                }
                try {
                    DirectoryEntry e = DirectoryEntry.verify(m.getValue(), key, owner.topics.memberOf(m.getKey()));
                    entries.put(e.member().fleetId(), e);
                    version = Math.max(version, e.member().version());
                } catch (DirectoryEntry.Refused refused) {
                    throw new UserError("the cluster holds an entry on " + m.getKey() + " that is not the owner's ("
                            + refused.getMessage() + "): clear it (mosquitto_pub -r -n -t " + m.getKey() + ") and look into who wrote it");
                }
            }
            return new Directory(entries, version);
        }

        /** Publishes entries, each with the next version, and then the directory's version. */
        long publish(FleetOwner owner, List<DirectoryEntry> changed) {
            long v = version;
            for (DirectoryEntry e : changed) {
                v++;
                FleetMember m = e.member();
                DirectoryEntry versioned = new DirectoryEntry(new FleetMember(m.fleetId(), v, m.cardHash(), m.last4(), m.role(),
                        m.accessible(), m.validUntil(), m.revoked()), e.sites());
                owner.retain(owner.topics.entry(m.fleetId()), versioned.signed(owner.signingKey));
                entries.put(m.fleetId(), versioned);
            }
            owner.retain(owner.topics.version(), Json.bytes(fields("version", v, "members", entries.size())));
            return v;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Adds or changes fleet members from a CSV file: all or nothing, every problem with its line.",
                    "Columns: member, card, and optionally role, accessible, valid_until (a date), sites (ids or 'all')."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Centre centre = new Centre();
        @Option(names = "--zone", paramLabel = "ZONE", description = "the zone valid_until dates are in (default: this machine's)")
        ZoneId zone = ZoneId.systemDefault();
        @Parameters(paramLabel = "CSV")
        Path csv;

        @Override
        public Integer call() throws IOException {
            List<FleetImport.Row> rows;
            try {
                rows = FleetImport.check(Files.readString(csv, StandardCharsets.UTF_8), zone);
            } catch (CardImport.ImportFailed e) {
                PrintWriter err = spec.commandLine().getErr();
                e.errors().forEach(l -> err.println(csv + ":" + l.line() + ": " + l.message()));
                err.println("Nothing was imported.");
                return kontor.cli.Main.BAD_INPUT;
            } catch (java.nio.charset.MalformedInputException e) {
                throw new UserError(csv + " is not UTF-8 text");
            }
            try (FleetOwner owner = centre.connect()) {
                Directory d = Directory.read(owner, centre.ownerKey());
                Map<String, String> memberByCard = new LinkedHashMap<>();
                d.entries().values().forEach(e -> memberByCard.put(e.member().cardHash(), e.member().fleetId()));
                List<DirectoryEntry> changed = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                int unchanged = 0;
                for (FleetImport.Row r : rows) {
                    String hash = owner.cards.hash(r.card());
                    String holder = memberByCard.get(hash);
                    if (holder != null && !holder.equals(r.member())) {
                        problems.add(csv + ":" + r.line() + ": card " + kontor.device.Cards.mask(r.card()) + " already belongs to fleet member " + holder);
                        continue;
                    }
                    DirectoryEntry old = d.entries().get(r.member());
                    if (old != null && old.member().revoked()) {
                        problems.add(csv + ":" + r.line() + ": fleet member " + r.member() + " was revoked; revocation is final: give the person a new member id");
                        continue;
                    }
                    String card = r.card();
                    DirectoryEntry entry = new DirectoryEntry(new FleetMember(r.member(), 1, hash,
                            card.substring(Math.max(0, card.length() - 4)), r.role(), r.accessible(), r.validUntil(), false), r.sites());
                    if (old != null && sameButVersion(old, entry)) {
                        unchanged++;
                    } else {
                        changed.add(entry);
                    }
                }
                if (!problems.isEmpty()) {
                    problems.forEach(spec.commandLine().getErr()::println);
                    spec.commandLine().getErr().println("Nothing was imported.");
                    return kontor.cli.Main.BAD_INPUT;
                }
                long version = changed.isEmpty() ? d.version() : d.publish(owner, changed);
                spec.commandLine().getOut().println(changed.size() + " fleet member(s) added or changed, " + unchanged
                        + " unchanged; the directory is at version " + version + ".");
            }
            return 0;
        }

        private static boolean sameButVersion(DirectoryEntry a, DirectoryEntry b) {
            FleetMember x = a.member();
            FleetMember y = b.member();
            return x.cardHash().equals(y.cardHash()) && x.role() == y.role() && x.accessible() == y.accessible()
                    && Objects.equals(x.validUntil(), y.validUntil()) && x.revoked() == y.revoked() && a.sites().equals(b.sites());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes fleet members at every site: their cards open nothing anywhere once a site has applied it (final).")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Centre centre = new Centre();
        @Parameters(paramLabel = "MEMBER", arity = "1..*", description = "fleet member ids")
        List<String> members;

        @Override
        public Integer call() {
            try (FleetOwner owner = centre.connect()) {
                Directory d = Directory.read(owner, centre.ownerKey());
                List<DirectoryEntry> changed = new ArrayList<>();
                for (String id : members) {
                    DirectoryEntry e = d.entries().get(id);
                    if (e == null) {
                        throw new UserError("no fleet member " + id + " in the directory");
                    }
                    if (!e.member().revoked()) {
                        FleetMember m = e.member();
                        changed.add(new DirectoryEntry(new FleetMember(m.fleetId(), m.version(), m.cardHash(), m.last4(), m.role(),
                                m.accessible(), m.validUntil(), true), e.sites()));
                    }
                }
                long version = changed.isEmpty() ? d.version() : d.publish(owner, changed);
                spec.commandLine().getOut().println(changed.size() + " fleet member(s) revoked; the directory is at version " + version
                        + ". 'kontor fleet status' shows which sites have applied it.");
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Every site's gateway status, active alarms and the directory version it has applied.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Centre centre = new Centre();
        @Option(names = "--json", description = "one JSON object per site, one per line")
        boolean json;

        @Override
        public Integer call() {
            try (FleetOwner owner = centre.connect()) {
                String root = owner.topics.version().substring(0, owner.topics.version().indexOf("/fleet/version"));
                Map<String, byte[]> retained = owner.retained(List.of(owner.topics.version(), root + "/+/gateway/status",
                        owner.topics.everyApplied(), root + "/+/alarms/+"));
                long latest = retained.containsKey(owner.topics.version())
                        ? Json.tree(retained.get(owner.topics.version())).path("version").asLong() : 0;
                Map<String, Map<String, Object>> sites = new TreeMap<>();
                for (Map.Entry<String, byte[]> m : retained.entrySet()) {
                    String[] level = m.getKey().substring(root.length() + 1).split("/");
                    if (level[0].equals(kontor.site.FleetSpec.TOPIC_LEVEL) && level.length == 2) {
                        continue; // the directory's own version
                    }
                    Map<String, Object> site = sites.computeIfAbsent(level[0], id -> new LinkedHashMap<>(fields(
                            "site", id, "gateway", "unknown", "applied", 0L, "behind", latest, "alarms", new ArrayList<String>())));
                    JsonNode body = Json.tree(m.getValue());
                    switch (level[1]) {
                        case "gateway" -> {
                            site.put("gateway", body.path("state").asText("unknown"));
                            site.put("version", body.path("version").asText(null));
                        }
                        case "fleet" -> {
                            site.put("applied", body.path("version").asLong());
                            site.put("behind", Math.max(0, latest - body.path("version").asLong()));
                            site.put("applied_at", body.path("at").asText(null));
                        }
                        case "alarms" -> {
                            @SuppressWarnings("unchecked")
                            List<String> alarms = (List<String>) site.get("alarms");
                            alarms.add(level[2]);
                        }
                        default -> { }
                    }
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    sites.values().forEach(s -> out.println(Json.node(s)));
                    return 0;
                }
                out.println("Directory version " + latest + "; " + sites.size() + " site(s).");
                out.printf("%-20s %-8s %-18s %s%n", "site", "gateway", "directory", "active alarms");
                for (Map<String, Object> s : sites.values()) {
                    long behind = (long) s.get("behind");
                    out.printf("%-20s %-8s %-18s %s%n", s.get("site"), s.get("gateway"),
                            s.get("applied") + (behind == 0 ? " (current)" : " (" + behind + " behind)"),
                            ((List<?>) s.get("alarms")).isEmpty() ? "-" : String.join(", ", ((List<?>) s.get("alarms")).stream().map(Object::toString).toList()));
                }
            }
            return 0;
        }
    }
}
