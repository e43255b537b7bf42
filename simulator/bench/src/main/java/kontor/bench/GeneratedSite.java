package kontor.bench;

/**
 * A large site file, written in code: lockers, room doors, copiers and printers, and presence
 * sensors, all wired to MCP23017 expanders except the Wiegand readers, which must be on the Pi's
 * header. The header has 28 lines, so at most 14 readers: two locker banks, up to eight rooms, up to
 * three copiers and one printer (the release reader of the held print queue, so that its IPP server
 * runs) get one; the other rooms are doors without a reader of their own.
 */
final class GeneratedSite {
    static final int MAX_READERS = 14;
    private static final int BANK_READERS = 2;
    private static final int ROOM_READERS = 8;
    private static final int COPIER_READERS = 3;

    /** How many of each; {@link #devices()} is what the site ends up with. */
    record Size(int lockers, int rooms, int copiersAndPrinters, int sensors) {
        /** The site: 1,000 lockers, 150 rooms, 50 copiers and printers, 800 sensors. */
        static final Size FULL = new Size(1_000, 150, 50, 800);

        Size {
            if (lockers < 1 || rooms < 1 || copiersAndPrinters < 1 || sensors < rooms) {
                throw new IllegalArgumentException("a generated site needs a locker, a room, a copier and a sensor per room");
            }
        }

        Size scaled(double factor) {
            return new Size(Math.max(1, (int) Math.round(lockers * factor)), Math.max(1, (int) Math.round(rooms * factor)),
                    Math.max(1, (int) Math.round(copiersAndPrinters * factor)),
                    Math.max((int) Math.max(1, Math.round(rooms * factor)), (int) Math.round(sensors * factor)));
        }

        int banks() {
            return Math.min(BANK_READERS, lockers);
        }

        int roomsWithReader() {
            return Math.min(ROOM_READERS, rooms);
        }

        int copiers() {
            return Math.min(COPIER_READERS, Math.max(1, copiersAndPrinters / 2));
        }

        /** One printer releases the held print queue (it has a reader), when there is a printer. */
        int releasePrinters() {
            return copiersAndPrinters > copiers() ? 1 : 0;
        }

        int readers() {
            return banks() + roomsWithReader() + copiers() + releasePrinters();
        }

        /** Every device of the site file: lockers count as devices, rooms are their doors. */
        int devices() {
            return lockers + rooms + copiersAndPrinters + sensors + readers();
        }
    }

    private final StringBuilder yaml = new StringBuilder();
    private int bus = 2;
    private int address = 0x20;
    private int pin;
    private int gpio;

    private GeneratedSite() { }

    static String yaml(Size size) {
        return new GeneratedSite().write(size);
    }

    private String write(Size size) {
        line("id: bench");
        line("name: Generated benchmark site");
        line("time_zone: Europe/Stockholm");
        line("capacity: 2000");
        line("currency: SEK");
        line("minor_unit_digits: 2");
        line("hours:");
        line("  weekly: {monday: 08:00-22:00, tuesday: 08:00-22:00, wednesday: 08:00-22:00, thursday: 08:00-22:00,"
                + " friday: 08:00-22:00, saturday: 10:00-18:00, sunday: 10:00-18:00}");
        line("devices:");
        for (int b = 1; b <= size.banks(); b++) {
            reader("reader-bank-" + b);
        }
        for (int r = 1; r <= size.roomsWithReader(); r++) {
            reader("reader-room-" + r);
        }
        for (int c = 1; c <= size.copiers(); c++) {
            reader("reader-copier-" + c);
        }
        for (int p = 1; p <= size.releasePrinters(); p++) {
            reader("reader-printer-" + p);
        }
        for (int r = 1; r <= size.rooms(); r++) {
            line("  - id: door-room-" + r);
            line("    kind: door");
            line("    strike: {mcp23017: " + expander() + ", fail_safe: true}");
            line("    contact: {mcp23017: " + expander() + "}");
            line("    exit_button: {mcp23017: " + expander() + ", active_low: true}");
            line("  - {id: pir-room-" + r + ", kind: presence_sensor, input: {mcp23017: " + expander() + "}}");
        }
        int fieldSensors = size.sensors() - size.rooms();
        for (int s = 1; s <= fieldSensors; s++) {
            if (s % 2 == 0) {
                line("  - {id: node-" + s + ", kind: presence_sensor, coap: {report_interval: 60s}}");
            } else {
                line("  - {id: zigbee-" + s + ", kind: presence_sensor, mqtt: {topic: zigbee2mqtt/occupancy-" + s
                        + ", availability_topic: zigbee2mqtt/occupancy-" + s + "/availability}}");
            }
        }
        for (int c = 1; c <= size.copiers(); c++) {
            line("  - id: copier-" + c);
            line("    kind: copier");
            line("    enable: {mcp23017: " + expander() + "}");
            line("    mono_pulse: {mcp23017: " + expander() + ", active_low: true}");
            line("    reader: reader-copier-" + c);
            line("    price_per_page: {mono: 200}");
        }
        for (int p = 1; p <= size.copiersAndPrinters() - size.copiers(); p++) {
            line("  - {id: printer-" + p + ", kind: printer" + (p <= size.releasePrinters()
                    ? ", reader: reader-printer-" + p + ", price_per_page: {mono: 200, colour: 500}}" : "}"));
        }
        line("locker_banks:");
        int perBank = (size.lockers() + size.banks() - 1) / size.banks();
        int locker = 1;
        for (int b = 1; b <= size.banks(); b++) {
            line("  - id: bank-" + b);
            line("    reader: reader-bank-" + b);
            line("    lockers:");
            for (int n = 1; n <= perBank && locker <= size.lockers(); n++, locker++) {
                line("      - {id: locker-" + locker + ", number: " + n + ", type: " + (n % 4 == 0 ? "rental" : "day")
                        + ", lock: {mcp23017: " + expander() + "}, contact: {mcp23017: " + expander() + "}}");
            }
        }
        line("rooms:");
        for (int r = 1; r <= size.roomsWithReader(); r++) {
            line("  - {id: room-" + r + ", name: Room " + r + ", seats: 6, reader: reader-room-" + r
                    + ", door: door-room-" + r + ", presence: [pir-room-" + r + "]}");
        }
        return yaml.toString();
    }

    private void reader(String id) {
        int d0 = gpio++;
        int d1 = gpio++;
        if (d1 > 27) {
            throw new IllegalStateException("more than " + MAX_READERS + " readers do not fit on the header");
        }
        line("  - {id: " + id + ", kind: card_reader, wiegand: {d0: " + d0 + ", d1: " + d1 + "}}");
    }

    /** The next free expander pin: 16 per chip, chips 0x20 to 0x27, then the next bus (from 2: 0 and 1 would take header pins). */
    private String expander() {
        String text = "{bus: " + bus + ", address: 0x" + Integer.toHexString(address) + ", pin: " + pin + "}";
        if (++pin == 16) {
            pin = 0;
            if (++address > 0x27) {
                address = 0x20;
                if (++bus > 31) {
                    throw new IllegalStateException("the site needs more than 30 I2C buses of expanders");
                }
            }
        }
        return text;
    }

    private void line(String text) {
        yaml.append(text).append('\n');
    }
}
