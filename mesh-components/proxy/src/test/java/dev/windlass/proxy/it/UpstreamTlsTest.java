package dev.windlass.proxy.it;

import com.google.protobuf.Any;
import dev.windlass.proxy.testing.RawHttp;
import dev.windlass.proxy.testing.Resources;
import dev.windlass.proxy.testing.RoutedGateway;
import dev.windlass.proxy.testing.TestH2cUpstream;
import dev.windlass.proxy.testing.TestUpstream;
import dev.windlass.proxy.testing.TlsResources;
import dev.windlass.proxy.testing.TlsUpstream;
import dev.windlass.proxy.xds.ResourceType;
import dev.windlass.testsupport.tls.TestPki;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS origination (a DestinationRule's SIMPLE tls, as the discovery server writes it: an UpstreamTlsContext on the
 * cluster) on real sockets, against a JDK HTTPS server with a certificate of the test PKI: plain HTTP in, TLS out,
 * verified by CA, names and SNI, or not at all; over tcp_proxy and to an HTTP/2 cluster (h2 by ALPN, the h2c pool's
 * connections in TLS) too. A refused certificate is a connect failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamTlsTest {
    private static final String CLUSTER = "outbound|80||api.example.com";

    @TempDir
    Path dir;
    private TestPki.Issued ca;
    private Path caFile;
    private TlsUpstream upstream;
    private RoutedGateway gateway;

    @BeforeEach
    void start() throws Exception {
        ca = TestPki.ca("upstream test CA");
        caFile = dir.resolve("ca.pem");
        ca.write(caFile, dir.resolve("ca.key"));
        upstream = new TlsUpstream("secure", TestPki.server(ca, "api.example.com", "*.api.example.com"));
        gateway = new RoutedGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    private static CertificateValidationContext.Builder trusting(Path ca) {
        return CertificateValidationContext.newBuilder().setTrustedCa(TlsResources.file(ca));
    }

    private static SubjectAltNameMatcher dns(String name) {
        return SubjectAltNameMatcher.newBuilder().setSanType(SubjectAltNameMatcher.SanType.DNS)
                .setMatcher(StringMatcher.newBuilder().setExact(name)).build();
    }

    /** A STATIC cluster to {@code address} originating {@code tls}, with Envoy's auto SNI options when given. */
    private static Cluster cluster(String name, String address, UpstreamTlsContext tls, UpstreamHttpProtocolOptions auto) {
        Cluster.Builder cluster = Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(Resources.endpoints(name, "api", address));
        if (tls != null) {
            cluster.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(tls)));
        }
        if (auto != null) {
            cluster.putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                    Any.pack(HttpProtocolOptions.newBuilder().setUpstreamHttpProtocolOptions(auto)
                            .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                                    .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())).build()));
        }
        return cluster.build();
    }

    private static UpstreamTlsContext tls(String sni, CertificateValidationContext.Builder validation) {
        UpstreamTlsContext.Builder tls = UpstreamTlsContext.newBuilder();
        if (sni != null) {
            tls.setSni(sni);
        }
        CommonTlsContext.Builder common = tls.getCommonTlsContextBuilder();
        if (validation != null) {
            common.setValidationContext(validation);
        }
        return tls.build();
    }

    private void serve(Cluster cluster) throws Exception {
        gateway.serve(Resources.routes("80", Resources.virtualHost("test", java.util.List.of("*"), cluster.getName())), cluster);
    }

    private RawHttp.Response get(String host) throws IOException {
        return gateway.send(RawHttp.get("/", host, "Connection: close"));
    }

    /** Two requests on one downstream connection: one event loop, whose pool keeps the upstream TLS connection. */
    private java.util.List<RawHttp.Response> twoOnOneConnection(String host) throws IOException {
        try (Socket client = gateway.connect()) {
            RawHttp.Response first = RawHttp.send(client, RawHttp.get("/", host));
            return java.util.List.of(first, RawHttp.send(client, RawHttp.get("/", host)));
        }
    }

    @Test
    void simpleTlsIsVerifiedByTheCaAndNamesAndTheServerSeesTheSni() throws Exception {
        serve(cluster(CLUSTER, upstream.address(), tls("api.example.com",
                trusting(caFile).addMatchTypedSubjectAltNames(dns("api.example.com"))), null));

        java.util.List<RawHttp.Response> answers = twoOnOneConnection("api.example.com");

        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers).extracting(RawHttp.Response::body).containsExactly("secure", "secure");
        assertThat(upstream.sniSeen()).as("one handshake, its connection reused").containsExactly("api.example.com");
    }

    /**
     * A DestinationRule's MUTUAL with files (as Istio mounts a client certificate in the proxy): the upstream that
     * requires a client certificate of its CA sees the proxy's; without one it refuses the handshake (a connect
     * failure); the files, rewritten, are presented to the next connection without a configuration update.
     */
    @Test
    void mutualTlsPresentsTheClientCertificateFromFilesAndFollowsItsRotation() throws Exception {
        TestPki.Issued clientCa = TestPki.ca("ledger clients");
        Path certificate = dir.resolve("client.pem");
        Path key = dir.resolve("client-key.pem");
        TestPki.client(clientCa, "ledger-client-1", java.util.List.of(), java.util.List.of()).write(certificate, key);
        try (TlsUpstream ledger = new TlsUpstream("ledger", TestPki.server(ca, "ledger.example.com"), clientCa)) {
            serve(cluster(CLUSTER, ledger.address(), tls("ledger.example.com", trusting(caFile)), null));
            assertThat(get("ledger.example.com").status()).as("no client certificate").isEqualTo(503);

            UpstreamTlsContext.Builder mutual = tls("ledger.example.com", trusting(caFile)).toBuilder();
            mutual.getCommonTlsContextBuilder().addTlsCertificates(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3
                    .TlsCertificate.newBuilder().setCertificateChain(TlsResources.file(certificate)).setPrivateKey(TlsResources.file(key)));
            serve(cluster(CLUSTER, ledger.address(), mutual.build(), null));
            RawHttp.Response first = Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> get("ledger.example.com"), r -> r.status() == 200);

            assertThat(first.body()).isEqualTo("ledger");
            assertThat(ledger.clientsSeen()).last().asString().contains("CN=ledger-client-1");
            TestPki.client(clientCa, "ledger-client-2", java.util.List.of(), java.util.List.of()).write(certificate, key);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> gateway.send(RawHttp.get("/", "ledger.example.com", "Connection: close", "x-close: 1"))
                            .status() == 200 && ledger.clientsSeen().getLast().contains("CN=ledger-client-2"));
        }
    }

    @Test
    void aCertificateFromAnotherCaIsAConnectFailure() throws Exception {
        TestPki.Issued other = TestPki.ca("someone else");
        other.write(dir.resolve("other.pem"), dir.resolve("other.key"));
        serve(cluster(CLUSTER, upstream.address(), tls("api.example.com", trusting(dir.resolve("other.pem"))), null));

        RawHttp.Response response = get("api.example.com");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).contains("upstream connect error or disconnect/reset before headers")
                .contains("remote connection failure");
        assertThat(upstream.requests()).isZero();
        assertThat(gateway.stats()).contains("upstream_cx_connect_fail: ");
    }

    @Test
    void aCertificateWithoutTheNamedSanIsRefused() throws Exception {
        serve(cluster(CLUSTER, upstream.address(), tls("api.example.com",
                trusting(caFile).addMatchTypedSubjectAltNames(dns("db.example.com"))), null));

        assertThat(get("api.example.com").status()).isEqualTo(503);
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void withoutAValidationContextNothingIsVerified() throws Exception {
        TestPki.Issued stranger = TestPki.server(TestPki.ca("unknown"), "elsewhere.example.org");
        try (TlsUpstream unverifiable = new TlsUpstream("unverified", stranger)) {
            serve(cluster(CLUSTER, unverifiable.address(), tls(null, null), null));

            assertThat(get("api.example.com").body()).isEqualTo("unverified");
            assertThat(unverifiable.sniSeen()).as("no sni, no auto sni").isEmpty();
        }
    }

    @Test
    void autoSniSendsTheRequestHostAndAutoSanValidationChecksIt() throws Exception {
        UpstreamHttpProtocolOptions auto = UpstreamHttpProtocolOptions.newBuilder().setAutoSni(true)
                .setAutoSanValidation(true).build();
        serve(cluster(CLUSTER, upstream.address(), tls(null, trusting(caFile)), auto));

        assertThat(get("api.example.com:80").body()).isEqualTo("secure");
        assertThat(get("v2.api.example.com").body()).as("a wildcard name covers one label").isEqualTo("secure");
        assertThat(get("db.example.com").status()).as("the certificate does not name the host").isEqualTo(503);
        assertThat(upstream.sniSeen()).containsExactly("api.example.com", "v2.api.example.com", "db.example.com");
        assertThat(upstream.requests()).isEqualTo(2);
    }

    @Test
    void systemRootsAreTheJresTrustStoreWhichDoesNotKnowTheTestCa() throws Exception {
        serve(cluster(CLUSTER, upstream.address(), tls("api.example.com", CertificateValidationContext.newBuilder()
                .setSystemRootCerts(CertificateValidationContext.SystemRootCerts.getDefaultInstance())), null));

        assertThat(get("api.example.com").status()).isEqualTo(503);
        assertThat(upstream.sniSeen()).containsExactly("api.example.com");
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void aClusterWithoutTransportSocketStaysPlainText() throws Exception {
        try (TestUpstream plain = new TestUpstream("plain")) {
            serve(cluster(CLUSTER, plain.address(), null, null));

            assertThat(get("api.example.com").body()).isEqualTo("plain");
            assertThat(plain.seen()).hasSize(1);
        }
    }

    /** An h2 server over TLS with the test certificate, agreeing h2 when the client offers it by ALPN. */
    private static io.netty.handler.ssl.SslContext h2Server(TestPki.Issued certificate) throws Exception {
        return io.netty.handler.ssl.SslContextBuilder.forServer(certificate.key(),
                        certificate.chain().toArray(java.security.cert.X509Certificate[]::new))
                .applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                        io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2"))
                .build();
    }

    /** The cluster as an HTTP/2 one (h2UpgradePolicy UPGRADE or an HTTP2 port), offering h2 by ALPN, as the discovery server writes it. */
    private static Cluster http2(Cluster cluster, int maxConcurrentStreams) {
        UpstreamTlsContext tls;
        try {
            tls = cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        tls = tls.toBuilder().setCommonTlsContext(tls.getCommonTlsContext().toBuilder().addAlpnProtocols("h2")).build();
        return cluster.toBuilder()
                .setTransportSocket(cluster.getTransportSocket().toBuilder().setTypedConfig(Any.pack(tls)))
                .putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                        Any.pack(HttpProtocolOptions.newBuilder().setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig
                                .newBuilder().setHttp2ProtocolOptions(io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions
                                        .newBuilder().setMaxConcurrentStreams(com.google.protobuf.UInt32Value.of(maxConcurrentStreams))))
                                .build()))
                .build();
    }

    @Test
    void anHttp2ClusterSpeaksH2OverTlsAgreedByAlpnNeverPlainText() throws Exception {
        try (TestH2cUpstream h2 = new TestH2cUpstream("secure-h2", h2Server(TestPki.server(ca, "api.example.com")))) {
            serve(http2(cluster(CLUSTER, h2.address(), tls("api.example.com",
                    trusting(caFile).addMatchTypedSubjectAltNames(dns("api.example.com"))), null), 10));

            java.util.List<RawHttp.Response> answers = twoOnOneConnection("api.example.com");

            assertThat(answers.get(0).status()).isEqualTo(200);
            assertThat(answers).extracting(RawHttp.Response::body).containsExactly("h2c secure-h2", "h2c secure-h2");
            assertThat(h2.alpnSeen()).as("one TLS connection, h2 agreed by ALPN").containsExactly("h2");
            assertThat(h2.connections()).isEqualTo(1);
            assertThat(h2.http1Requests()).as("no plain text").isZero();
        }
    }

    @Test
    void anHttp2ClusterRefusesACertificateFromAnotherCaAsAConnectFailure() throws Exception {
        TestPki.Issued other = TestPki.ca("someone else");
        try (TestH2cUpstream h2 = new TestH2cUpstream("secure-h2", h2Server(TestPki.server(other, "api.example.com")))) {
            serve(http2(cluster(CLUSTER, h2.address(), tls("api.example.com", trusting(caFile)), null), 10));

            RawHttp.Response response = get("api.example.com");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.body()).contains("remote connection failure");
            assertThat(h2.requests()).isZero();
            assertThat(h2.alpnSeen()).isEmpty();
        }
    }

    @Test
    void tcpProxyOriginatesTlsWithTheSni() throws Exception {
        int tcpPort = RoutedGateway.freePort();
        gateway.ads.set(ResourceType.CDS, "1", cluster(CLUSTER, upstream.address(), tls("api.example.com", trusting(caFile)), null));
        gateway.ads.set(ResourceType.LDS, "1", Listener.newBuilder().setName("0.0.0.0_" + tcpPort)
                .setAddress(Resources.address("127.0.0.1", tcpPort))
                .addFilterChains(FilterChain.newBuilder().addFilters(Resources.tcpProxy(CLUSTER))).build());
        gateway.proxy.awaitReady(Duration.ofSeconds(10));

        String answer = Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> plainRequest(tcpPort), a -> !a.isEmpty());

        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("secure");
        assertThat(upstream.sniSeen()).containsExactly("api.example.com");
    }

    /** An HTTP request written in plain text to the TCP listener, and all it answers until the close. */
    private static String plainRequest(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void twoClientCertificatesAndUnreadableCasAreRefusedAndTheLastGoodClusterStays() throws Exception {
        serve(cluster(CLUSTER, upstream.address(), tls("api.example.com", trusting(caFile)), null));
        var config = gateway.proxy.proxy.context().config();
        long nacks = config.nacks();

        UpstreamTlsContext twoCertificates = tls("api.example.com", trusting(caFile)).toBuilder()
                .setCommonTlsContext(tls("api.example.com", trusting(caFile)).getCommonTlsContext().toBuilder()
                        .mergeFrom(TlsResources.fileCertificate(caFile, dir.resolve("ca.key")).build())
                        .mergeFrom(TlsResources.fileCertificate(caFile, dir.resolve("ca.key")).build())).build();
        gateway.ads.set(ResourceType.CDS, "mtls", cluster(CLUSTER, upstream.address(), twoCertificates, null));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> config.nacks() > nacks);
        assertThat(config.lastNack()).contains("2 client certificates; Windlass presents one");

        gateway.ads.set(ResourceType.CDS, "missing", cluster(CLUSTER, upstream.address(),
                tls("api.example.com", trusting(dir.resolve("absent.pem"))), null));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> config.nacks() > nacks + 1);
        assertThat(config.lastNack()).contains("cluster " + CLUSTER + ": cannot originate TLS");

        assertThat(get("api.example.com").body()).isEqualTo("secure");
    }
}
