package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import kontor.device.wiring.ExpanderPin;
import org.junit.jupiter.api.Test;

class DemoSiteTest {
    private final Site site = SiteFiles.demo();

    @Test
    void demo_site_is_the_one_of_the_interface_contract() {
        assertThat(site.id()).isEqualTo("demo");
        assertThat(site.zone()).isEqualTo(ZoneId.of("Europe/Stockholm"));
        assertThat(site.capacity()).isEqualTo(40);
        assertThat(site.currency().getCurrencyCode()).isEqualTo("SEK");
        assertThat(site.minorUnitDigits()).isEqualTo(2);
        assertThat(site.policy()).isEqualTo(Policy.defaults());
        assertThat(site.mqtt()).isNull();
    }

    @Test
    void demo_site_has_every_device_id_of_the_interface_contract() {
        List<String> expected = new ArrayList<>(List.of("reader-bank-a", "door-entrance", "reader-entrance",
                "counter-entrance", "copier-1", "reader-copier-1", "printer-1", "fire-panel", "node-room-3", "reader-desk"));
        for (int n = 1; n <= 16; n++) {
            expected.add(String.format("locker-%02d", n));
        }
        for (int n = 1; n <= 4; n++) {
            expected.add(String.format("loan-%02d", n));
        }
        expected.add("reader-loan");
        expected.add("reader-printer-1");
        for (int n = 1; n <= 3; n++) {
            expected.addAll(List.of("reader-room-" + n, "door-room-" + n, "pir-room-" + n, "light-room-" + n));
        }
        assertThat(site.devices()).extracting(DeviceSpec::id).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void demo_hours_are_weekdays_eight_to_ten_and_weekends_ten_to_six() {
        for (DayOfWeek day : DayOfWeek.values()) {
            String expected = day.getValue() <= 5 ? "08:00-22:00" : "10:00-18:00";
            assertThat(site.hours().weekly().get(day)).extracting(TimeRange::toString).containsExactly(expected);
        }
        assertThat(site.hours().exceptions()).isEmpty();
    }

    @Test
    void demo_lockers_are_twelve_day_and_four_rental_lockers_in_bank_a() {
        LockerBank bank = site.lockerBanks().getFirst();
        assertThat(site.lockerBanks()).hasSize(1);
        assertThat(bank.reader().id()).isEqualTo("reader-bank-a");
        assertThat(bank.deposit()).isZero();
        assertThat(bank.lockers()).hasSize(16);
        assertThat(bank.lockers().subList(0, 12)).allSatisfy(l -> assertThat(l.type()).isEqualTo(LockerType.DAY));
        assertThat(bank.lockers().subList(12, 16)).allSatisfy(l -> assertThat(l.type()).isEqualTo(LockerType.RENTAL));
        assertThat(bank.lockers()).extracting(LockerSpec::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        assertThat(bank.lockers()).allSatisfy(l -> {
            assertThat(l.bank()).isEqualTo("bank-a");
            assertThat(((ExpanderPin) l.lock().output()).address()).isEqualTo(0x20);
            assertThat(((ExpanderPin) l.contact().pin()).address()).isEqualTo(0x21);
            assertThat(l.lock().failSafe()).isFalse();
        });
    }

    @Test
    void demo_rooms_have_their_names_seats_and_devices() {
        assertThat(site.rooms()).extracting(Room::id, Room::name, Room::seats)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("room-1", "Ekorren", 6),
                        org.assertj.core.groups.Tuple.tuple("room-2", "Haren", 4),
                        org.assertj.core.groups.Tuple.tuple("room-3", "Räven", 8));
        Room room3 = site.room("room-3").orElseThrow();
        assertThat(room3.reader().id()).isEqualTo("reader-room-3");
        assertThat(room3.door().id()).isEqualTo("door-room-3");
        assertThat(room3.door().hasExitButton()).isTrue();
        assertThat(room3.light().id()).isEqualTo("light-room-3");
        assertThat(room3.presence()).extracting(PresenceSpec::id).containsExactly("pir-room-3", "node-room-3");
        assertThat(room3.presence().get(1).source()).isInstanceOf(PresenceSpec.CoapSource.class);
    }

    @Test
    void demo_entrance_copier_printer_and_fire_input_are_wired_up() {
        assertThat(site.entrance().door().id()).isEqualTo("door-entrance");
        assertThat(site.entrance().reader().id()).isEqualTo("reader-entrance");
        assertThat(site.entrance().counter().id()).isEqualTo("counter-entrance");
        assertThat(site.copiers()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("copier-1");
            assertThat(c.reader()).isEqualTo("reader-copier-1");
            assertThat(c.priceMono()).isEqualTo(200);
            assertThat(c.priceColour()).isNull();
        });
        assertThat(site.printers()).singleElement().satisfies(p -> {
            assertThat(p.simulated()).isTrue();
            assertThat(p.poll()).isEqualTo(Policy.defaults().printerPoll());
        });
        assertThat(site.fireInput().id()).isEqualTo("fire-panel");
        assertThat(site.device("door-room-1", DoorSpec.class)).get().extracting(DoorSpec::kind).isEqualTo("door");
        assertThat(site.device("door-room-1", ReaderSpec.class)).isEmpty();
    }

    @Test
    void the_desk_reader_is_the_only_reader_with_a_role() {
        assertThat(site.devices()).filteredOn(d -> d instanceof ReaderSpec r && r.desk())
                .extracting(DeviceSpec::id).containsExactly("reader-desk");
    }

    @Test
    void devices_come_in_file_order_with_the_lockers_where_their_bank_is() {
        List<String> ids = site.devices().stream().map(DeviceSpec::id).toList();
        assertThat(ids.getFirst()).isEqualTo("reader-entrance");
        assertThat(ids.indexOf("fire-panel")).isLessThan(ids.indexOf("locker-01"));
        assertThat(ids.indexOf("locker-01")).isLessThan(ids.indexOf("locker-16"));
    }

    @Test
    void kinds_are_the_words_of_the_site_file() {
        assertThat(site.devices()).extracting(DeviceSpec::kind).containsOnly("card_reader", "door", "locker",
                "presence_sensor", "status_light", "people_counter", "copier", "printer", "fire_input",
                "loan_computer");
    }
}
