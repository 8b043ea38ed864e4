package dev.windlass.proxy.it;

import dev.windlass.proxy.testing.RawH2;
import dev.windlass.proxy.testing.SidecarWithOneApp;
import dev.windlass.proxy.testing.TestUpstream;
import io.netty.handler.codec.http2.Http2Headers;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 25, HTTP/2 to HTTP/1.1: an h2c client speaks to the sidecar's inbound, whose app speaks HTTP/1.1. A
 * malformed request (RFC 9113 8.2.1: CR, LF or NUL in a value, pseudo-header included, and the other field rules;
 * 8.2.2: connection-specific fields) resets its stream with PROTOCOL_ERROR, as the RFC asks, and never reaches the
 * app. It costs only that stream: a good request on the same connection is served afterwards. (Netty's HTTP/2
 * header validation does this; the proxy has no check of its own, so this test guards the downgrade.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2DowngradeRefusalTest {
    /** One malformed request: the rule it breaks and the field that breaks it. */
    record Malformed(String rfc, String name, String value) {
    }

    static final List<Malformed> FIELD_SYNTAX = List.of(
            new Malformed("9113 8.2.1 NUL in a value", "x-a", "a\0b"),
            new Malformed("9113 8.2.1 CR in a value", "x-a", "a\rb"),
            new Malformed("9113 8.2.1 LF in a value", "x-a", "a\nb"),
            new Malformed("9113 8.2.1 CRLF: a field smuggled into HTTP/1.1", "x-a", "a\r\nx-injected: 1"),
            new Malformed("9113 8.2.1 NUL in :path", ":path", "/a\0b"),
            new Malformed("9113 8.2.1 CR in :authority", ":authority", "ratings\r.evil"),
            new Malformed("9113 8.2.1 CR in :method", ":method", "GE\rT"),
            new Malformed("9113 8.2.1 value starting with whitespace", "x-a", " a"),
            new Malformed("9113 8.2.1 uppercase field name", "X-A", "a"),
            new Malformed("9110 5.5 control character in a value", "x-a", "a\u0001b"));

    static final List<Malformed> CONNECTION_SPECIFIC = List.of(
            new Malformed("9113 8.2.2 Connection", "connection", "keep-alive"),
            new Malformed("9113 8.2.2 Keep-Alive", "keep-alive", "timeout=5"),
            new Malformed("9113 8.2.2 Proxy-Connection", "proxy-connection", "keep-alive"),
            new Malformed("9113 8.2.2 Transfer-Encoding", "transfer-encoding", "chunked"),
            new Malformed("9113 8.2.2 Upgrade", "upgrade", "websocket"),
            new Malformed("9113 8.2.2 TE other than trailers", "te", "gzip"));

    @AutoClose
    private final SidecarWithOneApp mesh;

    Http2DowngradeRefusalTest() throws Exception {
        mesh = new SidecarWithOneApp(); // one per test: JUnit makes an instance per test method
    }

    @Test
    void malformedFieldsResetTheirStreamAndTheConnectionServesOn() throws Exception {
        assertEachResetThenServed(FIELD_SYNTAX);
        assertThat(mesh.app.seen()).extracting(TestUpstream.Seen::path).containsExactly("/good");
        assertThat(mesh.app.seen().getFirst().headers()).doesNotContainKey("x-injected");
    }

    @Test
    void connectionSpecificFieldsResetTheirStreamAndTheConnectionServesOn() throws Exception {
        assertEachResetThenServed(CONNECTION_SPECIFIC);
        try (RawH2 h2 = inbound()) {
            // TE is allowed when it says trailers, as gRPC sends it.
            assertThat(h2.request(get("/trailers").add("te", "trailers")).status()).isEqualTo(200);
        }
        assertThat(mesh.app.seen()).extracting(TestUpstream.Seen::path).containsExactly("/good", "/trailers");
    }

    /** Every request of {@code cases} on one connection, each reset; then a good one on it, served. */
    private void assertEachResetThenServed(List<Malformed> cases) throws IOException {
        SoftAssertions soft = new SoftAssertions();
        try (RawH2 h2 = inbound()) {
            for (Malformed c : cases) {
                Http2Headers headers = get("/bad");
                if (c.name().startsWith(":")) {
                    headers.set(c.name(), c.value());
                } else {
                    headers.add(c.name(), c.value());
                }
                soft.assertThat(h2.request(headers)).as(c.rfc())
                        .isEqualTo(RawH2.Answer.reset(RawH2.Answer.PROTOCOL_ERROR));
            }
            RawH2.Answer good = h2.request(get("/good"));
            soft.assertThat(good.status()).as("a good request after them").isEqualTo(200);
            soft.assertThat(good.body()).isEqualTo("app");
        }
        soft.assertThat(mesh.app.arrivals()).as("only the good request reached the app").isEqualTo(1);
        soft.assertAll();
    }

    private static Http2Headers get(String path) {
        return RawH2.get("ratings:9080", path);
    }

    private RawH2 inbound() throws IOException {
        InetSocketAddress app = new InetSocketAddress("10.1.1.1", mesh.app.port());
        return new RawH2(mesh.sidecar.resolver.connect(mesh.sidecar.inbound(), app));
    }
}
