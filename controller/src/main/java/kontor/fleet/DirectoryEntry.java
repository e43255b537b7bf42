package kontor.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import kontor.members.FleetMember;
import kontor.members.Role;
import kontor.mqtt.Json;

/**
 * One fleet member on the wire: the retained message on {@code {root}/fleet/directory/{member}}.
 *
 * <pre>{"entry":"{\"member\":\"f-anna\",\"version\":7,…}","sig":"&lt;base64 Ed25519&gt;"}</pre>
 *
 * The entry is carried as a string so that the signature covers exactly the bytes the owner wrote; a site
 * parses it only after the signature holds. Fields of the entry: {@code member} (the owner's id),
 * {@code version} (the directory's version when this entry last changed), {@code card_hash} (HMAC-SHA256 of the
 * normalised card, keyed with the fleet key, 64 hex digits), {@code card_last4}, {@code role},
 * {@code accessible}, {@code valid_until} (an instant or null), {@code sites} (site ids, or {@code ["all"]})
 * and {@code revoked}. Unknown fields are refused: an entry a site does not fully understand is not applied.
 */
public record DirectoryEntry(FleetMember member, List<String> sites) {
    public static final String ALL_SITES = "all";
    private static final String ALGORITHM = "Ed25519";
    private static final Pattern MEMBER_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern SITE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Set<String> FIELDS = Set.of("member", "version", "card_hash", "card_last4", "role",
            "accessible", "valid_until", "sites", "revoked");
    /** A directory message is small; anything much larger is not one (and is not parsed). */
    public static final int MAX_BYTES = 4096;

    public DirectoryEntry {
        sites = List.copyOf(sites);
        if (!MEMBER_ID.matcher(member.fleetId()).matches()) {
            throw new IllegalArgumentException("member must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit");
        }
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("sites must name at least one site, or \"all\"");
        }
        for (String site : sites) {
            if (!SITE_ID.matcher(site).matches()) {
                throw new IllegalArgumentException("\"" + site + "\" is not a site id");
            }
        }
    }

    /** A directory entry that failed its signature or its checks: never applied, the reason logged. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    public boolean appliesTo(String siteId) {
        return sites.contains(ALL_SITES) || sites.contains(siteId);
    }

    /** The message the owner publishes, signed with the owner's private key. */
    public byte[] signed(PrivateKey ownerKey) {
        String entry = Json.MAPPER.valueToTree(wireFields()).toString();
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(ownerKey);
            signer.update(entry.getBytes(StandardCharsets.UTF_8));
            ObjectNode message = Json.object();
            message.put("entry", entry);
            message.put("sig", Base64.getEncoder().encodeToString(signer.sign()));
            return message.toString().getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the owner's key: " + e.getMessage(), e);
        }
    }

    private java.util.Map<String, Object> wireFields() {
        java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("member", member.fleetId());
        f.put("version", member.version());
        f.put("card_hash", member.cardHash());
        f.put("card_last4", member.last4());
        f.put("role", member.role().wireName());
        f.put("accessible", member.accessible());
        f.put("valid_until", member.validUntil() == null ? null : member.validUntil().toString());
        f.put("sites", sites);
        f.put("revoked", member.revoked());
        return f;
    }

    /**
     * Checks the owner's signature, then the entry, and that it is about the member its topic names.
     *
     * @throws Refused with the reason, for anything but a well-formed entry the owner signed
     */
    public static DirectoryEntry verify(byte[] payload, PublicKey ownerKey, String topicMember) throws Refused {
        if (payload.length > MAX_BYTES) {
            throw new Refused("larger than " + MAX_BYTES + " bytes");
        }
        JsonNode message;
        try {
            message = Json.tree(payload);
        } catch (RuntimeException e) {
            throw new Refused("not JSON");
        }
        if (message == null || !message.isObject() || message.size() != 2
                || !message.path("entry").isTextual() || !message.path("sig").isTextual()) {
            throw new Refused("not {\"entry\": \"…\", \"sig\": \"…\"}");
        }
        String entry = message.get("entry").asText();
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(ownerKey);
            verifier.update(entry.getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(message.get("sig").asText()))) {
                throw new Refused("not signed by the owner's key");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new Refused("not signed by the owner's key");
        }
        DirectoryEntry parsed = parse(entry);
        if (!parsed.member().fleetId().equals(topicMember)) {
            throw new Refused("about " + parsed.member().fleetId() + " but published for " + topicMember);
        }
        return parsed;
    }

    private static DirectoryEntry parse(String entry) throws Refused {
        JsonNode e;
        try {
            e = Json.tree(entry.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException x) {
            throw new Refused("the entry is not JSON");
        }
        if (e == null || !e.isObject()) {
            throw new Refused("the entry is not a JSON object");
        }
        for (Iterator<String> names = e.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new Refused("unknown field " + name);
            }
        }
        try {
            Role role = Role.fromWireName(text(e, "role"));
            if (role == null) {
                throw new Refused("role must be visitor, host or admin");
            }
            JsonNode until = e.path("valid_until");
            Instant validUntil = until.isNull() || until.isMissingNode() ? null : Instant.parse(until.asText());
            if (!e.path("version").canConvertToLong() || !e.path("accessible").isBoolean() || !e.path("revoked").isBoolean()
                    || !(e.path("sites") instanceof ArrayNode)) {
                throw new Refused("version (a number), accessible and revoked (true/false) and sites (a list) are required");
            }
            List<String> sites = new ArrayList<>();
            for (JsonNode site : e.get("sites")) {
                if (!site.isTextual()) {
                    throw new Refused("sites must be site ids");
                }
                sites.add(site.asText());
            }
            FleetMember member = new FleetMember(text(e, "member"), e.get("version").asLong(), text(e, "card_hash"),
                    text(e, "card_last4"), role, e.get("accessible").asBoolean(), validUntil, e.get("revoked").asBoolean());
            return new DirectoryEntry(member, sites);
        } catch (DateTimeParseException x) {
            throw new Refused("valid_until must be an instant, e.g. 2027-06-30T22:00:00Z");
        } catch (IllegalArgumentException | NullPointerException x) {
            throw new Refused(x.getMessage() == null ? "a required field is missing" : x.getMessage());
        }
    }

    private static String text(JsonNode e, String field) throws Refused {
        JsonNode n = e.get(field);
        if (n == null || !n.isTextual()) {
            throw new Refused(field + " is required (text)");
        }
        return n.asText();
    }
}
