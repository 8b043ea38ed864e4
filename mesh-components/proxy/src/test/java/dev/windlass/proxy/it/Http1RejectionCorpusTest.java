package dev.windlass.proxy.it;

import dev.windlass.proxy.telemetry.ProxyStats.Refusal;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.SidecarWithOneApp;
import dev.windlass.proxy.testing.TestMesh;
import dev.windlass.proxy.testing.TestUpstream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.windlass.proxy.telemetry.ProxyStats.Refusal.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 25's HTTP/1.1 rejection corpus: malformed requests, each naming the RFC 9112/9110 rule it breaks, sent as
 * raw bytes through a real sidecar to a real app. Each is refused with its status and its connection closed; the
 * app sees none of them (not even a head); a good request on another connection is served meanwhile; /stats
 * counts every refusal by reason. Valid but unusual requests still pass.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http1RejectionCorpusTest {
    private static final InetSocketAddress REVIEWS_VIP = new InetSocketAddress(TestMesh.CLUSTER_IP, 80);
    private static final String POST = "POST /p HTTP/1.1\r\nHost: reviews\r\n";
    private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";

    /** One malformed request: the rule it breaks, its bytes, and the reason the proxy counts it under. */
    record Case(String rfc, String request, Refusal reason) {
    }

    static final List<Case> CORPUS = List.of(
            new Case("9112 3.1 method is a token", "GE(T / HTTP/1.1\r\nHost: reviews\r\n\r\n", REQUEST_LINE),
            new Case("9112 2.3 HTTP-version required (no HTTP/0.9)", "GET /\r\nHost: reviews\r\n\r\n", REQUEST_LINE),
            new Case("9112 2.3 HTTP-version digits", "GET / HTTP/1.A\r\nHost: reviews\r\n\r\n", REQUEST_LINE),
            new Case("9110 6.2 major version 2 on an HTTP/1 connection: 505", "GET / HTTP/2.0\r\nHost: reviews\r\n\r\n", VERSION),
            new Case("9112 3.2 whitespace inside request-target", "GET /a b HTTP/1.1\r\nHost: reviews\r\n\r\n", REQUEST_LINE),
            new Case("9112 3.2 NUL in request-target", "GET /a\0b HTTP/1.1\r\nHost: reviews\r\n\r\n", TARGET),
            new Case("9112 3.2 DEL in request-target", "GET /a\u007fb HTTP/1.1\r\nHost: reviews\r\n\r\n", TARGET),
            new Case("9112 3.2 fragment is no part of a request-target", "GET /a#b HTTP/1.1\r\nHost: reviews\r\n\r\n", TARGET),
            new Case("9112 3.2.4 asterisk-form only for OPTIONS", "GET * HTTP/1.1\r\nHost: reviews\r\n\r\n", TARGET),
            new Case("9112 3.2.3 authority-form only for CONNECT", "GET reviews:80 HTTP/1.1\r\nHost: reviews\r\n\r\n", TARGET),
            new Case("9110 4.2.4 userinfo in an http URI", "GET http://u@reviews/ HTTP/1.1\r\nHost: reviews\r\n\r\n", TARGET),
            new Case("9110 4.2.1 http URI with an empty host", "GET http:///x HTTP/1.1\r\nHost: reviews\r\n\r\n", TARGET),
            new Case("9112 2.2 bare CR in the request line", "GET / HTTP/1.1\rHost: reviews\r\n\r\n", REQUEST_LINE),
            new Case("9112 2.2 bare LF ends the request line", "GET / HTTP/1.1\nHost: reviews\r\n\r\n", BARE_LINE_FEED),
            new Case("9112 2.2 bare LF ends a field line", "GET / HTTP/1.1\r\nHost: reviews\nX-A: b\r\n\r\n", BARE_LINE_FEED),
            new Case("9112 2.2 whitespace before the first field line", "GET / HTTP/1.1\r\n Host: reviews\r\n\r\n", HEADER_SYNTAX),
            new Case("9112 5.1 whitespace between field name and colon", "GET / HTTP/1.1\r\nHost : reviews\r\n\r\n", HEADER_SYNTAX),
            new Case("9110 5.1 field name is a token", "GET / HTTP/1.1\r\nHost: reviews\r\nX(y: b\r\n\r\n", HEADER_SYNTAX),
            new Case("9110 5.1 empty field name", "GET / HTTP/1.1\r\nHost: reviews\r\n: b\r\n\r\n", HEADER_SYNTAX),
            new Case("9112 5 field line without a colon", "GET / HTTP/1.1\r\nHost: reviews\r\nX-A\r\n\r\n", HEADER_SYNTAX),
            new Case("9112 5.2 obs-fold (SP)", "GET / HTTP/1.1\r\nHost: reviews\r\nX-A: b\r\n c\r\n\r\n", OBS_FOLD),
            new Case("9112 5.2 obs-fold (HTAB) on Host", "GET / HTTP/1.1\r\nHost: reviews\r\n\tevil\r\n\r\n", OBS_FOLD),
            new Case("9110 5.5 NUL in a field value", "GET / HTTP/1.1\r\nHost: reviews\r\nX-A: b\0c\r\n\r\n", HEADER_VALUE),
            new Case("9110 5.5 control character in a field value", "GET / HTTP/1.1\r\nHost: reviews\r\nX-A: b\u0001c\r\n\r\n", HEADER_VALUE),
            new Case("9112 2.2 bare CR in a field value", "GET / HTTP/1.1\r\nHost: reviews\r\nX-A: b\rc\r\n\r\n", HEADER_VALUE),
            new Case("9110 5.5 DEL in a field value", "GET / HTTP/1.1\r\nHost: reviews\r\nX-A: b\u007fc\r\n\r\n", HEADER_VALUE),
            new Case("9112 3.2 HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", HOST_MISSING),
            new Case("9112 3.2 two different Host lines", "GET / HTTP/1.1\r\nHost: reviews\r\nHost: evil\r\n\r\n", HOST_DUPLICATE),
            new Case("9112 3.2 two equal Host lines", "GET / HTTP/1.1\r\nHost: reviews\r\nhost: reviews\r\n\r\n", HOST_DUPLICATE),
            new Case("9110 7.2 Host with userinfo", "GET / HTTP/1.1\r\nHost: u@reviews\r\n\r\n", HOST_INVALID),
            new Case("9110 7.2 Host with whitespace", "GET / HTTP/1.1\r\nHost: rev iews\r\n\r\n", HOST_INVALID),
            new Case("9112 6.1 Content-Length with Transfer-Encoding",
                    POST + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", TRANSFER_ENCODING),
            new Case("9112 6.3 final coding not chunked", POST + "Transfer-Encoding: gzip\r\n\r\nabc", TRANSFER_ENCODING),
            new Case("9112 6.3 chunked not last", POST + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", TRANSFER_ENCODING),
            new Case("9112 7 chunked applied twice",
                    POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", TRANSFER_ENCODING),
            new Case("9112 6.1 unknown transfer coding: 501",
                    POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", TRANSFER_CODING_UNSUPPORTED),
            new Case("9112 6.1 Transfer-Encoding in HTTP/1.0",
                    "POST /p HTTP/1.0\r\nHost: reviews\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", TRANSFER_ENCODING),
            new Case("9112 6.3 two different Content-Length", POST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", CONTENT_LENGTH),
            new Case("9110 8.6 Content-Length list", POST + "Content-Length: 3, 3\r\n\r\nabc", CONTENT_LENGTH),
            new Case("9110 8.6 Content-Length not digits", POST + "Content-Length: 3a\r\n\r\nabc", CONTENT_LENGTH),
            new Case("9110 8.6 Content-Length with a sign", POST + "Content-Length: +3\r\n\r\nabc", CONTENT_LENGTH),
            new Case("9112 7.1 chunk size not hex (ZZZ)", CHUNKED + "ZZZ\r\nabc\r\n0\r\n\r\n", CHUNK_SIZE),
            new Case("9112 7.1 chunk size with 0x", CHUNKED + "0x3\r\nabc\r\n0\r\n\r\n", CHUNK_SIZE),
            new Case("9112 7.1 chunk size overflow", CHUNKED + "FFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n", CHUNK_SIZE),
            new Case("9112 7.1 chunk data longer than its size", CHUNKED + "3\r\nabcdef\r\n0\r\n\r\n", CHUNK_DATA),
            new Case("9112 7.1.1 bare LF in a chunk extension", CHUNKED + "3;a=b\nabc\r\n0\r\n\r\n", CHUNK_EXTENSION),
            new Case("9112 7.1.1 bare CR in a chunk extension", CHUNKED + "3;a\rb\r\nabc\r\n0\r\n\r\n", CHUNK_EXTENSION),
            new Case("9112 7.1.1 NUL in a chunk extension", CHUNKED + "3;a=\0\r\nabc\r\n0\r\n\r\n", CHUNK_EXTENSION),
            new Case("9112 7.1 bare LF after a chunk size", CHUNKED + "3\nabc\r\n0\r\n\r\n", CHUNK_EXTENSION),
            new Case("9112 7.1.2 NUL in a trailer field", CHUNKED + "0\r\nX-T: a\0b\r\n\r\n", TRAILER));

    /** Valid requests that a careless strict parser would refuse, with the path and Host the app must see. */
    record Unusual(String why, String request, String path, String host) {
    }

    static final List<Unusual> VALID = List.of(
            new Unusual("9112 3.2.2 absolute-form with a matching Host",
                    "GET http://reviews/abs?q=1 HTTP/1.1\r\nHost: reviews\r\n\r\n", "/abs?q=1", "reviews"),
            new Unusual("9112 3.2.2 absolute-form: the target's authority replaces Host",
                    "GET HTTP://reviews:80 HTTP/1.1\r\nHost: other.example\r\n\r\n", "/", "reviews:80"),
            new Unusual("9112 7.1.1 chunk extensions, quoted and bare", CHUNKED.replace("/p", "/ext")
                    + "3;name=val;x=\"q s\" ; y\r\nabc\r\n0;last\r\n\r\n", "/ext", "reviews"),
            new Unusual("9112 6.1 coding names are case-insensitive", CHUNKED.replace("/p", "/ci").replace("chunked", "CHUNKED")
                    + "3\r\nabc\r\n0\r\n\r\n", "/ci", "reviews"),
            new Unusual("9112 2.2 an empty line before the request line", "\r\nGET /lead HTTP/1.1\r\nHost: reviews\r\n\r\n",
                    "/lead", "reviews"),
            new Unusual("9112 2.3 an HTTP/1.0 request with a port in Host",
                    "GET /ten HTTP/1.0\r\nHost: reviews:80\r\n\r\n", "/ten", "reviews:80"),
            new Unusual("9110 5.5 obs-text and HTAB inside a field value",
                    "GET /text HTTP/1.1\r\nHost: reviews\r\nX-A: caf\u00e9\tb\r\n\r\n", "/text", "reviews"));

    @AutoClose
    private final SidecarWithOneApp mesh;

    Http1RejectionCorpusTest() throws Exception {
        mesh = new SidecarWithOneApp(); // one per test: JUnit makes an instance per test method
    }

    @Test
    void everyMalformedRequestIsRefusedAndClosedAndNoneReachesTheApp() throws Exception {
        assertThat(CORPUS).hasSizeGreaterThanOrEqualTo(30);
        SoftAssertions soft = new SoftAssertions();
        int good = 0;
        for (Case c : CORPUS) {
            try (Socket bad = mesh.sidecar.resolver.connect(mesh.sidecar.outbound(), REVIEWS_VIP)) {
                bad.getOutputStream().write(c.request().getBytes(StandardCharsets.ISO_8859_1));
                bad.getOutputStream().flush();
                RawHttp.Response served = viaOutbound(RawHttp.get("/good", "reviews"));
                good++;
                soft.assertThat(served.status()).as("good request beside: " + c.rfc()).isEqualTo(200);
                RawHttp.Response refused = RawHttp.read(bad.getInputStream());
                soft.assertThat(refused.status()).as(c.rfc()).isEqualTo(c.reason().status());
                soft.assertThat(refused.header("connection")).as(c.rfc()).isEqualTo("close");
                soft.assertThat(closedAfterResponse(bad)).as("connection closed: " + c.rfc()).isTrue();
            }
        }
        assertThat(mesh.app.arrivals()).as("only the good requests reached the app").isEqualTo(good);
        Map<Refusal, Integer> byReason = new EnumMap<>(Refusal.class);
        CORPUS.forEach(c -> byReason.merge(c.reason(), 1, Integer::sum));
        String stats = mesh.sidecar.admin("/stats");
        byReason.forEach((reason, count) -> soft.assertThat(stats).as("stats of " + reason)
                .contains("windlass.downstream_rq_refused." + reason.statName() + ": " + count + "\n"));
        soft.assertAll();
    }

    @Test
    void validButUnusualRequestsStillReachTheApp() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        for (Unusual u : VALID) {
            RawHttp.Response response = viaOutbound(u.request());
            soft.assertThat(response.status()).as(u.why()).isEqualTo(200);
            TestUpstream.Seen seen = mesh.app.seen().getLast();
            soft.assertThat(seen.path()).as(u.why()).isEqualTo(u.path());
            soft.assertThat(seen.headers().get("host")).as(u.why()).isEqualTo(u.host());
        }
        soft.assertAll();
        assertThat(mesh.app.seen().get(2).body()).isEqualTo("abc");
        assertThat(mesh.sidecar.admin("/stats")).doesNotContainPattern("downstream_rq_refused\\.[a-z_]+: [1-9]");
    }

    /** A refusal leaves no reusable connection: after the response, the proxy's side ends it. */
    private static boolean closedAfterResponse(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    private RawHttp.Response viaOutbound(String request) throws IOException {
        try (Socket socket = mesh.sidecar.resolver.connect(mesh.sidecar.outbound(), REVIEWS_VIP)) {
            return RawHttp.send(socket, request);
        }
    }
}
