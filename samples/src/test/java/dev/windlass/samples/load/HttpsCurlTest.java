package dev.windlass.samples.load;

import com.sun.net.httpserver.HttpServer;
import dev.windlass.samples.bookinfo.Tls;
import dev.windlass.samples.httpbin.Httpbin;
import dev.windlass.testsupport.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code load curl https://...} against httpbin serving HTTPS itself (TLS_KEYSTORE), as the egress test's mesh client
 * and external server do: the client verifies the server's chain against -cacert and its name against the URL's
 * host, connects to -resolve's address, and says which certificate it verified.
 */
class HttpsCurlTest {
    private static final String HOST = "secure.example.test";
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    @TempDir
    static Path dir;
    private static TestPki.Issued server;
    private static Path ca;
    private static HttpServer httpbin;

    @BeforeAll
    static void serveHttps() throws Exception {
        TestPki.Issued authority = TestPki.ca("samples test CA");
        server = TestPki.server(authority, HOST);
        ca = Files.writeString(dir.resolve("ca.crt"), authority.certificatePem());
        Path keystore = Files.write(dir.resolve("keystore.p12"), server.pkcs12());
        httpbin = Httpbin.start("tls", 0, new PrintStream(LOG, true, StandardCharsets.UTF_8), Tls.server(keystore));
    }

    @AfterAll
    static void stop() {
        httpbin.stop(0);
    }

    @Test
    void verifiesTheServerAgainstTheCaFileAndConnectsToTheResolvedAddress() {
        Run run = curl("-cacert", ca.toString(), "-resolve", "127.0.0.1", url(HOST, "/anything/tls"));

        assertThat(run.code).isZero();
        assertThat(run.out).startsWith("HTTP/1.1 200\n").contains("\"url\":\"https://" + HOST + ":");
        assertThat(run.err).contains("server certificate serial " + server.serial().toString(16) + ", subject ", "CN=" + HOST,
                "verified for " + HOST + " against -cacert " + ca);
        assertThat(LOG.toString(StandardCharsets.UTF_8)).contains("GET /anything/tls Host: " + HOST + ":");
    }

    @Test
    void refusesAServerItsCasDidNotIssue() throws Exception {
        Path other = Files.writeString(dir.resolve("other.crt"), TestPki.ca("another CA").certificatePem());

        Run run = curl("-cacert", other.toString(), "-resolve", "127.0.0.1", url(HOST, "/anything/untrusted"));

        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).contains("no answer", "PKIX");
        assertThat(curl("-resolve", "127.0.0.1", url(HOST, "/")).code).as("nor do the JRE's CAs know it").isEqualTo(1);
    }

    @Test
    void refusesACertificateForAnotherName() {
        Run run = curl("-cacert", ca.toString(), "-resolve", "127.0.0.1", url("other.example.test", "/anything/name"));

        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).contains("no answer", "other.example.test");
    }

    @Test
    void aCaFileGoesWithHttpsOnly() {
        assertThat(curl("-cacert", ca.toString(), "http://127.0.0.1:1/").code).isEqualTo(2);
        assertThat(curl("ftp://127.0.0.1/").code).isEqualTo(2);
    }

    private static String url(String host, String path) {
        return "https://" + host + ":" + httpbin.getAddress().getPort() + path;
    }

    private record Run(int code, String out, String err) {
    }

    private static Run curl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "curl";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = LoadClient.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
