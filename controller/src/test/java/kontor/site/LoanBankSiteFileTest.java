package kontor.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** The site file's {@code loan_banks}: a charging locker of loan computers with one reader. */
class LoanBankSiteFileTest {

    private static final String READER = """
              - id: reader-loan
                kind: card_reader
                wiegand: {d0: 20, d1: 21}
            """;

    private static final String BANK = """
            loan_banks:
              - id: loans
                reader: reader-loan
                computers:
                  - id: loan-01
                    lock: {gpio: 22}
                    contact: {gpio: 23, active_low: true}
                    present: {gpio: 24}
                    charged: {gpio: 25}
                  - id: loan-02
                    lock: {gpio: 12}
                    contact: {gpio: 13}
                    present: {gpio: 16}
            """;

    private static String site(String bank) {
        return SiteFileProblemsTest.MINIMAL.replace("devices:\n", "devices:\n" + READER) + bank;
    }

    @Test
    void a_bank_of_loan_computers_is_parsed_into_devices_of_their_own_kind() throws Exception {
        Site site = SiteFiles.parse("loans.yaml", site(BANK));

        LoanBank bank = site.loanBank("loans").orElseThrow();
        assertThat(bank.reader().id()).isEqualTo("reader-loan");
        assertThat(bank.deposit()).isZero(); // free of charge unless the site sets a deposit
        assertThat(site.loanComputers()).extracting(LoanComputerSpec::id).containsExactly("loan-01", "loan-02");
        LoanComputerSpec first = site.device("loan-01", LoanComputerSpec.class).orElseThrow();
        assertThat(first.kind()).isEqualTo("loan_computer");
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.hasChargeInput()).isTrue();
        assertThat(site.device("loan-02", LoanComputerSpec.class).orElseThrow().hasChargeInput()).isFalse();
        assertThat(site.policy().get(SiteSettings.LOAN_GRACE)).hasMinutes(15);
    }

    @Test
    void a_bank_and_a_computer_may_each_have_a_calendar_like_a_room() throws Exception {
        String linked = BANK.replace("    reader: reader-loan\n", "    reader: reader-loan\n"
                + "    calendar: {ics: \"https://booking.example/web/ical.php?rid=laptops\"}\n")
                .replace("    present: {gpio: 16}\n", "    present: {gpio: 16}\n"
                        + "        calendar: {caldav: https://cloud.example/dav/calendars/kontor/loan-02/, poll: 30s}\n");
        Site site = SiteFiles.parse("loans.yaml", site(linked));

        CalendarSpec bank = site.loanBank("loans").orElseThrow().calendar();
        assertThat(bank.kind()).isEqualTo(CalendarSpec.Kind.ICS);
        assertThat(bank.writable()).isFalse();
        assertThat(site.device("loan-01", LoanComputerSpec.class).orElseThrow().calendar()).isNull();
        CalendarSpec own = site.device("loan-02", LoanComputerSpec.class).orElseThrow().calendar();
        assertThat(own.kind()).isEqualTo(CalendarSpec.Kind.CALDAV);
        assertThat(own.poll()).hasSeconds(30);
    }

    @Test
    void a_bank_calendar_with_a_password_in_its_url_is_refused_without_repeating_it() {
        String linked = BANK.replace("    reader: reader-loan\n", "    reader: reader-loan\n"
                + "    calendar: {caldav: \"https://kontor:hunter2@cloud.example/dav/laptops/\"}\n");
        SiteFileException e = catchThrowableOfType(SiteFileException.class,
                () -> SiteFiles.parse("loans.yaml", site(linked)));
        assertThat(e.problems()).extracting(Problem::path).contains("loan_banks[0].calendar.caldav");
        assertThat(e.getMessage()).doesNotContain("hunter2");

        // A password the URL parser chokes on (a space, a '/') is not repeated either.
        String unparsable = BANK.replace("    reader: reader-loan\n", "    reader: reader-loan\n"
                + "    calendar: {caldav: \"https://kontor:hun ter/2@cloud.example/dav/laptops/\"}\n");
        SiteFileException bad = catchThrowableOfType(SiteFileException.class,
                () -> SiteFiles.parse("loans.yaml", site(unparsable)));
        assertThat(bad.problems()).extracting(Problem::path).contains("loan_banks[0].calendar.caldav");
        assertThat(bad.getMessage()).doesNotContain("hun ter").doesNotContain("ter/2");
    }

    @Test
    void a_bay_without_present_input_or_contact_is_refused_and_changes_nothing() {
        String broken = BANK.replace("    present: {gpio: 16}\n", "").replace("contact: {gpio: 23, active_low: true}",
                "contakt: {gpio: 23}");
        SiteFileException e = catchThrowableOfType(SiteFileException.class,
                () -> SiteFiles.parse("loans.yaml", site(broken)));

        assertThat(e.problems()).extracting(Problem::path).contains(
                "loan_banks[0].computers[0].contact", "loan_banks[0].computers[0].contakt",
                "loan_banks[0].computers[1].present");
    }

    @Test
    void a_pin_shared_with_another_device_and_a_loan_computer_under_devices_are_refused() {
        String clash = BANK.replace("present: {gpio: 16}", "present: {gpio: 17}") // door-1's strike
                + """
                        """;
        SiteFileException e = catchThrowableOfType(SiteFileException.class,
                () -> SiteFiles.parse("loans.yaml", site(clash)));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.toString()).contains("17"));

        String underDevices = SiteFileProblemsTest.MINIMAL.replace("devices:\n", """
                devices:
                  - id: loan-09
                    kind: loan_computer
                """);
        SiteFileException wrongPlace = catchThrowableOfType(SiteFileException.class,
                () -> SiteFiles.parse("loans.yaml", underDevices));
        assertThat(wrongPlace.problems()).anySatisfy(
                p -> assertThat(p.toString()).contains("loan_banks[].computers"));
    }
}
