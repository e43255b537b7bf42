package kontor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kontor.tls.PemTls;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpFrontTest {

    /** Answers with its name and the path it was given, so a test sees which route took a request. */
    private static Handler named(String name) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                String body = name + " " + Request.getPathInContext(request);
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        };
    }

    @Test
    void serves_each_route_on_a_loopback_listener() throws Exception {
        try (HttpFront front = HttpFront.start(List.of(HttpFront.Listener.plain("127.0.0.1", 0)),
                Map.of("/ipp", named("ipp"), "/", named("console")))) {
            URI base = front.urls().get(0);
            assertThat(base.getScheme()).isEqualTo("http");
            HttpClient client = HttpClient.newHttpClient();
            assertThat(get(client, base.resolve("/ipp/print")).body()).isEqualTo("ipp /print");
            assertThat(get(client, base.resolve("/rooms")).body()).isEqualTo("console /rooms");
            assertThat(get(client, base.resolve("/")).headers().firstValue("Server")).isEmpty();
        }
    }

    @Test
    void refuses_plain_http_beyond_loopback() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HttpFront.start(List.of(HttpFront.Listener.plain("0.0.0.0", 0)), Map.of("/", named("x"))))
                .withMessageContaining("loopback");
    }

    @Test
    void serves_https_with_the_sites_certificate_to_a_verifying_client(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-subj", "/CN=kontor-test", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        openssl.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();

        try (HttpFront front = HttpFront.start(List.of(HttpFront.Listener.tls("127.0.0.1", 0, new HttpFront.Tls(cert, key))),
                Map.of("/", named("console")))) {
            URI base = front.urls().get(0);
            assertThat(base.getScheme()).isEqualTo("https");
            HttpClient verifying = HttpClient.newBuilder().sslContext(PemTls.sslContext(cert, null, null)).build();
            assertThat(get(verifying, base.resolve("/screen")).body()).isEqualTo("console /screen");
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
