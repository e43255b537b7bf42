package kontor.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import kontor.printing.QueueIdentity;
import kontor.site.Site;
import kontor.site.SiteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The Avahi service file that announces the held print queue: parsed as Avahi would, record by record. */
class AvahiServiceTest {
    @TempDir
    Path dir;

    private Site demoWithHttps() throws Exception {
        Path cert = Files.writeString(dir.resolve("server.pem"), "cert");
        Path key = Files.writeString(dir.resolve("server.key"), "key");
        return SiteFiles.demo("\nhttp:\n  cert_file: " + cert + "\n  key_file: " + key + "\n  port: 8631\n");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // The DOCTYPE names avahi-service.dtd, which is Avahi's to read: the test checks the structure itself.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void announces_the_queue_as_an_ipps_printer_phones_list_with_the_records_ipp_everywhere_asks_for() throws Exception {
        Site site = demoWithHttps();

        Document doc = parse(AvahiService.text(site, "kontor-pi.local"));

        Element group = doc.getDocumentElement();
        assertThat(group.getTagName()).isEqualTo("service-group");
        assertThat(texts(group, "name")).containsExactly(site.name() + " print and pay");
        NodeList services = group.getElementsByTagName("service");
        assertThat(services.getLength()).isEqualTo(1);
        Element service = (Element) services.item(0);
        assertThat(texts(service, "type")).containsExactly("_ipps._tcp");
        assertThat(texts(service, "subtype")).containsExactly("_universal._sub._ipps._tcp");
        assertThat(texts(service, "port")).containsExactly("8631");
        Map<String, String> txt = new LinkedHashMap<>();
        for (String record : texts(service, "txt-record")) {
            assertThat(record.getBytes(StandardCharsets.UTF_8).length).as(record).isLessThanOrEqualTo(255);
            txt.put(record.substring(0, record.indexOf('=')), record.substring(record.indexOf('=') + 1));
        }
        assertThat(txt).containsEntry("txtvers", "1").containsEntry("rp", "ipp/print")
                .containsEntry("ty", "Kontor held print queue").containsEntry("note", site.name())
                .containsEntry("pdl", "application/pdf,image/jpeg")
                .containsEntry("Color", "T")        // printer-1 has a colour price
                .containsEntry("Duplex", "F").containsEntry("TLS", "1.2").containsEntry("air", "username,password")
                .containsEntry("adminurl", "https://kontor-pi.local:8631/");
        assertThat("urn:uuid:" + txt.get("UUID")).as("the printer-uuid the queue reports over IPP")
                .isEqualTo(QueueIdentity.printerUuid(site.id()));
        assertThat(txt.get("UUID")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void escapes_what_xml_would_misread_in_the_sites_name() throws Exception {
        Path cert = Files.writeString(dir.resolve("server.pem"), "cert");
        Path key = Files.writeString(dir.resolve("server.key"), "key");
        String demo;
        try (var in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Site odd = SiteFiles.parse("odd.yaml", demo.replaceFirst("(?m)^name: .*$", "name: 'Library <Nord> & \"Syd\"'")
                + "\nhttp:\n  cert_file: " + cert + "\n  key_file: " + key + "\n");

        Document doc = parse(AvahiService.text(odd, "kontor-pi.local"));

        assertThat(texts(doc.getDocumentElement(), "name")).containsExactly("Library <Nord> & \"Syd\" print and pay");
        assertThat(texts(doc.getDocumentElement(), "txt-record")).contains("note=Library <Nord> & \"Syd\"");
    }

    @Test
    void install_writes_the_file_readable_by_avahi_and_only_for_a_site_that_serves_the_queue() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path siteFile = Files.writeString(dir.resolve("site.yaml"), "unused");

        InstallPlan plan = InstallPlan.of(root, demoWithHttps(), siteFile, null, null, "java", true, List.of());
        for (InstallPlan.Step step : plan.steps()) {
            if (step.describe().startsWith("write " + AvahiService.PATH)) {
                step.apply();
            }
        }

        Path file = root.resolve(AvahiService.PATH.substring(1));
        assertThat(Files.readString(file)).contains("<type>_ipps._tcp</type>");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        assertThat(InstallPlan.of(root, SiteFiles.demo(), siteFile, null, null, "java", true, List.of()).steps())
                .as("no https server, nothing to announce").noneMatch(s -> s.describe().startsWith("write " + AvahiService.PATH));
    }

    private Site named(String name) throws Exception {
        Path cert = Files.writeString(dir.resolve("server.pem"), "cert");
        Path key = Files.writeString(dir.resolve("server.key"), "key");
        String demo;
        try (var in = SiteFiles.class.getClassLoader().getResourceAsStream(SiteFiles.DEMO_RESOURCE)) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return SiteFiles.parse("long.yaml", demo.replaceFirst("(?m)^name: .*$", "name: '" + name + "'")
                + "\nhttp:\n  cert_file: " + cert + "\n  key_file: " + key + "\n");
    }

    private static String announcedName(Site site) throws Exception {
        return texts(parse(AvahiService.text(site, "kontor-pi.local")).getDocumentElement(), "name").getFirst();
    }

    @Test
    void a_long_site_name_is_cut_to_dns_sds_63_bytes_at_a_whole_character_and_keeps_print_and_pay() throws Exception {
        // 48 bytes, then "ö" (2 bytes) across the 49 bytes the site's name may take before " print and pay".
        String name = "Stadsbiblioteket Knislinge filial och lasesal 12" + "öppet alla dagar";
        String announced = announcedName(named(name));
        assertThat(announced.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(AvahiService.NAME_BYTES);
        assertThat(announced).isEqualTo("Stadsbiblioteket Knislinge filial och lasesal 12 print and pay");

        // A character outside the BMP (4 bytes, two Java chars) is never split either.
        String emoji = "a".repeat(47) + "\uD83D\uDCDA library";
        assertThat(announcedName(named(emoji))).isEqualTo("a".repeat(47) + " print and pay");
        // Exactly at the limit, nothing is cut; a short name is as it was.
        assertThat(announcedName(named("b".repeat(49)))).isEqualTo("b".repeat(49) + " print and pay");
        assertThat(announcedName(named("Filial Syd"))).isEqualTo("Filial Syd print and pay");
        // What is cut is cut whole and strips the space it leaves.
        assertThat(AvahiService.cut("ab\u00f6c", 3)).isEqualTo("ab");
        assertThat(AvahiService.cut("ab\u00f6c", 4)).isEqualTo("ab\u00f6");
    }

    @Test
    void install_removes_the_announcement_it_wrote_once_the_site_has_no_queue_and_never_a_file_of_someone_else()
            throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path siteFile = Files.writeString(dir.resolve("site.yaml"), "unused");
        Path file = root.resolve(AvahiService.PATH.substring(1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, AvahiService.text(demoWithHttps(), "kontor-pi.local"));

        // The site no longer serves the queue (no HTTPS server): the old announcement goes.
        InstallPlan plan = InstallPlan.of(root, SiteFiles.demo(), siteFile, null, null, "java", true, List.of());
        List<InstallPlan.Step> ours = plan.steps().stream().filter(s -> s.describe().contains(AvahiService.PATH)).toList();
        assertThat(ours).singleElement().satisfies(s -> assertThat(s.describe()).startsWith("remove " + AvahiService.PATH));
        ours.getFirst().apply();
        assertThat(file).doesNotExist();
        assertThat(InstallPlan.of(root, SiteFiles.demo(), siteFile, null, null, "java", true, List.of()).steps())
                .as("nothing left to remove").noneMatch(s -> s.describe().contains(AvahiService.PATH));

        // A file of that name someone else wrote is left alone.
        String foreign = "<service-group><name>Someone's printer</name></service-group>\n";
        Files.writeString(file, foreign);
        List<InstallPlan.Step> steps = InstallPlan.of(root, SiteFiles.demo(), siteFile, null, null, "java", true, List.of())
                .steps().stream().filter(s -> s.describe().contains(AvahiService.PATH)).toList();
        assertThat(steps).singleElement().satisfies(s -> assertThat(s.describe()).startsWith("leave " + AvahiService.PATH));
        steps.getFirst().apply();
        assertThat(Files.readString(file)).isEqualTo(foreign);
    }
}
