package kontor.calendars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CalendarUrlTest {
    @Test
    void credentialsAreTakenOutOfTheUrlAndNeverShown() {
        CalendarUrl u = CalendarUrl.parse("http://kontor:s%40cret@127.0.0.1:5232/kontor/");
        assertThat(u.url()).hasToString("http://127.0.0.1:5232/kontor/");
        assertThat(u.user()).isEqualTo("kontor");
        assertThat(u.password()).isEqualTo("s@cret");
        assertThat(u.toString()).isEqualTo("http://kontor@127.0.0.1:5232/kontor/").doesNotContain("cret");
        assertThat(u.child("room-1").url()).hasToString("http://127.0.0.1:5232/kontor/room-1/");
        assertThat(u.child("room-1").password()).isEqualTo("s@cret");
    }

    @Test
    void aFeedsTokenInItsQueryIsNotShown() {
        assertThat(CalendarUrl.shown(java.net.URI.create("https://booking.example.org:8443/ical/room-2.ics?token=s3cret#x")))
                .isEqualTo("https://booking.example.org:8443/ical/room-2.ics?…");
        assertThat(CalendarUrl.shown(java.net.URI.create("http://127.0.0.1/feed.ics"))).isEqualTo("http://127.0.0.1/feed.ics");
    }

    @Test
    void aUrlWithoutCredentialsHasNone() {
        CalendarUrl u = CalendarUrl.parse("https://cal.example/dav");
        assertThat(u.user()).isNull();
        assertThat(u.child("room-2").url()).hasToString("https://cal.example/dav/room-2/");
    }

    @Test
    void badInputIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> CalendarUrl.parse("ftp://u:hunter2@x/")).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> CalendarUrl.parse("http://u:hunter2@x/ bad")).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> CalendarUrl.parse("https://cal.example/").child("../etc"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
